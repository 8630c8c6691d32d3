package org.meshflow.bridge;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** How many records a topic holds right now (the sum of its partitions' end offsets), asked as often as needed. */
final class StoredCount implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final java.util.List<TopicPartition> partitions;

  StoredCount(String bootstrap, String topic) {
    consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }

  synchronized long now() {
    return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public synchronized void close() {
    consumer.close();
  }
}
