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

  /** The version number that means "the latest version" in {@link #version} and {@link #compatibilityProblem}. */
  int LATEST = -1;

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

  /** The version numbers registered under {@code subject}, oldest first; 40401 when there are none. */
  default List<Integer> versions(String subject) {
    throw unsupported("listing the versions of a subject");
  }

  /** One version of {@code subject} ({@link #LATEST} for the latest); 40401 unknown subject, 40402 unknown version. */
  default SchemaVersion version(String subject, int version) {
    throw unsupported("reading a version of a subject");
  }

  /** The rule in force for {@code subject}: its own if one was set, else the registry's default. */
  default Compatibility compatibility(String subject) {
    throw unsupported("reading a subject's compatibility");
  }

  /** The registry-wide default rule. */
  default Compatibility defaultCompatibility() {
    throw unsupported("reading the default compatibility");
  }

  /** Sets the registry-wide default rule. */
  default void setDefaultCompatibility(Compatibility compatibility) {
    throw unsupported("setting the default compatibility");
  }

  /**
   * Why {@code candidate} could not follow {@code version} of {@code subject} under the subject's
   * rule, or empty when it could. 40401 unknown subject, 40402 unknown version.
   */
  default Optional<String> compatibilityProblem(String subject, Schema candidate, int version) {
    throw unsupported("testing compatibility");
  }

  @Override
  default void close() {}

  private SchemaRegistryException unsupported(String what) {
    return new SchemaRegistryException(501, 50101, getClass().getSimpleName() + " does not support " + what);
  }
}
