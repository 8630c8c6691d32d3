package org.meshflow.launcher.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaServerTest {

  @Test
  void keepsRecordsAcrossARestartOnTheSameFolder(@TempDir Path data) throws Exception {
    final int port = FreePorts.pick();
    try (var kafka = EmbeddedKafkaServer.start(data, port, FreePorts.pick())) {
      final var props = props(kafka);
      try (var admin = Admin.create(props)) {
        admin.createTopics(Set.of(new NewTopic("kept", 1, (short) 1))).all().get();
      }
      try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("kept", "k", "before restart")).get();
      }
    }
    try (var kafka = EmbeddedKafkaServer.start(data, port, FreePorts.pick())) {
      assertThat(readAll(kafka, "kept")).containsExactly("before restart");
    }
  }

  @Test
  void aTakenPortIsAnErrorNamingTheFlag() throws Exception {
    try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> FreePorts.claim("127.0.0.1", taken.getLocalPort(), "--kafka-port"))
          .hasMessageContaining("port " + taken.getLocalPort() + " is already in use")
          .hasMessageContaining("--kafka-port");
    }
  }

  private static Properties props(EmbeddedKafkaServer kafka) {
    final var props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    return props;
  }

  private static List<String> readAll(EmbeddedKafkaServer kafka, String topic) {
    final var props = props(kafka);
    props.putAll(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    final var values = new ArrayList<String>();
    try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
    }
    return values;
  }
}
