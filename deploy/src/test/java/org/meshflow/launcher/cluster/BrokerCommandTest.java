package org.meshflow.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.launcher.UsageException;
import org.meshflow.launcher.run.Lifecycle;
import org.meshflow.launcher.run.MeshTopics;
import org.meshflow.launcher.simulate.SimulateCommand;
import org.meshflow.records.MqttUplink;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.RegistryHttpServer;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;
import org.meshflow.launcher.embedded.SelfSignedKeyStore;
import org.meshflow.launcher.embedded.TlsListener;

/** {@code ./meshflow broker} and {@code ./meshflow jobs} against an external Kafka, as an operator runs them. */
class BrokerCommandTest {
  private static final Pattern READY =
      Pattern.compile("meshflow ready broker mqtt=(\\d+) kafka=\\S+ http=(\\d+) mqtts=(\\d+)");

  @Test
  void gatewaysPublishInClearAndOverTlsThroughTheBrokerCommand(@TempDir Path dir) throws Exception {
    final SelfSignedKeyStore tls = SelfSignedKeyStore.create(dir, "tls-s3cret");
    final Path keyStore = tls.keyStore();
    final Path certificate = tls.certificate();
    final Path password = Files.writeString(dir.resolve("keystore-password"), "tls-s3cret\n");
    final var registry = new InMemorySchemaRegistry();
    try (var kafka = EmbeddedKafka.start(); var server = RegistryHttpServer.start(registry, "127.0.0.1", 0, "")) {
      MeshTopics.createMissing(kafka.bootstrapServers(), 1, (short) 1, new Lifecycle(System.out, System.err));
      final var out = new ByteArrayOutputStream();
      final var broker = new BrokerCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
      try {
        broker.run(new String[] {"--kafka", kafka.bootstrapServers(), "--registry", server.url(), "--mqtt-port", "0",
            "--http-port", "0", "--data", dir.resolve("data").toString(), "--allow-anonymous", "--mqtt-tls-port", "0",
            "--mqtt-tls-keystore", keyStore.toString(), "--mqtt-tls-keystore-password-file", password.toString(),
            "--mqtt-max-connections", "5"},
            false);
        final var ready = READY.matcher(out.toString(StandardCharsets.UTF_8));
        assertThat(ready.find()).as("ready line in %s", out).isTrue();
        final int tlsPort = Integer.parseInt(ready.group(3));

        // in clear, on --mqtt-port
        final var plain = MqttClient.builder().useMqttVersion5().identifier("!0000beef").serverHost("127.0.0.1")
            .serverPort(Integer.parseInt(ready.group(1))).buildBlocking();
        plain.connect();
        plain.publishWith().topic(MeshTraffic.topic("!0000beef")).qos(MqttQos.AT_LEAST_ONCE)
            .payload(MeshTraffic.envelope("!0000beef", 0xa0000001, 7, java.time.Instant.now())).send();
        plain.disconnect();
        assertThat(uplinks(kafka, registry, 1)).singleElement().satisfies(u -> {
          assertThat(u.getClientId()).isEqualTo("!0000beef");
          assertThat(u.getTopic()).isEqualTo("msh/US/2/e/LongFast/!0000beef");
        });
        final var health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + ready.group(2) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"broker\":\"UP\"");
        final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + ready.group(2) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        final var expiry = Pattern.compile("(?m)^meshflow_mqtt_tls_certificate_expiry_seconds\\S* (\\S+)$")
            .matcher(metrics);
        assertThat(expiry.find()).as("the certificate's expiry, for an alert, in %s", metrics).isTrue();
        assertThat(Double.parseDouble(expiry.group(1)))
            .isEqualTo((double) new TlsListener(0, keyStore, "tls-s3cret").certificateExpiry().getEpochSecond());
        assertThat(Files.readString(dir.resolve("data/hivemq/conf/config.xml"))).contains("tls-s3cret");
        assertThat(Files.getPosixFilePermissions(dir.resolve("data/hivemq/conf/config.xml")))
            .as("the broker's config holds the key store password").containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        // a client that trusts the operator's certificate
        final var trusted = tls.trust();
        final var gateway = MqttClient.builder().useMqttVersion5().identifier("!0000cafe").serverHost("127.0.0.1")
            .serverPort(tlsPort).sslConfig().trustManagerFactory(trusted).applySslConfig().buildBlocking();
        gateway.connect();
        gateway.publishWith().topic(MeshTraffic.topic("!0000cafe")).qos(MqttQos.AT_LEAST_ONCE)
            .payload(MeshTraffic.envelope("!0000cafe", 0xa0000002, 8, java.time.Instant.now())).send();
        gateway.disconnect();
        // mosquitto_pub, told the certificate as a gateway's firmware or script would be
        final var mosquitto = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", String.valueOf(tlsPort),
            "--cafile", certificate.toString(), "-i", "!0000f00d", "-q", "1", "-t", MeshTraffic.topic("!0000f00d"),
            "-s").redirectErrorStream(true).start();
        try (var stdin = mosquitto.getOutputStream()) {
          stdin.write(MeshTraffic.envelope("!0000f00d", 0xa0000003, 9, java.time.Instant.now()));
        }
        assertThat(mosquitto.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mosquitto.exitValue()).as(new String(mosquitto.getInputStream().readAllBytes())).isZero();
        assertThat(uplinks(kafka, registry, 3)).extracting(MqttUplink::getClientId)
            .containsExactlyInAnyOrder("!0000beef", "!0000cafe", "!0000f00d");

        // a client that does not trust it does not get in
        final var stranger = MqttClient.builder().useMqttVersion5().identifier("stranger").serverHost("127.0.0.1")
            .serverPort(tlsPort).sslWithDefaultConfig().buildBlocking();
        assertThatThrownBy(stranger::connect).hasRootCauseInstanceOf(
            java.security.cert.CertPathBuilderException.class);

        // ./meshflow simulate's gateways over TLS: every uplink acknowledged, so in Kafka
        final var simulated = new ByteArrayOutputStream();
        assertThat(new SimulateCommand(new PrintStream(simulated, true, StandardCharsets.UTF_8), System.err).run(
            new String[] {"--mqtt", "ssl://127.0.0.1:" + tlsPort, "--mqtt-ca", certificate.toString(), "--routers", "2",
                "--nodes", "5", "--rate", "20", "--duration", "2s"})).isZero();
        final var truth = Pattern.compile("simulate: (\\d+) unique packets .* (\\d+) uplinks .* (\\d+) acknowledged")
            .matcher(simulated.toString(StandardCharsets.UTF_8));
        assertThat(truth.find()).as(simulated.toString(StandardCharsets.UTF_8)).isTrue();
        assertThat(Integer.parseInt(truth.group(3))).isPositive().isEqualTo(Integer.parseInt(truth.group(2)));

        // limits: a client id of 257 characters, and a sixth connection over --mqtt-max-connections 5
        final int plainPort = Integer.parseInt(ready.group(1));
        assertThatThrownBy(() -> MqttClient.builder().useMqttVersion5().identifier("x".repeat(257))
            .serverHost("127.0.0.1").serverPort(plainPort).buildBlocking().connect())
            .isInstanceOf(Mqtt5ConnAckException.class);
        final var holders = new ArrayList<Mqtt5BlockingClient>();
        // the connections above may take a moment to leave the broker's count
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          final var client = MqttClient.builder().useMqttVersion5().identifier("holder-" + holders.size())
              .serverHost("127.0.0.1").serverPort(plainPort).buildBlocking();
          try {
            client.connect();
            holders.add(client);
          } catch (RuntimeException e) {
            // full while the earlier ones still count
          }
          return holders.size() == 5;
        });
        assertThatThrownBy(() -> MqttClient.builder().useMqttVersion5().identifier("one-too-many")
            .serverHost("127.0.0.1").serverPort(plainPort).buildBlocking().connect())
            .as("a sixth connection").isInstanceOf(RuntimeException.class);
        holders.forEach(Mqtt5BlockingClient::disconnect);
      } finally {
        broker.stop();
      }
    }
    // a key store that cannot serve is a clear error at start
    final Path wrong = Files.writeString(dir.resolve("wrong-password"), "not-it\n");
    assertThatThrownBy(() -> new BrokerCommand(System.out, System.err).run(new String[] {"--kafka", "k:9092",
        "--registry", "http://r", "--data", dir.resolve("data").toString(), "--mqtt-tls-keystore", keyStore.toString(),
        "--mqtt-tls-keystore-password-file", wrong.toString()}, false)).isInstanceOf(UsageException.class)
        .hasMessage("--mqtt-tls-keystore " + keyStore + ": wrong password");
    assertThatThrownBy(() -> new BrokerCommand(System.out, System.err).run(new String[] {"--kafka", "k:9092",
        "--registry", "http://r", "--mqtt-tls-keystore", certificate.toString(), "--mqtt-tls-keystore-password",
        "x"}, false)).isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--mqtt-tls-keystore " + certificate + " is not a PKCS#12 or JKS key store");
    assertThatThrownBy(() -> new BrokerCommand(System.out, System.err).run(new String[] {"--kafka", "k:9092",
        "--registry", "http://r", "--mqtt-tls-port", "8883"}, false)).isInstanceOf(UsageException.class)
        .hasMessage("--mqtt-tls-port needs --mqtt-tls-keystore FILE (PKCS#12 or JKS) with the broker's key and"
            + " certificate");
  }

  @Test
  void everyMissingOrContradictorySettingIsReportedAtOnce() {
    assertThatThrownBy(() -> new BrokerCommand(System.out, System.err).run(new String[] {"--auth", "a.xml",
        "--allow-anonymous"}, false)).isInstanceOf(UsageException.class).hasMessage(
            "--kafka HOST:PORT[,HOST:PORT...] is required; --registry URL is required; "
                + "--auth and --allow-anonymous exclude each other");
    assertThatThrownBy(() -> new JobsCommand(System.out, System.err).run(new String[] {"--kafka", "nowhere",
        "--registry", "http://r:8080", "--replication-factor", "0"}, false)).isInstanceOf(UsageException.class)
        .hasMessage("--kafka 'nowhere' is not HOST:PORT[,HOST:PORT...]; "
            + "--replication-factor must be a whole number from 1 to 7, not '0'");
  }

  /** The first {@code count} uplinks in Kafka, waiting for them. */
  private static List<MqttUplink> uplinks(EmbeddedKafka kafka, InMemorySchemaRegistry registry, int count) {
    final var uplinks = new ArrayList<MqttUplink>();
    try (var consumer = new KafkaConsumer<>(kafka.clientProperties(), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      final var partition = new TopicPartition("mesh.uplink.v1", 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      final var serde = AvroSerde.specific(registry, MqttUplink.class);
      await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> uplinks.add(serde.deserialize(r.topic(), r.value())));
        return uplinks.size() >= count;
      });
    }
    return uplinks;
  }
}
