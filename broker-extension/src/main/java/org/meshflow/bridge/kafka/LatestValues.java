package org.meshflow.bridge.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.meshflow.bridge.configuration.KafkaSettings;

/**
 * The latest value of each key of a topic, read from its beginning to its end as it is now by a
 * consumer without a group, so nothing is committed. A null or empty latest value (a deletion) is kept
 * as null. Bounded by a number of keys and a deadline.
 */
final class LatestValues {
  private LatestValues() {}

  /** Keys are UTF-8 text; a record without a key counts as the key "". */
  static Map<String, byte[]> read(KafkaSettings kafka, String topic, Predicate<String> wanted, int maxKeys,
      Duration timeout) {
    final var props = KafkaClients.consumer(kafka, "");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "meshflow-bridge-replay-" + topic);
    final var deadline = System.nanoTime() + timeout.toNanos();
    final var latest = new LinkedHashMap<String, byte[]>();
    try (var consumer = KafkaClients.withOwnClassLoader(
        () -> new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()))) {
      final var partitions = consumer.partitionsFor(topic, timeout).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final var end = consumer.endOffsets(partitions, timeout);
      while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end within " + timeout.toSeconds() + " s");
        }
        for (final var record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() >= end.get(new TopicPartition(topic, record.partition()))) {
            continue;
          }
          final var key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
          if (!wanted.test(key)) {
            continue;
          }
          final var value = record.value() == null || record.value().length == 0 ? null : record.value();
          latest.remove(key);
          latest.put(key, value);
          if (latest.size() > maxKeys) {
            throw new IllegalStateException(topic + " holds more than " + maxKeys + " keys (max-keys)");
          }
        }
      }
    }
    return latest;
  }
}
