package org.meshflow.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.meshflow.jobs.sink.PostgresSink;
import org.meshflow.jobs.sink.SinkConfig;
import org.meshflow.records.DeviceMetrics;
import org.meshflow.records.HeardBy;
import org.meshflow.records.MeshPacket;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;
import org.meshflow.records.Telemetry;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.serde.AvroSerde;
import org.meshflow.serde.TrustedRecords;
import org.meshflow.testing.EmbeddedKafka;

/**
 * Load run of the PostgreSQL sink on a real Kafka and PostgreSQL in this process. Each uplink is one
 * reception; every third uplink starts a unique packet (a telemetry packet with a position of every
 * kind of row) heard by three gateways, so per unique packet the jobs publish 1 packet, 3 receptions
 * and 1 heard-by list of 3. Phase 1 ("backlog"): BACKLOG uplinks written before the sink starts,
 * then timed until the sink has stored them all: the rows/s it sustains. Phase 2 ("live"): RATE
 * uplinks/s for SECONDS, printing the sink's total lag every 5 s.
 *
 * <p>{@code java -cp "bench/target/meshflow-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*"
 * org.meshflow.bench.SinkLoad [BACKLOG=150000] [RATE=1000] [SECONDS=60]}
 */
public final class SinkLoad {
  private static final String[] GATEWAYS = {"!0000aaaa", "!0000bbbb", "!0000cccc"};

  private SinkLoad() {}

