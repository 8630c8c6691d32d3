package org.meshflow.jobs.dedup;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.meshflow.jobs.common.AvroSerdes;
import org.meshflow.jobs.common.EventTimeExtractor;
import org.meshflow.jobs.common.StreamsSettings;
import org.meshflow.records.Alert;
import org.meshflow.records.MeshPacket;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;
import org.meshflow.records.Rejected;
import org.meshflow.registry.SchemaRegistry;

/** mesh.receptions.v1 -> one MeshPacket per packet on mesh.packets.v1, its heard-by list on mesh.heard-by.v1. */
public final class DedupTopology {
  public static final String APPLICATION_ID = "meshflow-dedup";

  private DedupTopology() {}

  public static Topology build(DedupConfig config, SchemaRegistry registry, MeterRegistry meters) {
    final var metrics = new DedupMetrics(meters);
    final var topology = new Topology();
    topology.addSource(AutoOffsetReset.earliest(), "receptions", new EventTimeExtractor(), Serdes.String().deserializer(),
        AvroSerdes.reader(registry, Reception.class), config.receptionsTopic());
    topology.addProcessor("dedup", () -> new PacketDeduplicator(config, metrics), "receptions");
    stores(config, registry).forEach(store -> topology.addStateStore(store, "dedup"));
    topology.addSink(PacketDeduplicator.PACKETS, config.packetsTopic(), Serdes.String().serializer(),
        AvroSerdes.writer(registry, MeshPacket.class), "dedup");
    topology.addSink(PacketDeduplicator.HEARD_BY, config.heardByTopic(), Serdes.String().serializer(),
        AvroSerdes.writer(registry, PacketHeardBy.class), "dedup");
    topology.addSink(PacketDeduplicator.ALERTS, config.alertsTopic(), Serdes.String().serializer(),
        AvroSerdes.writer(registry, Alert.class), "dedup");
    topology.addSink(PacketDeduplicator.DEAD_LETTERS, config.dlqTopic(), Serdes.String().serializer(),
        AvroSerdes.writer(registry, Rejected.class), "dedup");
    return topology;
  }

  /** The dedup processor's stores: open packets, open map reports, the closed-through mark, node rates. */
  static List<StoreBuilder<?>> stores(DedupConfig config, SchemaRegistry registry) {
    final long window = config.window().toMillis();
    final long bucket = config.mapReportBucket().toMillis();
    final long lateness = config.maxLateness().toMillis();
    final Duration rateWindow = config.nodeRateWindow();
    return List.of(
        Stores.windowStoreBuilder(Stores.persistentWindowStore(PacketDeduplicator.PACKETS_STORE,
            Duration.ofMillis(2 * window + lateness), Duration.ofMillis(1), false), Serdes.String(),
            AvroSerdes.serde(registry, PacketHeardBy.class)),
        Stores.windowStoreBuilder(Stores.persistentWindowStore(PacketDeduplicator.MAP_REPORTS_STORE,
            Duration.ofMillis(2 * bucket + lateness), Duration.ofMillis(1), false), Serdes.String(),
            AvroSerdes.serde(registry, PacketHeardBy.class)),
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PacketDeduplicator.CLOCK_STORE),
            Serdes.String(), Serdes.Long()),
        Stores.windowStoreBuilder(Stores.persistentWindowStore(PacketDeduplicator.RATES_STORE,
            rateWindow.multipliedBy(2).plusMillis(lateness), rateWindow, false), Serdes.String(), Serdes.Long()));
  }

  public static Properties streamsConfig(DedupConfig config, String bootstrapServers, Path stateDir,
      SchemaRegistry registry) {
    return StreamsSettings.streamsConfig("dedup", APPLICATION_ID, bootstrapServers, stateDir, registry, config.dlqTopic());
  }
}
