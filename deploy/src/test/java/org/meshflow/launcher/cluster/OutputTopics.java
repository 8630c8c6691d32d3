package org.meshflow.launcher.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;

/** Everything committed to some topics so far, read with read_committed from their beginning. */
final class OutputTopics implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final SchemaRegistry registry;
  private final Map<String, List<ConsumerRecord<String, byte[]>>> seen = new HashMap<>();

  OutputTopics(EmbeddedKafka kafka, SchemaRegistry registry, List<String> topics) {
    this.registry = registry;
    final var props = kafka.clientProperties();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    final var partitions = new ArrayList<TopicPartition>();
    for (String topic : topics) {
      seen.put(topic, new ArrayList<>());
      consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Every record read so far, by topic, after reading what has come since the last call. */
  Map<String, List<ConsumerRecord<String, byte[]>>> poll() {
    consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.get(r.topic()).add(r));
    return seen;
  }

  int count(String topic) {
    return poll().get(topic).size();
  }

  <T extends SpecificRecord> List<T> decode(String topic, Class<T> type) {
    final var serde = AvroSerde.specific(registry, type);
    return seen.get(topic).stream().map(r -> serde.deserialize(topic, r.value())).toList();
  }

  /** The latest value of every key, as a compacted topic ends up (null values delete). */
  <T extends SpecificRecord> Map<String, T> latest(String topic, Class<T> type) {
    final var serde = AvroSerde.specific(registry, type);
    final var latest = new LinkedHashMap<String, T>();
    seen.get(topic).forEach(r -> {
      if (r.value() == null) {
        latest.remove(r.key());
      } else {
        latest.put(r.key(), serde.deserialize(topic, r.value()));
      }
    });
    return latest;
  }

  /** As {@link #latest(String, Class)} for a topic of raw payloads (the MQTT outboxes). */
  Map<String, byte[]> latestBytes(String topic) {
    final var latest = new LinkedHashMap<String, byte[]>();
    seen.get(topic).forEach(r -> latest.put(r.key(), r.value()));
    return latest;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
