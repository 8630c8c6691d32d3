package org.meshflow.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The registry of the embedded default: Confluent's rules (an equal schema keeps its id in every
 * subject, new ids are the highest plus one, BACKWARD unless set otherwise) over a
 * {@link KafkaSchemaStore}, so ids are stable across restarts. Reads are served from memory; a
 * registration is answered only after Kafka acknowledged it.
 *
 * <p>One writer is assumed: several instances may read the same topic (each catches up before it
 * registers and when it meets an unknown id), but two instances registering at the same moment could
 * hand out the same id. Run one registry per topic, as Confluent does with its leader election.
 */
public final class EmbeddedSchemaRegistry implements SchemaRegistry {
  private final KafkaSchemaStore store;
  private final SubjectCatalog catalog = new SubjectCatalog(Compatibility.BACKWARD);

  private EmbeddedSchemaRegistry(KafkaSchemaStore store) {
    this.store = store;
  }

  /** Starts on {@code store}, reading it to the end first. Closing the registry closes the store. */
  public static EmbeddedSchemaRegistry start(KafkaSchemaStore store) {
    final var registry = new EmbeddedSchemaRegistry(store);
    synchronized (registry) {
      registry.catchUp();
    }
    return registry;
  }

  /** Starts on the default topic {@code _schemas} of the cluster that {@code kafkaConfig} points at. */
  public static EmbeddedSchemaRegistry start(Map<String, ?> kafkaConfig) {
    return start(KafkaSchemaStore.open(kafkaConfig));
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    catchUp();
    final var known = catalog.find(subject, schema);
    if (known.isPresent()) {
      return known.get().id();
    }
    final var next = catalog.next(subject, schema);
    store.append(next);
    catalog.add(next);
    return next.id();
  }

  @Override
  public synchronized Schema schemaById(int id) {
    return catalog.schema(id).or(() -> {
      catchUp();
      return catalog.schema(id);
    }).orElseThrow(() -> new SchemaRegistryException(404, 40403, "Schema " + id + " not found"));
  }

  @Override
  public synchronized Optional<Integer> lookup(String subject, Schema schema) {
    return catalog.find(subject, schema).map(SchemaVersion::id);
  }

  @Override
  public synchronized Optional<SchemaVersion> latest(String subject) {
    return catalog.latest(subject);
  }

  @Override
  public synchronized List<String> subjects() {
    return catalog.subjects();
  }

  @Override
  public synchronized void setCompatibility(String subject, Compatibility level) {
    store.appendCompatibility(subject, level);
    catalog.setCompatibility(subject, level);
  }

  @Override
  public synchronized List<Integer> versions(String subject) {
    return catalog.versions(subject);
  }

  @Override
  public synchronized SchemaVersion version(String subject, int version) {
    return catalog.version(subject, version);
  }

  @Override
  public synchronized Compatibility compatibility(String subject) {
    return catalog.compatibility(subject);
  }

  @Override
  public synchronized Compatibility defaultCompatibility() {
    return catalog.defaultCompatibility();
  }

  @Override
  public synchronized void setDefaultCompatibility(Compatibility level) {
    store.appendCompatibility(null, level);
    catalog.setCompatibility(null, level);
  }

  @Override
  public synchronized Optional<String> compatibilityProblem(String subject, Schema candidate, int version) {
    return catalog.problem(subject, candidate, version);
  }

  @Override
  public synchronized void close() {
    store.close();
  }

  private void catchUp() {
    for (final var entry : store.readNew()) {
      if (entry instanceof KafkaSchemaStore.SchemaAdded added) {
        catalog.add(added.version());
      } else if (entry instanceof KafkaSchemaStore.SchemaDeleted deleted) {
        catalog.remove(deleted.subject(), deleted.version());
      } else if (entry instanceof KafkaSchemaStore.CompatibilitySet rule) {
        catalog.setCompatibility(rule.subject(), rule.level());
      }
    }
  }
}
