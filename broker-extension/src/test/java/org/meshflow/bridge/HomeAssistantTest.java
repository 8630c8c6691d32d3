package org.meshflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.testing.EmbeddedKafka;

/** What Home Assistant sees of the bridge: discovery configs again on its birth message, and availability. */
class HomeAssistantTest {
  static final String CONFIG_A = "homeassistant/binary_sensor/a/connectivity/config";
  static final String CONFIG_B = "homeassistant/binary_sensor/b/connectivity/config";
  static final String CONFIG_DELETED = "homeassistant/binary_sensor/c/connectivity/config";
  static final String STATE = "meshflow/routers/a/state";

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  static BrokerWithBridge broker;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    kafka.createTopic("mesh.uplink.v1", 1);
    kafka.createTopic("mesh.sessions.v1", 1);
    kafka.createTopic("mesh.alerts.v1", 1);
    kafka.createTopic("mesh.mqtt-retained.v1", 2, Map.of("cleanup.policy", "compact"));
    TestSetup.writeCredentials(dir);
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
      for (final var record : List.of(record(CONFIG_A, "{\"name\":\"a-old\"}"), record(CONFIG_B, "{\"name\":\"b\"}"),
          record(CONFIG_DELETED, "{\"name\":\"c\"}"), record(CONFIG_A, "{\"name\":\"a\"}"), record(STATE, "online"),
          record(CONFIG_DELETED, null))) {
        producer.send(record).get();
      }
    }
    broker = new BrokerWithBridge(dir.resolve("broker"), BrokerWithBridge.config(dir,
        TestSetup.config(kafka.bootstrapServers(), "5s", true)), registry);
    BridgeTest.broker = broker;
    await().atMost(Duration.ofSeconds(30)).until(() -> broker.count("meshflow.bridge.delivered", "mapping", "retained") >= 6);
  }

  @AfterAll
  static void stop() throws Exception {
    BrokerWithBridge.closeAll(broker, kafka);
  }

  @Test
  void theBirthMessageBringsBackEveryDiscoveryConfig() throws Exception {
    final var replayedBefore = broker.count("meshflow.bridge.replayed", "mapping", "retained");
    final var admin = BridgeTest.mqtt5("admin-ha", "admin");
    admin.publishWith().topic(CONFIG_A).retain(true).qos(MqttQos.AT_LEAST_ONCE).send();  // cleared from the broker

    final var homeAssistant = BridgeTest.mqtt5("home-assistant", "reader");
    final var live = new ConcurrentHashMap<String, String>();
    homeAssistant.toAsync().subscribeWith().topicFilter("homeassistant/#").qos(MqttQos.AT_LEAST_ONCE)
        .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).noLocal(true).retainAsPublished(true)
        .addSubscription().topicFilter("meshflow/#").qos(MqttQos.AT_LEAST_ONCE)
        .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).applySubscription()
        .callback(p -> live.put(p.getTopic() + (p.isRetain() ? " retained" : ""), text(p))).send()
        .get(10, TimeUnit.SECONDS);
    assertThat(BridgeTest.publish(homeAssistant, "homeassistant/status", bytes("online")))
        .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(live).containsOnly(
        Map.entry(CONFIG_A + " retained", "{\"name\":\"a\"}"), Map.entry(CONFIG_B + " retained", "{\"name\":\"b\"}")));
    assertThat(broker.count("meshflow.bridge.replayed", "mapping", "retained") - replayedBefore).isEqualTo(2);
    assertThat(retainedNow("homeassistant/#")).containsOnly(
        Map.entry(CONFIG_A, "{\"name\":\"a\"}"), Map.entry(CONFIG_B, "{\"name\":\"b\"}"));
    homeAssistant.disconnect();
    admin.disconnect();
  }

  @Test
  void aReaderMayPublishTheBirthTopicButNothingElseUnderProtectedRoots() throws Exception {
    final var reader = BridgeTest.mqtt5("reader-writes", "reader");
    final var before = broker.count("meshflow.bridge.rejected", "cause", "protected-root");
    assertThat(BridgeTest.publish(reader, "homeassistant/status", bytes("anything")))
        .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    assertThat(BridgeTest.publish(reader, "homeassistant/binary_sensor/a/connectivity/config", bytes("{}")))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    assertThat(BridgeTest.publish(reader, "homeassistant/status/more", bytes("online")))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    assertThat(BridgeTest.publish(reader, "meshflow/status", bytes("offline")))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    assertThat(broker.count("meshflow.bridge.rejected", "cause", "protected-root") - before).isEqualTo(3);
    assertThat(retainedNow("meshflow/status")).containsEntry("meshflow/status", "online");
    reader.disconnect();
  }

  /** The retained messages matching {@code filter}, as a new subscriber gets them. */
  static Map<String, String> retainedNow(String filter) throws Exception {
    final var client = BridgeTest.mqtt5("retained-" + System.nanoTime(), "admin");
    try {
      return retained(client, filter);
    } finally {
      client.disconnect();
    }
  }

  static Map<String, String> retained(Mqtt5BlockingClient client, String filter) throws Exception {
    final var found = new ConcurrentHashMap<String, String>();
    client.toAsync().subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
        .callback(p -> {
          if (p.isRetain()) {
            found.put(p.getTopic().toString(), text(p));
          }
        }).send().get(10, TimeUnit.SECONDS);
    // retained messages are sent right after the SUBACK; a round trip through the broker comes after them
    final var marker = "marker/" + System.nanoTime();
    final var done = new java.util.concurrent.CountDownLatch(1);
    client.toAsync().subscribeWith().topicFilter(marker).qos(MqttQos.AT_LEAST_ONCE).callback(p -> done.countDown())
        .send().get(10, TimeUnit.SECONDS);
    client.publishWith().topic(marker).qos(MqttQos.AT_LEAST_ONCE).send();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    return Map.copyOf(found);
  }

  private static ProducerRecord<String, String> record(String key, String value) {
    return new ProducerRecord<>("mesh.mqtt-retained.v1", key, value);
  }

  private static String text(Mqtt5Publish p) {
    return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
