package org.meshflow.jobs.state;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.meshflow.jobs.common.AvroSerdes;
import org.meshflow.jobs.common.StreamsSettings;
import org.meshflow.records.Alert;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.RouterOutage;
import org.meshflow.registry.SchemaRegistry;

/**
 * Outages (by router), alerts (by subject) and final heard-by lists (by packet key) as queryable
 * window stores with bounded retention. Each store is keyed like its topic, so the instance holding
 * a key is the one that owns the key's partition.
 */
public final class MeshStateTopology {
  public static final String APPLICATION_ID = "meshflow-state";
  public static final String OUTAGES_STORE = "state-router-outages";
  public static final String ALERTS_STORE = "state-alerts";
  public static final String HEARD_BY_STORE = "state-heard-by";
  private static final Duration ONE_MS = Duration.ofMillis(1);

  private MeshStateTopology() {}

  public static Topology build(MeshStateConfig config, SchemaRegistry registry) {
    final var topology = new Topology();
    // an outage re-emitted with the same start replaces the first; alerts at the same instant are all kept
    facts(topology, registry, "outages", config.outagesTopic(), RouterOutage.class, OUTAGES_STORE,
        config.outageRetention(), false, RouterOutage::getStartedAt);
    facts(topology, registry, "alerts", config.alertsTopic(), Alert.class, ALERTS_STORE, config.alertRetention(),
        true, Alert::getAt);
    facts(topology, registry, "heard-by", config.heardByTopic(), PacketHeardBy.class, HEARD_BY_STORE,
        config.heardByRetention(), false, PacketHeardBy::getFirstHeardAt);
    return topology;
  }

  private static <V extends SpecificRecord> void facts(Topology topology, SchemaRegistry registry, String name,
      String topic, Class<V> type, String store, Duration retention, boolean duplicates,
      java.util.function.Function<V, java.time.Instant> happenedAt) {
    topology.addSource(AutoOffsetReset.earliest(), name, Serdes.String().deserializer(),
        AvroSerdes.reader(registry, type), topic);
    topology.addProcessor(name + "-store", () -> new WindowedFacts<>(store, happenedAt), name);
    topology.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(store, retention, ONE_MS, duplicates),
        Serdes.String(), AvroSerdes.serde(registry, type)), name + "-store");
  }

  public static Properties streamsConfig(MeshStateConfig config, String bootstrapServers, Path stateDir,
      SchemaRegistry registry) {
    return StreamsSettings.streamsConfig("state", APPLICATION_ID, bootstrapServers, stateDir, registry,
        config.dlqTopic());
  }
}
