package org.meshflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

  @Test
  void aRecordProducedIsConsumedByAGroup() throws Exception {
    try (var kafka = EmbeddedKafka.start()) {
      kafka.createTopic("t", 1);
      final var props = kafka.clientProperties();
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("t", "k", "v")).get();
      }
      final var consumerProps = kafka.clientProperties();
      consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
      consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of("t"));
        final var values = new java.util.ArrayList<String>();
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.isEmpty() && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        }
        assertThat(values).containsExactly("v");
      }
    }
  }
}
