package org.meshflow.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.meshflow.registry.RestSchemaRegistry;
import org.meshflow.serde.AvroSerde;

/** What a Kafka consumer of Meshflow's topics reads, committed records only, as a user's consumer would. */
final class PacketKeys {
  private PacketKeys() {}

  /** The keys of {@code mesh.packets.v1} once there are at least {@code expected}; fails on a repeated key. */
  static Set<String> readUntil(String bootstrap, int expected) {
    final Set<String> keys = new HashSet<>();
    try (var consumer = consumer(bootstrap)) {
      consumer.subscribe(List.of("mesh.packets.v1"));
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        consumer.poll(Duration.ofMillis(300))
            .forEach(r -> assertThat(keys.add(r.key())).as("packet %s twice", r.key()).isTrue());
        return keys.size() >= expected;
      });
      // copies that would come late come now or not at all: one more round
      consumer.poll(Duration.ofSeconds(2))
          .forEach(r -> assertThat(keys.add(r.key())).as("packet %s twice", r.key()).isTrue());
    }
    return keys;
  }

  /** Every record a topic holds now, read with the registry at {@code registryUrl}. */
  static <T extends SpecificRecord> List<T> all(String bootstrap, String registryUrl, String topic, Class<T> type) {
    final var serde = AvroSerde.specific(RestSchemaRegistry.builder(registryUrl).build(), type);
    final var values = new ArrayList<T>();
    try (var consumer = consumer(bootstrap)) {
      final var partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final var end = consumer.endOffsets(partitions);
      final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(serde.deserialize(topic, r.value())));
      }
    }
    return values;
  }

  private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
    return new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "group.id",
        "e2e-check-" + System.nanoTime(), "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
        new StringDeserializer(), new ByteArrayDeserializer());
  }
}
