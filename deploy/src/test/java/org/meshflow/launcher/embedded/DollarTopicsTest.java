package org.meshflow.launcher.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fails if a HiveMQ upgrade stops honouring {@link DollarTopics}: then clients publishing to
 * {@code $mcp-...} topics are disconnected and MCP over MQTT is dead on the embedded broker.
 */
class DollarTopicsTest {

  @Test
  void clientsMayPublishAndRetainOnDollarTopics(@TempDir Path home) throws Exception {
    final int port = FreePorts.pick();
    try (var broker = EmbeddedMqttBroker.start(home, "127.0.0.1", port, false, null)) {
      final Mqtt5BlockingClient publisher = client(port, "publisher");
      publisher.publishWith().topic("$mcp-server/presence/srv-1/test/server").qos(MqttQos.AT_LEAST_ONCE).retain(true)
          .payload("online".getBytes(StandardCharsets.UTF_8)).send();
      publisher.publishWith().topic("plain/topic").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
      assertThat(publisher.getState().isConnected()).as("a $ publisher stays connected").isTrue();

      final List<Mqtt5Publish> dollar = new CopyOnWriteArrayList<>();
      final Mqtt5BlockingClient late = client(port, "late");
      late.toAsync().subscribeWith().topicFilter("$mcp-server/presence/+/#").callback(dollar::add).send().join();
      await().atMost(Duration.ofSeconds(30)).until(() -> !dollar.isEmpty());
      assertThat(dollar.get(0).isRetain()).isTrue();
      assertThat(dollar.get(0).getPayloadAsBytes()).asString(StandardCharsets.UTF_8).isEqualTo("online");
      publisher.disconnect();
      late.disconnect();
    }
  }

  private static Mqtt5BlockingClient client(int port, String id) {
    final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
        .serverPort(port).buildBlocking();
    client.connect();
    return client;
  }
}
