package org.meshflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.meshflow.records.Alert;
import org.meshflow.records.MqttUplink;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;

/** A third-party client against the bridge: Eclipse Mosquitto's command-line tools (Debian mosquitto-clients). */
class MosquittoClientsTest {
  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  static BrokerWithBridge broker;

  @BeforeAll
  static void start() throws Exception {
    assertThat(run(List.of("mosquitto_pub", "--help")).output)
        .as("mosquitto_pub is missing: install the Debian package mosquitto-clients (see .ci/run)")
        .contains("mosquitto_pub");
    kafka = EmbeddedKafka.start();
    kafka.createTopic("mesh.uplink.v1", 1);
    kafka.createTopic("mesh.sessions.v1", 1);
    kafka.createTopic("mesh.alerts.v1", 1);
    broker = BrokerWithBridge.withTestUsers(dir, kafka, registry, "5s", true);
  }

  @AfterAll
  static void stop() throws Exception {
    BrokerWithBridge.closeAll(broker, kafka);
  }

  @Test
  void aQos1PublishIsInKafkaWhenMosquittoPubReturns() throws Exception {
    for (final var version : List.of("mqttv311", "mqttv5")) {
      final var clientId = version.equals("mqttv5") ? "!00000705" : "!00000311";
      final var result = run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port),
          "-V", version, "-i", clientId, "-u", "gw", "-P", TestSetup.PASSWORD, "-q", "1",
          "-t", "msh/EU_868/2/map/" + clientId, "-m", "from mosquitto " + version));
      assertThat(result.exitCode).as(result.output).isZero();
      // mosquitto_pub exits after the PUBACK, which leaves only once Kafka has the record
      assertThat(KafkaRecords.all(kafka.bootstrapServers(), registry, "mesh.uplink.v1", MqttUplink.class))
          .filteredOn(r -> clientId.equals(r.key())).singleElement()
          .satisfies(r -> assertThat(new String(BridgeTest.bytes(r.value().getPayload()), StandardCharsets.UTF_8))
              .isEqualTo("from mosquitto " + version));
    }
  }

  @Test
  void mosquittoSubReceivesAKafkaRecordAsARetainedMessage() throws Exception {
    final var alert = Alert.newBuilder().setAlertId("m-1").setType("ROUTER_OFFLINE").setSubject("!0000abcd")
        .setSeverity("WARNING").setAt(Instant.parse("2025-01-02T03:04:05Z")).setMessage("offline")
        .setOutageSeconds(null).setDetails(Map.of()).build();
    try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("mesh.alerts.v1", "!0000abcd",
          AvroSerde.specific(registry, Alert.class).serialize("mesh.alerts.v1", alert))).get();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> broker.count("meshflow.bridge.delivered", "mapping", "alerts") >= 1);

    final var result = run(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port),
        "-i", "ha-mosquitto", "-u", "reader", "-P", TestSetup.PASSWORD, "-q", "1", "-t", "meshflow/alerts/#",
        "--retained-only", "-C", "1", "-W", "20", "-F", "%r %t %p"));
    assertThat(result.exitCode).as(result.output).isZero();
    assertThat(result.output.trim()).startsWith("1 meshflow/alerts/!0000abcd {\"alertId\":\"m-1\"");
  }

  @Test
  void badCredentialsAreRefused() throws Exception {
    final var result = run(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(broker.port),
        "-i", "!00000bad", "-u", "gw", "-P", "wrong", "-q", "1", "-t", "msh/EU_868/2/map/!00000bad", "-m", "x"));
    assertThat(result.exitCode).isNotZero();
    assertThat(result.output).contains("Connection Refused: bad user name or password");
    assertThat(KafkaRecords.all(kafka.bootstrapServers(), registry, "mesh.uplink.v1", MqttUplink.class))
        .noneMatch(r -> "!00000bad".equals(r.key()));
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command) throws IOException, InterruptedException {
    final Process process;
    try {
      process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
    }
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
