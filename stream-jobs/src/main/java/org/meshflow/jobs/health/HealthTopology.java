package org.meshflow.jobs.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.meshflow.jobs.common.AvroSerdes;
import org.meshflow.jobs.common.EventTimeExtractor;
import org.meshflow.jobs.common.StreamsSettings;
import org.meshflow.records.Alert;
import org.meshflow.records.ClientSession;
import org.meshflow.records.LegacyStatus;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Rejected;
import org.meshflow.records.RouterHealthState;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterStatus;
import org.meshflow.registry.SchemaRegistry;

/**
 * Sessions, uplinks and legacy status messages -> router status, outages and alerts. All three are
 * keyed by client (= gateway) id; their topics must have the same partition count so that one
 * task sees every event of a router.
 */
public final class HealthTopology {
  public static final String APPLICATION_ID = "meshflow-health";
  /** Each router's RouterHealthState by router id, for interactive queries. */
  public static final String HEALTH_STORE = RouterHealthProcessor.STORE;

  private HealthTopology() {}

  public static Topology build(HealthConfig config, SchemaRegistry registry) {
    return build(config, registry, new CompositeMeterRegistry());
  }

  /** The topology, with router state gauges and outage and alert counters in {@code meters}. */
  public static Topology build(HealthConfig config, SchemaRegistry registry, MeterRegistry meters) {
    final var metrics = new HealthMetrics(meters);
    final var topology = new Topology();
    final var extractor = new EventTimeExtractor();
    topology.addSource(AutoOffsetReset.earliest(), "sessions", extractor, Serdes.String().deserializer(),
        AvroSerdes.reader(registry, ClientSession.class), config.sessionsTopic());
    topology.addSource(AutoOffsetReset.earliest(), "uplinks", extractor, Serdes.String().deserializer(),
        AvroSerdes.reader(registry, MqttUplink.class), config.uplinksTopic());
    topology.addSource(AutoOffsetReset.earliest(), "legacy-status", extractor, Serdes.String().deserializer(),
        AvroSerdes.reader(registry, LegacyStatus.class), config.legacyStatusTopic());
    topology.addProcessor("health", () -> new RouterHealthProcessor(config, metrics), "sessions", "uplinks", "legacy-status");
    topology.addStateStore(store(registry), "health");
    topology.addSink(RouterHealthProcessor.STATUS, config.statusTopic(), Serdes.String().serializer(),
        AvroSerdes.writer(registry, RouterStatus.class), "health");
    topology.addSink(RouterHealthProcessor.OUTAGES, config.outagesTopic(), Serdes.String().serializer(),
        AvroSerdes.writer(registry, RouterOutage.class), "health");
    topology.addSink(RouterHealthProcessor.ALERTS, config.alertsTopic(), Serdes.String().serializer(),
        AvroSerdes.writer(registry, Alert.class), "health");
    topology.addSink(RouterHealthProcessor.DEAD_LETTERS, config.dlqTopic(), Serdes.String().serializer(),
        AvroSerdes.writer(registry, Rejected.class), "health");
    return topology;
  }

  /** Every router's health state, by client id. */
  static StoreBuilder<KeyValueStore<String, RouterHealthState>> store(SchemaRegistry registry) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RouterHealthProcessor.STORE),
        Serdes.String(), AvroSerdes.serde(registry, RouterHealthState.class));
  }

  public static Properties streamsConfig(HealthConfig config, String bootstrapServers, Path stateDir,
      SchemaRegistry registry) {
    return StreamsSettings.streamsConfig("health", APPLICATION_ID, bootstrapServers, stateDir, registry, config.dlqTopic());
  }
}