  public static void main(String[] args) throws Exception {
    final int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 150_000;
    final int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    final int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    TrustedRecords.install();
    final var data = Files.createTempDirectory("sink-load");
    try (var kafka = EmbeddedKafka.start();
        var postgres = EmbeddedPostgres.builder().setDataDirectory(data.resolve("pg")).start()) {
      for (String topic : List.of("mesh.packets.v1", "mesh.receptions.v1", "mesh.heard-by.v1", "mesh.router-status.v1",
          "mesh.router-outages.v1", "mesh.alerts.v1", "mesh.nodes.v1")) {
        kafka.createTopic(topic, 3);
      }
      kafka.createTopic("mesh.dlq.v1", 1);
      final var registry = new InMemorySchemaRegistry();
      final var config = SinkConfig.from(Map.of("sink.postgres-url", postgres.getJdbcUrl("postgres", "postgres")));
      final var producerProps = kafka.clientProperties();
      producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 20);
      try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
        final var load = new Load(producer, registry);
        for (int i = 0; i < backlog; i++) {
          load.uplink(i);
        }
        producer.flush();
        final long backlogRows = load.rows;
        final var meters = new SimpleMeterRegistry();
        final long start = System.nanoTime();
        try (var sink = PostgresSink.start(config, kafka.bootstrapServers(), registry, meters)) {
          while (rows(meters) < backlogRows) {
            Thread.sleep(200);
          }
          final double took = (System.nanoTime() - start) / 1e9;
          System.out.printf("backlog: %d uplinks = %d records = %d rows written in %.1f s (schema migration and"
              + " group join included): %.0f rows/s, %.0f uplinks/s%n", backlog, load.records, backlogRows, took,
              backlogRows / took, backlog / took);

          final long liveStart = System.nanoTime();
          long maxLag = 0;
          for (int second = 0; second < seconds; second++) {
            final long due = liveStart + (second + 1) * 1_000_000_000L;
            for (int i = 0; i < rate; i++) {
              load.uplink(backlog + second * rate + i);
            }
            producer.flush();
            while (System.nanoTime() < due) {
              Thread.sleep(5);
            }
            final long lag = lag(meters);
            maxLag = Math.max(maxLag, lag);
            if ((second + 1) % 5 == 0) {
              System.out.printf("live t=%ds rate=%d uplinks/s rows written=%.0f lag=%d records%n", second + 1, rate,
                  rows(meters) - backlogRows, lag);
            }
          }
          final long expected = load.rows;
          final long drainStart = System.nanoTime();
          while (rows(meters) < expected) {
            Thread.sleep(50);
          }
          System.out.printf("live: %d s at %d uplinks/s (%.0f rows/s offered), max lag %d records, all written"
              + " %.1f s after the last uplink%n", seconds, rate, (expected - backlogRows) / (double) seconds, maxLag,
              (System.nanoTime() - drainStart) / 1e9);
        }
      }
    }
  }

  private static double rows(SimpleMeterRegistry meters) {
    return meters.find("meshflow.sink.rows").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static long lag(SimpleMeterRegistry meters) {
    return (long) meters.find("meshflow.sink.lag").gauges().stream().mapToDouble(g -> g.value()).sum();
  }

  /** Writes what the jobs would publish for a stream of uplinks. */
  private static final class Load {
    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerde<MeshPacket> packets;
    private final AvroSerde<Reception> receptions;
    private final AvroSerde<PacketHeardBy> heardBy;
    private final Instant t0 = Instant.now().minus(Duration.ofDays(1));
    long records;
    long rows;

    Load(KafkaProducer<String, byte[]> producer, InMemorySchemaRegistry registry) {
      this.producer = producer;
      this.packets = AvroSerde.specific(registry, MeshPacket.class);
      this.receptions = AvroSerde.specific(registry, Reception.class);
      this.heardBy = AvroSerde.specific(registry, PacketHeardBy.class);
    }

    void uplink(int n) {
      final int packet = n / 3;
      final String from = String.format("!%08x", 0x10000000 + packet % 500);
      final String key = from + "/" + packet;
      final Instant first = t0.plusMillis(packet * 3L);
      final String gateway = GATEWAYS[n % 3];
      send("mesh.receptions.v1", key, receptions.serialize("mesh.receptions.v1", Reception.newBuilder()
          .setTopic("msh/US/2/e/LongFast/" + gateway).setGatewayId(gateway).setChannelId("LongFast").setFrom(from)
          .setTo("!ffffffff").setPacketId(packet).setPacketKey(key).setHopLimit(3).setHopStart(3).setHopsAway(0)
          .setRxSnr(5f).setRxRssi(-90).setViaMqtt(false).setEncrypted(true).setDecrypted(true)
          .setPortnum("TELEMETRY_APP").setReceivedAt(first.plusMillis(n % 3)).build()));
      rows += 1;
      if (n % 3 == 0) {
        final HeardBy copy = HeardBy.newBuilder().setGatewayId(gateway).setRxRssi(-90).setRxSnr(5f).setHopLimit(3)
            .setHopsAway(0).setReceivedAt(first).build();
        send("mesh.packets.v1", key, packets.serialize("mesh.packets.v1", MeshPacket.newBuilder().setPacketKey(key)
            .setFrom(from).setTo("!ffffffff").setPacketId(packet).setChannelId("LongFast").setHopStart(3)
            .setViaMqtt(false).setEncrypted(true).setDecrypted(true).setPortnum("TELEMETRY_APP")
            .setPayload(Telemetry.newBuilder().setTime(0).setDeviceMetrics(DeviceMetrics.newBuilder()
                .setBatteryLevel(80).setVoltage(3.9f).build()).build())
            .setFirstHeardAt(first).setHeardBy(List.of(copy)).build()));
        final List<HeardBy> all = List.of(copy, HeardBy.newBuilder(copy).setGatewayId(GATEWAYS[1]).build(),
            HeardBy.newBuilder(copy).setGatewayId(GATEWAYS[2]).build());
        send("mesh.heard-by.v1", key, heardBy.serialize("mesh.heard-by.v1", PacketHeardBy.newBuilder().setPacketKey(key)
            .setFrom(from).setPacketId(packet).setPortnum("TELEMETRY_APP").setFirstHeardAt(first)
            .setLastHeardAt(first).setCopies(3).setHeardBy(all).build()));
        rows += 2 + 3; // packet + telemetry, three heard-by rows
      }
    }

    private void send(String topic, String key, byte[] value) {
      producer.send(new ProducerRecord<>(topic, key, value));
      records++;
    }
  }
}
