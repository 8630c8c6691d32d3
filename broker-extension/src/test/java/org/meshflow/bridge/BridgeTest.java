package org.meshflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshflow.records.Alert;
import org.meshflow.records.ClientSession;
import org.meshflow.records.DisconnectReason;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.SessionEvent;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;

/** One real Kafka and one real HiveMQ with the bridge, driven by real MQTT 3.1.1 and 5 clients. */
class BridgeTest {
  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static InMemorySchemaRegistry registry;
  static BrokerWithBridge broker;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start();
    kafka.createTopic("mesh.uplink.v1", 2);
    kafka.createTopic("mesh.sessions.v1", 2);
    kafka.createTopic("mesh.alerts.v1", 1);
    registry = new InMemorySchemaRegistry();
    broker = BrokerWithBridge.withTestUsers(dir, kafka, registry, "5s", true);
  }

  @AfterAll
  static void stop() throws Exception {
    BrokerWithBridge.closeAll(broker, kafka);
  }

  @Test
  void aQos1PublishIsInKafkaWhenItsPubackArrives() throws Exception {
    final var client = mqtt5("!0000000a", "gw");
    final var payload = TestSetup.envelope("!0000000a");
    final var before = Instant.now().minusSeconds(1);
    assertThat(reasonCode(client.toAsync().publishWith().topic("msh/EU_868/2/e/LongFast/!0000000a")
        .qos(MqttQos.AT_LEAST_ONCE).payload(payload)
        .userProperties().add("b", "2").add("a", "1").add("b", "3").applyUserProperties()
        .send())).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

    // no polling: the record must already be there when the PUBACK arrived
    final var records = uplinksOf("!0000000a");
    assertThat(records).hasSize(1);
    final var uplink = records.get(0);
    assertThat(uplink.getTopic()).isEqualTo("msh/EU_868/2/e/LongFast/!0000000a");
    assertThat(bytes(uplink.getPayload())).isEqualTo(payload);
    assertThat(uplink.getQos()).isEqualTo(1);
    assertThat(uplink.getRetain()).isFalse();
    assertThat(uplink.getUsername()).isEqualTo("gw");
    assertThat(uplink.getUserProperties()).extracting(p -> p.getName() + "=" + p.getValue())
        .containsExactly("b=2", "a=1", "b=3");
    assertThat(uplink.getReceivedAt()).isBetween(before, Instant.now());
    client.disconnect();
  }

  @ParameterizedTest(name = "MQTT {0}")
  @ValueSource(strings = {"3.1.1", "5"})
  void manyPublishesInFlightAreEachInKafkaWhenTheirPubackArrivesAndKeepTheirOrder(String version) throws Exception {
    final var clientId = "pipelined-" + version;
    final int count = 100;
    final var topic = "msh/EU_868/2/map/" + clientId;
    final var publishes = new java.util.ArrayList<java.util.concurrent.CompletableFuture<?>>();
    final var tooEarly = new java.util.concurrent.ConcurrentLinkedQueue<String>();
    final var acked = new java.util.concurrent.atomic.AtomicInteger();
    try (var stored = new StoredCount(kafka.bootstrapServers(), "mesh.uplink.v1")) {
      final long before = stored.now();
      final java.util.function.Function<Integer, java.util.concurrent.CompletableFuture<?>> publish;
      final Runnable disconnect;
      if (version.equals("5")) {
        final var client = mqtt5(clientId, "admin").toAsync();
        publish = i -> client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload(i)).send()
            .thenAccept(result -> assertThat(result.getError()).isEmpty());
        disconnect = () -> client.disconnect().join();
      } else {
        final var client = MqttClient.builder().useMqttVersion3().identifier(clientId).serverHost("127.0.0.1")
            .serverPort(broker.port).buildAsync();
        client.connectWith().simpleAuth().username("admin").password(TestSetup.PASSWORD.getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth().send().join();
        publish = i -> client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload(i)).send();
        disconnect = () -> client.disconnect().join();
      }
      for (int i = 0; i < count; i++) {
        publishes.add(publish.apply(i).thenRun(() -> {
          // every PUBACK so far stands for a record Kafka already has
          final int pubacks = acked.incrementAndGet();
          final long inKafka = stored.now() - before;
          if (inKafka < pubacks) {
            tooEarly.add(pubacks + " PUBACKs but " + inKafka + " records");
          }
        }));
      }
      java.util.concurrent.CompletableFuture.allOf(publishes.toArray(new java.util.concurrent.CompletableFuture[0]))
          .get(60, TimeUnit.SECONDS);
      disconnect.run();
    }
    assertThat(tooEarly).isEmpty();
    assertThat(uplinksOf(clientId)).extracting(u -> new String(bytes(u.getPayload()), StandardCharsets.UTF_8))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, count).mapToObj(String::valueOf).toList());
  }

  @Test
  void aQos2PublishIsInKafkaWhenItsPubrecArrives() throws Exception {
    try (var socket = rawConnect("!00000030", 60)) {
      final var topic = "msh/EU_868/2/map/!00000030".getBytes(StandardCharsets.UTF_8);
      final var packet = new ByteArrayOutputStream();
      packet.write(0x34);  // PUBLISH, QoS 2
      packet.write(2 + topic.length + 2 + 2);
      packet.write(0);
      packet.write(topic.length);
      packet.writeBytes(topic);
      packet.writeBytes(new byte[] {0, 7, 'q', '2'});
      socket.getOutputStream().write(packet.toByteArray());
      socket.getOutputStream().flush();
      assertThat(socket.getInputStream().readNBytes(4)).containsExactly(0x50, 0x02, 0x00, 0x07);  // PUBREC
      // no polling: the record must already be there when the PUBREC arrived
      assertThat(uplinksOf("!00000030")).singleElement().satisfies(u -> {
        assertThat(bytes(u.getPayload())).containsExactly('q', '2');
        assertThat(u.getQos()).isEqualTo(2);
      });
      socket.getOutputStream().write(new byte[] {0x62, 0x02, 0x00, 0x07});  // PUBREL
      assertThat(socket.getInputStream().readNBytes(4)).containsExactly(0x70, 0x02, 0x00, 0x07);  // PUBCOMP
    }
  }

  private static byte[] payload(int i) {
    return String.valueOf(i).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anMqtt311Qos0PublishIsForwardedAndUnmappedTopicsAreNot() throws Exception {
    final Mqtt3BlockingClient client = MqttClient.builder().useMqttVersion3().identifier("!0000000b")
        .serverHost("127.0.0.1").serverPort(broker.port).buildBlocking();
    client.connectWith().simpleAuth().username("gw").password(TestSetup.PASSWORD.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth().send();
    final var subscriber = mqtt5("sub-unmapped", "admin");
    final var received = new LinkedBlockingQueue<Mqtt5Publish>();
    subscriber.toAsync().subscribeWith().topicFilter("other/#").qos(MqttQos.AT_LEAST_ONCE)
        .callback(received::add).send().get(10, TimeUnit.SECONDS);
    final var admin = mqtt5("admin-unmapped", "admin");
    admin.publishWith().topic("other/topic").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
    client.publishWith().topic("msh/EU_868/2/map/!0000000b").qos(MqttQos.AT_MOST_ONCE).payload(new byte[] {7}).send();

    await().atMost(Duration.ofSeconds(10)).until(() -> !uplinksOf("!0000000b").isEmpty());
    assertThat(uplinksOf("!0000000b").get(0).getQos()).isZero();
    assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(uplinksOf("admin-unmapped")).isEmpty();
    client.disconnect();
    subscriber.disconnect();
    admin.disconnect();
  }

  @Test
  void spoofedIdentitiesAndProtectedRootsAreRejectedAndCounted() throws Exception {
    final var client = mqtt5("!aaaaaaaa", "gw");
    final var before = broker.count("meshflow.bridge.rejected", "cause", "identity-topic");
    assertThat(publish(client, "msh/EU_868/2/e/LongFast/!bbbbbbbb", TestSetup.envelope("!aaaaaaaa")))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    assertThat(publish(client, "msh/EU_868/2/e/LongFast/!aaaaaaaa", TestSetup.envelope("!bbbbbbbb")))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    assertThat(publish(client, "msh/EU_868/2/e/LongFast/!aaaaaaaa", "not protobuf".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
    assertThat(publish(client, "meshflow/alerts/!aaaaaaaa", new byte[] {1}))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    assertThat(publish(client, "homeassistant/status", "online".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
    assertThat(publish(client, "msh/EU_868/2/e/LongFast/!aaaaaaaa", TestSetup.envelope("!aaaaaaaa")))
        .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

    final var relay = mqtt5("phone-1", "relay");
    assertThat(publish(relay, "msh/EU_868/2/e/LongFast/!cccccccc", TestSetup.envelope("!cccccccc")))
        .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    assertThat(publish(relay, "msh/EU_868/2/e/LongFast/!aaaaaaaa", TestSetup.envelope("!aaaaaaaa")))
        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);

    assertThat(uplinksOf("!aaaaaaaa")).singleElement()
        .satisfies(u -> assertThat(u.getTopic()).endsWith("/!aaaaaaaa"));
    assertThat(uplinksOf("phone-1")).singleElement()
        .satisfies(u -> assertThat(u.getTopic()).endsWith("/!cccccccc"));
    assertThat(broker.count("meshflow.bridge.rejected", "cause", "identity-topic") - before).isEqualTo(2);
    assertThat(broker.count("meshflow.bridge.rejected", "cause", "identity-payload")).isGreaterThanOrEqualTo(1);
    assertThat(broker.count("meshflow.bridge.rejected", "cause", "protected-root")).isGreaterThanOrEqualTo(2);
    assertThat(broker.count("meshflow.bridge.rejected", "cause", "payload-format")).isGreaterThanOrEqualTo(1);
    client.disconnect();
    relay.disconnect();
  }

  @Test
  void badCredentialsAreRefused() {
    final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("!0000000c")
        .serverHost("127.0.0.1").serverPort(broker.port).buildBlocking();
    assertThatThrownBy(() -> client.connectWith().simpleAuth().username("gw")
        .password("wrong".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send())
        .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
            .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
    assertThatThrownBy(() -> client.connectWith().send())
        .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
            .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
  }

  @Test
  void oversizedAndFloodingPublishesAreLimited() throws Exception {
    final var client = mqtt5("!0000000d", "gw");
    assertThat(publish(client, "msh/EU_868/2/map/!0000000d", new byte[257]))
        .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
    // a burst of 20 (less the oversized one) is allowed, then about 5 per second: 40 at once cannot all pass
    final var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Mqtt5PublishResult>>();
    for (int i = 0; i < 40; i++) {
      futures.add(client.toAsync().publishWith().topic("msh/EU_868/2/map/!0000000d").qos(MqttQos.AT_LEAST_ONCE)
          .payload(new byte[] {(byte) i}).send());
    }
    final var codes = new java.util.ArrayList<Mqtt5PubAckReasonCode>();
    for (final var f : futures) {
      codes.add(reasonCode(f));
    }
    assertThat(codes).contains(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
    final var accepted = codes.stream().filter(c -> c == Mqtt5PubAckReasonCode.SUCCESS).count();
    assertThat(accepted).isBetween(19L, 30L);
    assertThat(uplinksOf("!0000000d")).hasSize((int) accepted);
    assertThat(broker.count("meshflow.bridge.rejected", "cause", "rate")).isGreaterThanOrEqualTo(40 - accepted);

    // sustained abuse ends the connection (however many tokens the bucket gathered meanwhile)
    for (int i = 0; i < 500 && client.getState().isConnected(); i++) {
      client.toAsync().publishWith().topic("msh/EU_868/2/map/!0000000d").payload(new byte[] {1}).send();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> !client.getState().isConnected());
  }

  @Test
  void aFloodingClientIsCutOffWhileAWellBehavedOneIsServed() throws Exception {
    final var flooder = mqtt5("!00000020", "gw");
    final var polite = mqtt5("!00000021", "gw");
    final var floodRejections = broker.count("meshflow.bridge.rejected", "cause", "rate");
    final var flood = new Thread(() -> {
      for (int i = 0; i < 100_000 && flooder.getState().isConnected(); i++) {
        flooder.toAsync().publishWith().topic("msh/EU_868/2/map/!00000020").payload(new byte[] {1}).send();
      }
    });
    flood.start();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> broker.count("meshflow.bridge.rejected", "cause", "rate") > floodRejections);
    final var acks = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Mqtt5PublishResult>>();
    for (int i = 0; i < 5; i++) {
      acks.add(polite.toAsync().publishWith().topic("msh/EU_868/2/map/!00000021").qos(MqttQos.AT_LEAST_ONCE)
          .payload(new byte[] {(byte) i}).send());
    }
    for (final var ack : acks) {
      assertThat(reasonCode(ack)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> !flooder.getState().isConnected());
    flood.join(30_000);
    assertThat(uplinksOf("!00000021")).hasSize(5);
    assertThat(uplinksOf("!00000020").size()).isLessThanOrEqualTo(20 + 5 * 20);
    polite.disconnect();
  }

  @Test
  void aChangedCredentialsFileIsReadAgain() throws Exception {
    final Mqtt5BlockingClient newcomer = MqttClient.builder().useMqttVersion5().identifier("newcomer")
        .serverHost("127.0.0.1").serverPort(broker.port).buildBlocking();
    assertThatThrownBy(() -> mqtt5("newcomer", "late")).isInstanceOf(Mqtt5ConnAckException.class);
    TestSetup.writeCredentials(dir, "<user name=\"late\" roles=\"reader\" password=\"%1$s\"/>");
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      newcomer.connectWith().simpleAuth().username("late").password(TestSetup.PASSWORD.getBytes(StandardCharsets.UTF_8))
          .applySimpleAuth().send();
      return true;
    });
    newcomer.disconnect();
    TestSetup.writeCredentials(dir);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .untilAsserted(() -> assertThatThrownBy(() -> mqtt5("newcomer", "late")).isInstanceOf(Mqtt5ConnAckException.class));
    mqtt5("still-there", "gw").disconnect();
  }

  @Test
  void sessionsAreRecordedWithTheirReason() throws Exception {
    final var client = mqtt5("!0000000e", "gw");
    client.disconnect();
    try (var lost = rawConnect("!0000000f", 60)) {
      // closed below without DISCONNECT
    }
    final var idle = rawConnect("!00000010", 1);
    mqtt5("!00000011", "gw");
    final var second = mqtt5("!00000011", "gw");
    final Mqtt5BlockingClient refused = MqttClient.builder().useMqttVersion5().identifier("!00000012")
        .serverHost("127.0.0.1").serverPort(broker.port).buildBlocking();
    assertThatThrownBy(() -> refused.connectWith().simpleAuth().username("gw")
        .password("wrong".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send())
        .isInstanceOf(Mqtt5ConnAckException.class);

    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertThat(sessionsOf("!0000000e")).extracting(ClientSession::getEvent, ClientSession::getReason)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(SessionEvent.CONNECTED, null),
              org.assertj.core.groups.Tuple.tuple(SessionEvent.DISCONNECTED, DisconnectReason.GRACEFUL));
      assertThat(sessionsOf("!0000000f")).extracting(ClientSession::getReason)
          .containsExactly(null, DisconnectReason.CONNECTION_LOST);
      assertThat(sessionsOf("!00000010")).extracting(ClientSession::getReason)
          .containsExactly(null, DisconnectReason.KEEPALIVE_TIMEOUT);
      assertThat(sessionsOf("!00000011")).extracting(ClientSession::getEvent, ClientSession::getReason)
          .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(SessionEvent.CONNECTED, null),
              org.assertj.core.groups.Tuple.tuple(SessionEvent.CONNECTED, null),
              org.assertj.core.groups.Tuple.tuple(SessionEvent.DISCONNECTED, DisconnectReason.TAKEN_OVER));
      assertThat(sessionsOf("!00000012")).extracting(ClientSession::getEvent, ClientSession::getReason)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(SessionEvent.DISCONNECTED, DisconnectReason.AUTH_FAILURE));
    });
    final var taken = sessionsOf("!00000011");
    // the first connection is the one taken over
    assertThat(taken).filteredOn(r -> r.getEvent() == SessionEvent.DISCONNECTED).singleElement()
        .extracting(ClientSession::getConnectionId).isEqualTo(taken.get(0).getConnectionId());
    second.disconnect();
    final var connected = sessionsOf("!0000000e").get(0);
    assertThat(connected.getKeepAliveSeconds()).isEqualTo(60);
    assertThat(connected.getProtocolVersion()).isEqualTo("5");
    assertThat(connected.getCleanStart()).isTrue();
    assertThat(connected.getUsername()).isEqualTo("gw");
    assertThat(connected.getConnectionId()).isEqualTo(sessionsOf("!0000000e").get(1).getConnectionId());
    assertThat(sessionsOf("!00000010").get(0).getProtocolVersion()).isEqualTo("3.1.1");
    idle.close();
  }

  @Test
  void theBrokerStartIsAnnouncedOnceInEveryPartitionOfTheSessionTopic() {
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      final var starts = KafkaRecords.all(kafka.bootstrapServers(), registry, "mesh.sessions.v1", ClientSession.class)
          .stream().filter(r -> r.value().getEvent() == SessionEvent.BROKER_STARTED).toList();
      assertThat(starts).extracting(r -> r.partition()).containsExactlyInAnyOrder(0, 1);
      assertThat(starts).allSatisfy(r -> assertThat(r.value().getClientId()).isEmpty());
    });
  }

  @Test
  void kafkaRecordsReachSubscribersAsRetainedJson() throws Exception {
    final var alert = Alert.newBuilder().setAlertId("a-1").setType("ROUTER_OFFLINE").setSubject("!abcdef01")
        .setSeverity("WARNING").setAt(Instant.parse("2025-01-02T03:04:05Z")).setMessage("router is offline")
        .setOutageSeconds(null).setDetails(Map.of("cause", "keepalive")).build();
    final var serde = AvroSerde.specific(registry, Alert.class);
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("mesh.alerts.v1", "!abcdef01", serde.serialize("mesh.alerts.v1", alert))).get();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> broker.count("meshflow.bridge.delivered", "mapping", "alerts") >= 1);

    final var reader = mqtt5("ha-1", "reader");
    final var received = new LinkedBlockingQueue<Mqtt5Publish>();
    reader.toAsync().subscribeWith().topicFilter("meshflow/alerts/#").qos(MqttQos.AT_LEAST_ONCE)
        .callback(received::add).send().get(10, TimeUnit.SECONDS);
    final var message = received.poll(10, TimeUnit.SECONDS);
    assertThat(message).isNotNull();
    assertThat(message.getTopic().toString()).isEqualTo("meshflow/alerts/!abcdef01");
    assertThat(message.isRetain()).isTrue();
    assertThat(new String(message.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo(
        "{\"alertId\":\"a-1\",\"type\":\"ROUTER_OFFLINE\",\"subject\":\"!abcdef01\",\"severity\":\"WARNING\","
            + "\"at\":\"2025-01-02T03:04:05Z\",\"message\":\"router is offline\",\"outageSeconds\":null,"
            + "\"details\":{\"cause\":\"keepalive\"}}");
    reader.disconnect();
  }

  static Mqtt5BlockingClient mqtt5(String clientId, String user) {
    final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
        .serverHost("127.0.0.1").serverPort(broker.port).buildBlocking();
    client.connectWith().keepAlive(60).simpleAuth().username(user)
        .password(TestSetup.PASSWORD.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
    return client;
  }

  /** The PUBACK's reason code; SUCCESS for any success code (NO_MATCHING_SUBSCRIBERS included). */
  static Mqtt5PubAckReasonCode publish(Mqtt5BlockingClient client, String topic, byte[] payload) throws Exception {
    return reasonCode(client.toAsync().publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send());
  }

  static Mqtt5PubAckReasonCode reasonCode(java.util.concurrent.CompletableFuture<Mqtt5PublishResult> future)
      throws Exception {
    try {
      final var code = ((Mqtt5PublishResult.Mqtt5Qos1Result) future.get(20, TimeUnit.SECONDS)).getPubAck().getReasonCode();
      return code.isError() ? code : Mqtt5PubAckReasonCode.SUCCESS;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Mqtt5PubAckException nack) {
        return nack.getMqttMessage().getReasonCode();
      }
      throw e;
    }
  }

  static List<MqttUplink> uplinksOf(String clientId) {
    return KafkaRecords.all(kafka.bootstrapServers(), registry, "mesh.uplink.v1", MqttUplink.class).stream()
        .filter(r -> clientId.equals(r.key())).map(r -> r.value()).toList();
  }

  static List<ClientSession> sessionsOf(String clientId) {
    return KafkaRecords.all(kafka.bootstrapServers(), registry, "mesh.sessions.v1", ClientSession.class).stream()
        .filter(r -> clientId.equals(r.key())).map(r -> r.value()).toList();
  }

  /** An MQTT 3.1.1 connection on a plain socket that, after CONNACK, says nothing more. */
  static Socket rawConnect(String clientId, int keepAliveSeconds) throws IOException {
    final var body = new ByteArrayOutputStream();
    writeString(body, "MQTT");
    body.write(4);
    body.write(0xC2);
    body.write(keepAliveSeconds >> 8);
    body.write(keepAliveSeconds & 0xff);
    writeString(body, clientId);
    writeString(body, "gw");
    writeString(body, TestSetup.PASSWORD);
    final var socket = new Socket("127.0.0.1", broker.port);
    final var out = socket.getOutputStream();
    out.write(0x10);
    out.write(body.size());
    out.write(body.toByteArray());
    out.flush();
    final InputStream in = socket.getInputStream();
    socket.setSoTimeout(10_000);
    final var connack = in.readNBytes(4);
    assertThat(connack).containsExactly(0x20, 0x02, 0x00, 0x00);
    return socket;
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    final var bytes = s.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >> 8);
    out.write(bytes.length & 0xff);
    out.writeBytes(bytes);
  }

  static byte[] bytes(java.nio.ByteBuffer buffer) {
    final var copy = new byte[buffer.remaining()];
    buffer.duplicate().get(copy);
    return copy;
  }
}
