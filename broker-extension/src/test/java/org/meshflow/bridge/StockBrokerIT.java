package org.meshflow.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.records.MqttUplink;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.RegistryHttpServer;
import org.meshflow.testing.EmbeddedKafka;

/**
 * The extension zip as a user installs it: unzipped into the {@code extensions/} folder of a stock
 * HiveMQ CE, which is started by its own main class in a JVM of its own whose class path holds HiveMQ
 * but not our classes. It must read its conf/, authenticate and forward to Kafka.
 */
class StockBrokerIT {
  static final String HIVEMQ_MAIN = "com.hivemq.HiveMQServer";

  @TempDir Path home;

  @Test
  void theUnzippedExtensionForwardsAPublishToKafka() throws Exception {
    final var zip = Path.of(System.getProperty("meshflow.extension.zip", "target/meshflow-bridge.zip"));
    assertThat(zip).as("the extension zip (built by mvn package)").exists();
    final var registry = new InMemorySchemaRegistry();
    try (var kafka = EmbeddedKafka.start(); var registryServer = RegistryHttpServer.start(registry)) {
      kafka.createTopic("mesh.uplink.v1", 1);
      kafka.createTopic("mesh.sessions.v1", 1);
      final int port = BrokerWithBridge.freePort();
      final var extension = install(zip, port);
      TestSetup.writeCredentials(extension.resolve("conf"));
      Files.writeString(extension.resolve("conf").resolve("config.xml"),
          TestSetup.config(kafka.bootstrapServers(), "5s", false).replace("</bootstrap-servers>",
              "</bootstrap-servers><schema-registry-url>" + registryServer.url() + "</schema-registry-url>"));

      final var log = home.resolve("hivemq.out");
      final var hivemq = new ProcessBuilder(javaCommand(), "-Xmx384m", "-Dhivemq.home=" + home, "-cp", hivemqClassPath(),
          HIVEMQ_MAIN).directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
      hivemq.environment().put("HIVEMQ_HOME", home.toString());
      final var process = hivemq.start();
      try {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
          final var output = Files.readString(log);
          assertThat(process.isAlive()).as("HiveMQ exited").isTrue();
          assertThat(output).doesNotContain("meshflow bridge not started");
          return output.contains("meshflow bridge started");
        });
        final Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier("!00000123")
            .serverHost("127.0.0.1").serverPort(port).buildBlocking();
        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("gw")
            .password("wrong".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send())
            .isInstanceOf(Mqtt5ConnAckException.class);
        client.connectWith().simpleAuth().username("gw").password(TestSetup.PASSWORD.getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth().send();
        final var result = client.toAsync().publishWith().topic("msh/EU_868/2/map/!00000123")
            .qos(MqttQos.AT_LEAST_ONCE).payload("stock".getBytes(StandardCharsets.UTF_8)).send();
        assertThat(BridgeTest.reasonCode(result)).isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        client.disconnect();

        final List<MqttUplink> uplinks = KafkaRecords.all(kafka.bootstrapServers(), registry, "mesh.uplink.v1",
            MqttUplink.class).stream().map(r -> r.value()).toList();
        assertThat(uplinks).singleElement().satisfies(u -> {
          assertThat(u.getClientId()).isEqualTo("!00000123");
          assertThat(new String(BridgeTest.bytes(u.getPayload()), StandardCharsets.UTF_8)).isEqualTo("stock");
        });
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(e.getMessage() + "\nend of the HiveMQ log:\n" + tail(log), e);
      } finally {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  /** A HiveMQ home on 127.0.0.1:port without usage statistics, with the zip unpacked into extensions/. */
  private Path install(Path zip, int port) throws IOException {
    final var conf = Files.createDirectories(home.resolve("conf"));
    Files.writeString(conf.resolve("config.xml"), """
        <?xml version="1.0"?>
        <hivemq>
          <listeners><tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>
          <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
          <persistence><mode>in-memory</mode></persistence>
        </hivemq>
        """.formatted(port));
    final var extensions = Files.createDirectories(home.resolve("extensions"));
    try (var archive = new ZipFile(zip.toFile())) {
      for (final var entry : archive.stream().toList()) {
        final var target = extensions.resolve(entry.getName()).normalize();
        assertThat(target.startsWith(extensions)).as(entry.getName()).isTrue();
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          try (var in = archive.getInputStream(entry)) {
            Files.copy(in, target);
          }
        }
      }
    }
    final var extension = extensions.resolve("meshflow-bridge");
    assertThat(extension.resolve("hivemq-extension.xml")).exists();
    return extension;
  }

  /** This test's class path without the extension's own classes (module jar or classes folder) and the tests. */
  private static String hivemqClassPath() throws URISyntaxException {
    final Set<Path> ours = Set.of(location(BridgeExtension.class), location(StockBrokerIT.class));
    final var entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.isEmpty() && !ours.contains(Path.of(e).toAbsolutePath().normalize()))
        .collect(Collectors.toList());
    assertThat(String.join(File.pathSeparator, entries)).contains("hivemq-community-edition-embedded");
    return String.join(File.pathSeparator, entries);
  }

  private static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath().normalize();
  }

  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String tail(Path log) throws IOException {
    final var lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
