package org.meshflow.jobs.insight;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Window;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.common.utils.Bytes;
import org.meshflow.jobs.common.AvroSerdes;
import org.meshflow.jobs.common.EventTimeExtractor;
import org.meshflow.jobs.common.StreamsSettings;
import org.meshflow.records.GatewayDuplicates;
import org.meshflow.records.HeardBy;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.registry.SchemaRegistry;

/**
 * mesh.heard-by.v1 -> per gateway and hopping window, how many uploads were first copies and how
 * many duplicates (mesh.gateway-duplicates.v1, one record per closed window), also as gauges.
 */
public final class InsightTopology {
  public static final String APPLICATION_ID = "meshflow-insight";

  private InsightTopology() {}

  public static Topology build(InsightConfig config, SchemaRegistry registry, MeterRegistry meters) {
    final var gauges = new GatewayDuplicateGauges(meters);
    final var counts = AvroSerdes.serde(registry, GatewayDuplicates.class);
    final var builder = new StreamsBuilder();
    builder.stream(config.heardByTopic(), Consumed.with(Serdes.String(), AvroSerdes.serde(registry, PacketHeardBy.class))
            .withTimestampExtractor(new EventTimeExtractor()).withOffsetResetPolicy(AutoOffsetReset.earliest()))
        .filter((key, packet) -> packet != null && !packet.getHeardBy().isEmpty())
        .flatMap((key, packet) -> uploads(packet))
        .groupByKey(Grouped.with("uploads-by-gateway", Serdes.String(), counts))
        .windowedBy(TimeWindows.ofSizeAndGrace(config.window(), config.grace()).advanceBy(config.advance()))
        .reduce(InsightTopology::sum, Materialized.<String, GatewayDuplicates, WindowStore<Bytes, byte[]>>as(
            "gateway-upload-counts").withKeySerde(Serdes.String()).withValueSerde(counts))
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("closed-windows"))
        .toStream()
        .map((window, total) -> KeyValue.pair(window.key(), closed(total, window.window())))
        .peek((gateway, window) -> gauges.update(window))
        .to(config.duplicatesTopic(), Produced.with(Serdes.String(), counts));
    return builder.build();
  }

  /** The first gateway in arrival order uploaded the first copy; every other upload was a duplicate. */
  static List<KeyValue<String, GatewayDuplicates>> uploads(PacketHeardBy packet) {
    final var uploads = new ArrayList<KeyValue<String, GatewayDuplicates>>();
    final List<HeardBy> gateways = packet.getHeardBy();
    for (int i = 0; i < gateways.size(); i++) {
      final HeardBy gateway = gateways.get(i);
      final int first = i == 0 ? 1 : 0;
      uploads.add(KeyValue.pair(gateway.getGatewayId(), counts(gateway.getGatewayId(), first,
          Math.max(gateway.getCopies(), 1) - first)));
    }
    return uploads;
  }

  private static GatewayDuplicates sum(GatewayDuplicates a, GatewayDuplicates b) {
    return counts(a.getGatewayId(), a.getFirstCopies() + b.getFirstCopies(), a.getDuplicates() + b.getDuplicates());
  }

  private static GatewayDuplicates closed(GatewayDuplicates total, Window window) {
    final long uploads = total.getFirstCopies() + total.getDuplicates();
    return GatewayDuplicates.newBuilder(total).setWindowStart(Instant.ofEpochMilli(window.start()))
        .setWindowEnd(Instant.ofEpochMilli(window.end()))
        .setDuplicateRatio(uploads == 0 ? 0 : (double) total.getDuplicates() / uploads).build();
  }

  private static GatewayDuplicates counts(String gateway, long first, long duplicates) {
    return GatewayDuplicates.newBuilder().setGatewayId(gateway).setWindowStart(Instant.EPOCH)
        .setWindowEnd(Instant.EPOCH).setFirstCopies(first).setDuplicates(duplicates).setDuplicateRatio(0).build();
  }

  public static Properties streamsConfig(String bootstrapServers, Path stateDir, SchemaRegistry registry, String dlqTopic) {
    return StreamsSettings.streamsConfig("insight", APPLICATION_ID, bootstrapServers, stateDir, registry, dlqTopic);
  }
}
