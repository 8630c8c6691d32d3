package org.meshflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.records.Alert;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;

/** A restarted bridge goes on where it stopped: no committed record again, no record missed. */
class DownlinkRestartTest {
  @TempDir Path dir;

  @Test
  void aRestartNeitherReplaysNorLoses() throws Exception {
    final var registry = new InMemorySchemaRegistry();
    TestSetup.writeCredentials(dir);
    try (var kafka = EmbeddedKafka.start();
        var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
      kafka.createTopic("mesh.uplink.v1", 1);
      kafka.createTopic("mesh.sessions.v1", 1);
      kafka.createTopic("mesh.alerts.v1", 1);
      final var config = BrokerWithBridge.config(dir, TestSetup.config(kafka.bootstrapServers(), "5s", true));
      final var serde = AvroSerde.specific(registry, Alert.class);
      final java.util.function.Consumer<String> produce = key -> {
        try {
          producer.send(new ProducerRecord<>("mesh.alerts.v1", key, serde.serialize("mesh.alerts.v1", alert(key)))).get();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };

      final var first = new BrokerWithBridge(dir.resolve("first"), config, registry);
      produce.accept("!00000001");
      await().atMost(Duration.ofSeconds(20)).until(() -> first.count("meshflow.bridge.delivered", "mapping", "alerts") == 1);
      first.close();

      produce.accept("!00000002");
      final var second = new BrokerWithBridge(dir.resolve("second"), config, registry);
      try {
        BridgeTest.broker = second;
        final var reader = BridgeTest.mqtt5("ha-restart", "reader");
        final var received = new CopyOnWriteArrayList<String>();
        reader.toAsync().subscribeWith().topicFilter("meshflow/alerts/#").qos(MqttQos.AT_LEAST_ONCE)
            .callback((Mqtt5Publish p) -> received.add(p.getTopic().toString())).send().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> received.contains("meshflow/alerts/!00000002"));
        produce.accept("!00000003");
        await().atMost(Duration.ofSeconds(20)).until(() -> received.contains("meshflow/alerts/!00000003"));

        assertThat(received).doesNotContain("meshflow/alerts/!00000001");
        assertThat(second.count("meshflow.bridge.delivered", "mapping", "alerts")).isEqualTo(2);
        reader.disconnect();
      } finally {
        second.close();
      }
    }
  }

  private static Alert alert(String subject) {
    return Alert.newBuilder().setAlertId(subject).setType("ROUTER_OFFLINE").setSubject(subject).setSeverity("WARNING")
        .setAt(Instant.now()).setMessage("offline").setOutageSeconds(null).setDetails(Map.of()).build();
  }
}
