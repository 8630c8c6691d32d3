package org.meshflow.jobs.dedup;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.meshflow.jobs.common.AvroSerdes;
import org.meshflow.jobs.common.ConsumerLag;
import org.meshflow.jobs.common.InputLag;
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

  /**
   * @param lag the input lag of the Kafka Streams app that runs the topology ({@link ConsumerLag}): windows
   *     close by the wall clock only while the input is drained
   */
  public static Topology build(DedupConfig config, SchemaRegistry registry, MeterRegistry meters, InputLag lag) {
    final var metrics = new DedupMetrics(meters);
    final var topology = new Topology();
    topology.addSource(AutoOffsetReset.earliest(), "receptions", new ReceptionTime(config.maxFutureSkew()), Serdes.String().deserializer(),
        AvroSerdes.reader(registry, Reception.class), config.receptionsTopic());
    topology.addProcessor("dedup", () -> new PacketDeduplicator(config, metrics, lag), "receptions");
    stores(config).forEach(store -> topology.addStateStore(store, "dedup"));
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

  /** The dedup processor's stores: copies by packet key, windows by close time, the two marks, node rates. */
  static List<StoreBuilder<?>> stores(DedupConfig config) {
    final Duration lateness = config.maxLateness();
    final Duration step = PacketDeduplicator.maintenanceStep(config);
    final Duration longest = config.window().compareTo(config.mapReportBucket()) > 0 ? config.window()
        : config.mapReportBucket();
    // the indexes are stamped with close times: packet windows up to a window ahead of stream time (and
    // a copy itself up to the future skew), map reports up to a bucket; an entry is needed until stream
    // time is a lateness (plus a maintenance step) past it
    final Duration packetIndexRetention = config.window().multipliedBy(2).plus(config.maxFutureSkew()).plus(lateness)
        .plus(step.multipliedBy(2));
    final Duration mapIndexRetention = longest.multipliedBy(2).plus(lateness).plus(step.multipliedBy(2));
    return List.of(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PacketDeduplicator.COPIES_STORE), Serdes.String(),
            PacketCopies.SERDE).withCachingEnabled(),
        closeIndex(PacketDeduplicator.PACKET_CLOSE_INDEX_STORE, packetIndexRetention),
        closeIndex(PacketDeduplicator.CLOSE_INDEX_STORE, mapIndexRetention),
        // two marks, read once per task start
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PacketDeduplicator.CLOCK_STORE),
            Serdes.String(), Serdes.Long()),
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PacketDeduplicator.RATES_STORE),
            Serdes.String(), Serdes.ByteArray()));
  }

  private static StoreBuilder<WindowStore<Bytes, byte[]>> closeIndex(String name, Duration retention) {
    return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, retention, Duration.ofMillis(1), false),
        Serdes.Bytes(), Serdes.ByteArray());
  }

  public static Properties streamsConfig(DedupConfig config, String bootstrapServers, Path stateDir,
      SchemaRegistry registry) {
    return StreamsSettings.streamsConfig("dedup", APPLICATION_ID, bootstrapServers, stateDir, registry, config.dlqTopic(),
        config.commitInterval());
  }
}
