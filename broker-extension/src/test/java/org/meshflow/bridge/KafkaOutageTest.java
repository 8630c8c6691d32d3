package org.meshflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.records.MqttUplink;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.testing.EmbeddedKafka;

/**
 * Kafka goes away and comes back: nothing acknowledged is lost, nothing is acknowledged that is not
 * stored. PUBLISHes already on their way when Kafka fails lose their connection instead of their
 * acknowledgement (MQTT 5: with an error reason code on the DISCONNECT); once the bridge knows Kafka
 * fails, an MQTT 5 client gets an error reason code on its PUBACK and an MQTT 3 client no PUBACK.
 */
class KafkaOutageTest {
  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  static BrokerWithBridge broker;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start();
    kafka.createTopic("mesh.uplink.v1", 1);
    kafka.createTopic("mesh.sessions.v1", 1);
    kafka.createTopic("mesh.alerts.v1", 1);
    broker = BrokerWithBridge.withTestUsers(dir, kafka, registry, "2s", false);
    BridgeTest.broker = broker;
  }

  @AfterAll
  static void stop() throws Exception {
    BrokerWithBridge.closeAll(broker, kafka);
  }

  @Test
  void whileKafkaIsDownNothingIsAcknowledgedAndAfterwardsEverythingAcknowledgedIsStored() throws Exception {
    final var v5 = BridgeTest.mqtt5("!000000a5", "gw");
    final Mqtt3AsyncClient v3 = MqttClient.builder().useMqttVersion3().identifier("!000000a3")
        .serverHost("127.0.0.1").serverPort(broker.port).automaticReconnect()
        .initialDelay(200, java.util.concurrent.TimeUnit.MILLISECONDS).maxDelay(1, java.util.concurrent.TimeUnit.SECONDS)
        .applyAutomaticReconnect()
        .simpleAuth().username("gw").password(TestSetup.PASSWORD.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
        .buildAsync();
    v3.connectWith().cleanSession(false).send().join();
    final var status = new java.util.concurrent.CopyOnWriteArrayList<String>();
    final var watcher = BridgeTest.mqtt5("status-watcher", "reader");
    watcher.toAsync().subscribeWith().topicFilter("meshflow/status").qos(MqttQos.AT_LEAST_ONCE)
        .callback(p -> status.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send().join();
    await().atMost(Duration.ofSeconds(30)).until(() -> status.contains("online"));
    assertThat(BridgeTest.publish(v5, "msh/EU_868/2/map/!000000a5", bytes("before"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

    final var node = kafka.cluster().brokers().values().iterator().next();
    System.out.println("kafka at " + kafka.bootstrapServers());
    node.shutdown();
    node.awaitShutdown();

    // one client's PUBLISHes travel to Kafka side by side, and none is acknowledged when Kafka fails them
    final var disconnects = new CopyOnWriteArrayList<Throwable>();
    final Mqtt5AsyncClient busy = MqttClient.builder().useMqttVersion5().identifier("!000000b5")
        .serverHost("127.0.0.1").serverPort(broker.port).addDisconnectedListener(c -> disconnects.add(c.getCause()))
        .buildAsync();
    busy.connectWith().simpleAuth().username("gw").password(TestSetup.PASSWORD.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send().join();
    final var inFlight = new ArrayList<CompletableFuture<Mqtt5PublishResult>>();
    for (int i = 0; i < 5; i++) {
      inFlight.add(busy.publishWith().topic("msh/EU_868/2/map/!000000b5").qos(MqttQos.AT_LEAST_ONCE)
          .payload(bytes("in-flight-" + i)).send());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> broker.meters.find("meshflow.bridge.in.flight").gauge().value() >= 5);
    await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.stream().allMatch(CompletableFuture::isDone));
    assertThat(inFlight).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
    assertThat(disconnects).singleElement().isInstanceOfSatisfying(Mqtt5DisconnectException.class, e -> {
      assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.UNSPECIFIED_ERROR);
      assertThat(e.getMqttMessage().getReasonString()).hasValueSatisfying(r -> assertThat(r.toString())
          .contains("not stored in Kafka"));
    });

    assertThat(BridgeTest.publish(v5, "msh/EU_868/2/map/!000000a5", bytes("during")))
        .isEqualTo(Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR);
    final CompletableFuture<?> v3Ack = v3.publishWith().topic("msh/EU_868/2/map/!000000a3")
        .qos(MqttQos.AT_LEAST_ONCE).payload(bytes("during-v3")).send();
    // the MQTT 3 client is not acknowledged: the broker drops its connection so that it sends again
    await().atMost(Duration.ofSeconds(15)).until(() -> broker.count("meshflow.bridge.failed", "mapping", "uplink") >= 7);
    assertThat(v3Ack).isNotDone();
    assertThat(broker.count("meshflow.bridge.rejected", "cause", "kafka")).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> status.contains("offline"));

    node.startup();
    System.out.println("kafka back at " + kafka.bootstrapServers());
    await().atMost(Duration.ofSeconds(60)).until(v3Ack::isDone);
    await().atMost(Duration.ofSeconds(30)).until(() -> status.get(status.size() - 1).equals("online"));
    assertThat(status).containsSubsequence("online", "offline", "online");
    assertThat(v3Ack).isCompleted();
    assertThat(BridgeTest.publish(v5, "msh/EU_868/2/map/!000000a5", bytes("after"))).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

    final var stored = KafkaRecords.all(kafka.bootstrapServers(), registry, "mesh.uplink.v1", MqttUplink.class).stream()
        .map(r -> new String(BridgeTest.bytes(r.value().getPayload()), StandardCharsets.UTF_8)).toList();
    assertThat(stored).contains("before", "during-v3", "after").doesNotContain("during")
        .noneMatch(payload -> payload.startsWith("in-flight-"));
    v5.disconnect();
    v3.disconnect().join();
    watcher.disconnect();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
