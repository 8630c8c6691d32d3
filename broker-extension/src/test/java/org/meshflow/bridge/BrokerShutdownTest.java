package org.meshflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.records.ClientSession;
import org.meshflow.records.DisconnectReason;
import org.meshflow.records.SessionEvent;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.testing.EmbeddedKafka;

/**
 * What a stopping broker leaves behind: the session ends of its clients in Kafka, and offline on its status
 * topic. The broker takes the offline status before it closes the connections, but may close a subscriber's
 * connection before the PUBLISH reaches it; a subscriber with a persistent session gets it when it reconnects,
 * as MQTT promises for QoS 1, and any other finds it retained.
 */
class BrokerShutdownTest {
  @TempDir Path dir;

  @Test
  void aStopEndsEverySessionInKafkaAndLeavesTheStatusOffline() throws Exception {
    final var registry = new InMemorySchemaRegistry();
    TestSetup.writeCredentials(dir);
    try (var kafka = EmbeddedKafka.start()) {
      kafka.createTopic("mesh.uplink.v1", 1);
      kafka.createTopic("mesh.sessions.v1", 1);
      final int port = BrokerWithBridge.freePort();
      final var config = BrokerWithBridge.config(dir, TestSetup.config(kafka.bootstrapServers(), "5s", true));
      final var status = new java.util.concurrent.CopyOnWriteArrayList<String>();
      final var broker = new BrokerWithBridge(dir.resolve("broker"), config, registry, port, "file");
      try {
        BridgeTest.broker = broker;
        await().atMost(Duration.ofSeconds(30))
            .until(() -> "online".equals(HomeAssistantTest.retainedNow("meshflow/status").get("meshflow/status")));
        final var watcher = statusWatcher(port, status);
        watcher.connectWith().cleanStart(true).sessionExpiryInterval(600).simpleAuth().username("reader")
            .password(TestSetup.PASSWORD.getBytes()).applySimpleAuth().send();
        watcher.subscribeWith().topicFilter("meshflow/status").qos(MqttQos.AT_LEAST_ONCE).send();
        BridgeTest.mqtt5("!000000f5", "gw");
        MqttClient.builder().useMqttVersion3().identifier("!000000f3").serverHost("127.0.0.1").serverPort(port)
            .simpleAuth().username("gw").password(TestSetup.PASSWORD.getBytes()).applySimpleAuth()
            .buildBlocking().connect();
      } finally {
        broker.close();
      }

      for (final var clientId : new String[] {"!000000f5", "!000000f3"}) {
        assertThat(KafkaRecords.all(kafka.bootstrapServers(), registry, "mesh.sessions.v1", ClientSession.class))
            .filteredOn(r -> clientId.equals(r.key())).extracting(r -> r.value().getEvent(), r -> r.value().getReason())
            .as(clientId).containsExactly(org.assertj.core.groups.Tuple.tuple(SessionEvent.CONNECTED, null),
                org.assertj.core.groups.Tuple.tuple(SessionEvent.DISCONNECTED, DisconnectReason.SERVER_STOP));
      }

      // the same broker data without the bridge: what it left retained
      final var without = new BrokerWithBridge(dir.resolve("broker"), null, registry, port, "file");
      try {
        final var client = MqttClient.builder().useMqttVersion5().identifier("look").serverHost("127.0.0.1")
            .serverPort(port).buildBlocking();
        client.connect();
        assertThat(HomeAssistantTest.retained(client, "meshflow/status")).containsEntry("meshflow/status", "offline");
        client.disconnect();

        // the subscriber's session resumes: offline came either before the broker went or now
        final var watcher = statusWatcher(port, status);
        assertThat(watcher.connectWith().cleanStart(false).sessionExpiryInterval(600).send().isSessionPresent())
            .isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status)
            .as("what the status subscriber saw, before the stop and after its session resumed").endsWith("offline"));
        assertThat(status).containsOnly("online", "offline");
        watcher.disconnect();
      } finally {
        without.close();
      }
    }
  }

  /** A subscriber of the status topic whose session's messages land in {@code status}, whenever they come. */
  private static Mqtt5BlockingClient statusWatcher(int port, List<String> status) {
    final Mqtt5BlockingClient watcher = MqttClient.builder().useMqttVersion5().identifier("status-watcher")
        .serverHost("127.0.0.1").serverPort(port).buildBlocking();
    watcher.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> status.add(new String(p.getPayloadAsBytes())));
    return watcher;
  }
}
