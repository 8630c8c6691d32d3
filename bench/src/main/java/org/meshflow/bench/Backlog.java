package org.meshflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;

/** Puts benchmark input into Kafka before the jobs read it: topics, then records in the Confluent wire format. */
final class Backlog {
  private Backlog() {}

  static void createTopics(String bootstrap, int partitions, List<String> names) throws Exception {
    try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      final var topics = new ArrayList<NewTopic>();
      names.forEach(name -> topics.add(new NewTopic(name, partitions, (short) 1)));
      admin.createTopics(topics).all().get();
    }
  }

  /** Writes {@code records} to {@code topic}, keyed by {@code key}, and waits until Kafka has them all. */
  static <T extends SpecificRecord> void load(String bootstrap, SchemaRegistry registry, String topic, List<T> records,
      Class<T> type, Function<T, String> key) {
    final var serde = AvroSerde.specific(registry, type);
    final Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "linger.ms", 20, "batch.size", 262_144,
        "acks", "all");
    try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      for (T record : records) {
        producer.send(new ProducerRecord<>(topic, key.apply(record), serde.serialize(topic, record)));
      }
      producer.flush();
    }
  }
}
