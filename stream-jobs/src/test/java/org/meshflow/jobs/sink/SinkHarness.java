package org.meshflow.jobs.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.meshflow.records.Rejected;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;
import org.meshflow.serde.TrustedRecords;
import org.meshflow.testing.EmbeddedKafka;

/** Topics of one test (names prefixed so tests sharing a Kafka do not meet), a producer and the sink. */
final class SinkHarness {
  final SchemaRegistry registry = new InMemorySchemaRegistry();
  final MeterRegistry meters = new SimpleMeterRegistry();
  final SinkConfig config;
  private final EmbeddedKafka kafka;

  SinkHarness(EmbeddedKafka kafka, String prefix, String postgresUrl, Map<String, String> extra) {
    this.kafka = kafka;
    TrustedRecords.install();
    final var settings = new HashMap<String, String>();
    for (String name : List.of("packets", "receptions", "heard-by", "router-status", "alerts", "nodes", "dlq")) {
      settings.put("sink." + name + "-topic", prefix + ".mesh." + name + ".v1");
    }
    settings.put("sink.outages-topic", prefix + ".mesh.router-outages.v1");
    settings.put("sink.group-id", prefix + "-sink");
    settings.put("sink.postgres-url", postgresUrl);
    settings.putAll(extra);
    this.config = SinkConfig.from(settings);
    config.inputTopics().forEach(topic -> kafka.createTopic(topic, 2));
    kafka.createTopic(config.dlqTopic(), 1);
  }

  PostgresSink start() {
    return PostgresSink.start(config, kafka.bootstrapServers(), registry, meters, Clock.systemUTC());
  }

  PostgresSink start(SinkConfig other) {
    return PostgresSink.start(other, kafka.bootstrapServers(), registry, new SimpleMeterRegistry(), Clock.systemUTC());
  }

  void produce(List<KnownMesh.Output> outputs) {
    try (var producer = new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      for (KnownMesh.Output output : outputs) {
        producer.send(new ProducerRecord<>(output.topic(), output.key(), serialize(output.topic(), output.value())));
      }
    }
  }

  void produceRaw(String topic, String key, byte[] value) {
    try (var producer = new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value));
    }
  }

  @SuppressWarnings("unchecked")
  private byte[] serialize(String topic, SpecificRecord value) {
    return AvroSerde.specific(registry, (Class<SpecificRecord>) value.getClass()).serialize(topic, value);
  }

  /** Every dead letter so far. */
  List<Rejected> deadLetters() {
    final var serde = AvroSerde.specific(registry, Rejected.class);
    final var found = new ArrayList<Rejected>();
    final var partition = new TopicPartition(config.dlqTopic(), 0);
    try (var consumer = new KafkaConsumer<>(kafka.clientProperties(), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      final long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofSeconds(1)).forEach(r -> found.add(serde.deserialize(config.dlqTopic(), r.value())));
      }
    }
    return found;
  }

  double gauge(String name) {
    final var gauge = meters.find(name).gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }
}
