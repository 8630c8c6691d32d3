package org.meshflow.registry;

import java.util.Map;

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
public final class EmbeddedSchemaRegistry extends CatalogSchemaRegistry {
  private final KafkaSchemaStore store;

  private EmbeddedSchemaRegistry(KafkaSchemaStore store) {
    super(Compatibility.BACKWARD);
    this.store = store;
  }

  /** Starts on {@code store}, reading it to the end first. Closing the registry closes the store. */
  public static EmbeddedSchemaRegistry start(KafkaSchemaStore store) {
    final var registry = new EmbeddedSchemaRegistry(store);
    synchronized (registry) {
      registry.refresh();
    }
    return registry;
  }

  /** Starts on the default topic {@code _schemas} of the cluster that {@code kafkaConfig} points at. */
  public static EmbeddedSchemaRegistry start(Map<String, ?> kafkaConfig) {
    return start(KafkaSchemaStore.open(kafkaConfig));
  }

  @Override
  protected void persist(SchemaVersion version) {
    store.append(version);
  }

  @Override
  protected void persistCompatibility(String subject, Compatibility level) {
    store.appendCompatibility(subject, level);
  }

  @Override
  public synchronized void close() {
    store.close();
  }

  @Override
  protected void refresh() {
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
