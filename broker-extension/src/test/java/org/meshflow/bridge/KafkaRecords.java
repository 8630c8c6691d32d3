package org.meshflow.bridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;
import org.apache.avro.specific.SpecificRecord;

/** Reads everything a topic holds right now, deserialized with the serde a user would use. */
final class KafkaRecords {
  private KafkaRecords() {}

  static <T extends SpecificRecord> List<ConsumerRecord<String, T>> all(String bootstrap, SchemaRegistry registry,
      String topic, Class<T> type) {
    final var serde = AvroSerde.specific(registry, type);
    final var result = new ArrayList<ConsumerRecord<String, T>>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      final var partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final var end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (final var r : consumer.poll(Duration.ofMillis(200))) {
          result.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(),
              serde.deserialize(topic, r.value())));
        }
      }
    }
    return result;
  }
}
