package org.meshflow.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Reception;
import org.meshflow.registry.EmbeddedSchemaRegistry;
import org.meshflow.registry.RegistryHttpServer;
import org.meshflow.registry.RestSchemaRegistry;
import org.meshflow.testing.EmbeddedKafka;

/**
 * Plain Kafka clients configured only with {@code schema.registry.url}, as an outside application
 * would be, against the embedded registry served over HTTP, on a real Kafka.
 */
class AvroKafkaRoundTripTest {
  private static EmbeddedKafka kafka;
  private static EmbeddedSchemaRegistry registry;
  private static RegistryHttpServer server;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    registry = EmbeddedSchemaRegistry.start(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    server = RegistryHttpServer.start(registry);
  }

  @AfterAll
  static void stop() {
    server.close();
    registry.close();
    kafka.close();
  }

  @Test
  void specificRecordsTravelThroughKafkaInTheConfluentWireFormat() {
    kafka.createTopic("mesh.receptions.v1", 1);
    kafka.createTopic("mesh.uplink.v1", 1);
    final var reception = SampleRecords.telemetryReception();
    final var uplink = SampleRecords.uplink();
    try (var producer = producer()) {
      producer.send(new ProducerRecord<>("mesh.receptions.v1", reception.getPacketKey(), reception));
      producer.send(new ProducerRecord<>("mesh.uplink.v1", uplink.getClientId(), uplink));
      producer.flush();
    }

    final Map<String, Object> specific = Map.of("specific.avro.reader", "true");
    assertThat(consume("mesh.receptions.v1", specific)).extracting(ConsumerRecord::value).containsExactly(reception);
    assertThat(consume("mesh.uplink.v1", Map.of("meshflow.avro.specific", true)))
        .extracting(ConsumerRecord::value).containsExactly(uplink);

    final var client = RestSchemaRegistry.builder(server.url()).build();
    final int id = client.lookup("mesh.receptions.v1-value", Reception.getClassSchema()).orElseThrow();
    final byte[] bytes = rawValues("mesh.receptions.v1").get(0);
    assertThat(bytes[0]).isZero();
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    assertThat(client.lookup("mesh.uplink.v1-value", MqttUplink.getClassSchema())).isPresent();
  }

  @Test
  void genericRecordsTravelThroughKafkaAndGeneratedOnesCanBeReadGenerically() {
    kafka.createTopic("sensors", 1);
    kafka.createTopic("receptions-copy", 1);
    try (var producer = producer()) {
      producer.send(new ProducerRecord<>("sensors", "s1", SampleRecords.sensor("s1", 19.75)));
      producer.send(new ProducerRecord<>("receptions-copy", "r", SampleRecords.telemetryReception()));
      producer.flush();
    }
    final var sensor = (GenericRecord) consume("sensors", Map.of()).get(0).value();
    assertThat(sensor.getSchema()).isEqualTo(SampleRecords.SENSOR);
    assertThat(sensor.get("celsius")).isEqualTo(19.75);
    final var reception = (GenericRecord) consume("receptions-copy", Map.of()).get(0).value();
    assertThat(reception.getSchema().getFullName()).isEqualTo("org.meshflow.records.Reception");
    assertThat(reception.get("from").toString()).isEqualTo("!0badf00d");
  }

  private static KafkaProducer<String, Object> producer() {
    final Properties props = kafka.clientProperties();
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName());
    props.put("schema.registry.url", server.url());
    return new KafkaProducer<>(props);
  }

  private static List<ConsumerRecord<String, Object>> consume(String topic, Map<String, Object> extra) {
    final Properties props = kafka.clientProperties();
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class.getName());
    props.put("schema.registry.url", server.url());
    props.putAll(extra);
    try (var consumer = new KafkaConsumer<String, Object>(props)) {
      return readToEnd(consumer, topic);
    }
  }

  private static List<byte[]> rawValues(String topic) {
    try (var consumer = new KafkaConsumer<>(kafka.clientProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return readToEnd(consumer, topic).stream().map(ConsumerRecord::value).toList();
    }
  }

  private static <K, V> List<ConsumerRecord<K, V>> readToEnd(KafkaConsumer<K, V> consumer, String topic) {
    final var partition = new TopicPartition(topic, 0);
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
    final long end = consumer.endOffsets(List.of(partition)).get(partition);
    final var records = new ArrayList<ConsumerRecord<K, V>>();
    final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (consumer.position(partition) < end && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }
}
