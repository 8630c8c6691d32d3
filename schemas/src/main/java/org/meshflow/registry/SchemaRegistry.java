package org.meshflow.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API Meshflow needs. Implemented by a REST client
 * (any Confluent-compatible registry), by the embedded registry that keeps schemas in a Kafka
 * topic, and by an in-memory registry for unit tests.
 *
 * <p>Every method throws {@link SchemaRegistryException} when the registry refuses or cannot be
 * reached; the exception carries the registry's error code (for example 409 for an incompatible
 * schema, 40403 for an unknown id).
 */
public interface SchemaRegistry extends AutoCloseable {

  /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
  int register(String subject, Schema schema);

  /** The schema with this global id. */
  Schema schemaById(int id);

  /** The id of {@code schema} if it is already registered under {@code subject}. */
  Optional<Integer> lookup(String subject, Schema schema);

  /** The latest version registered under {@code subject}, if any. */
  Optional<SchemaVersion> latest(String subject);

  /** All subjects. */
  List<String> subjects();

  /** Sets the compatibility rule of one subject. */
  void setCompatibility(String subject, Compatibility compatibility);

  @Override
  default void close() {}
}
