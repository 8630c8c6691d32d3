package org.meshflow.jobs.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.jobs.common.ConsumerLag;
import org.meshflow.jobs.testing.Receptions;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;

/**
 * A backlog the job reads so slowly that it waits longer than {@code idle-after} between records,
 * as a loaded machine or a slow broker makes it: the wall clock must not close the packets' windows
 * while the consumer is still behind the end of the input, or the copies read later would be left
 * out of the heard-by lists. Once the input is drained the windows close by the wall clock.
 */
class SlowInputTest {
  private static final int PACKETS = 3;
  private static final int COPIES = 3;
  private static final String NODE = "!a1b2c3d4";

  @Test
  void aConsumerStillBehindKeepsWindowsOpenThoughNoRecordArrivedForLongerThanIdleAfter(@TempDir Path dir)
      throws Exception {
    final var registry = new InMemorySchemaRegistry();
    try (var kafka = EmbeddedKafka.start()) {
      for (String topic : List.of("mesh.receptions.v1", "mesh.packets.v1", "mesh.heard-by.v1", "mesh.alerts.v1",
          "mesh.dlq.v1")) {
        kafka.createTopic(topic, 1);
      }
      // a backlog of copies, each in a batch of its own, from long enough ago that every window has
      // passed on the wall clock
      final Instant from = Instant.now().minus(Duration.ofMinutes(15)).truncatedTo(ChronoUnit.MILLIS);
      final var serde = AvroSerde.specific(registry, Reception.class);
      try (var producer = new KafkaProducer<>(Map.<String, Object>of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
          new StringSerializer(), serde.serializer())) {
        for (int p = 0; p < PACKETS; p++) {
          for (int g = 0; g < COPIES; g++) {
            final var copy = Receptions.copy(NODE, 100 + p, "!0000000" + (g + 1), from.plusMillis(1000L * p + 40L * g));
            producer.send(new ProducerRecord<>("mesh.receptions.v1", copy.getPacketKey(), copy)).get();
          }
        }
      }

      final var config = DedupConfig.from(Map.of("dedup.window", "1m", "dedup.max-lateness", "1h",
          "dedup.idle-after", "300ms", "dedup.close-interval", "100ms"));
      final var props = DedupTopology.streamsConfig(config, kafka.bootstrapServers(), dir, registry);
      props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
      // every fetch waits a second at the broker and brings one batch: one copy a second, lag all along
      props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), 10_000_000);
      props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 1000);
      props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 1);
      final var lag = new ConsumerLag();
      try (var streams = lag.watch(new KafkaStreams(
          DedupTopology.build(config, registry, new SimpleMeterRegistry(), lag), props));
          var heardBy = new KafkaConsumer<>(Map.<String, Object>of(
              ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
              ConsumerConfig.GROUP_ID_CONFIG, "slow-input-test", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
              ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
              new StringDeserializer(), AvroSerde.specific(registry, PacketHeardBy.class).deserializer())) {
        streams.start();
        heardBy.subscribe(List.of("mesh.heard-by.v1"));
        final List<PacketHeardBy> lists = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInSameThread().until(() -> {
          heardBy.poll(Duration.ofMillis(200)).forEach(r -> lists.add(r.value()));
          return lists.size() >= PACKETS;
        });

        assertThat(lists).extracting(PacketHeardBy::getPacketKey)
            .containsExactly(NODE + "/100", NODE + "/101", NODE + "/102");
        assertThat(lists).allSatisfy(list -> {
          assertThat(list.getCopies()).isEqualTo(COPIES);
          assertThat(list.getHeardBy()).hasSize(COPIES);
        });
      }
    }
  }
}
