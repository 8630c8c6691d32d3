package org.meshflow.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.launcher.run.SinkCommand;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.RegistryHttpServer;
import org.meshflow.testing.EmbeddedKafka;

/**
 * {@code ./meshflow jobs}, {@code broker} and {@code sink} on a Kafka that takes only SASL/PLAIN logins, each
 * given the login as {@code kafka.*} settings in its {@code --config} file: the jobs create the topics, and a
 * gateway's packet goes from MQTT through every component's Kafka clients into PostgreSQL.
 */
class SaslClusterTest {
  private static final Pattern BROKER_READY = Pattern.compile("meshflow ready broker mqtt=(\\d+)");
  private static final String GATEWAY = "!0000beef";

  @Test
  void everyComponentLogsInWithItsKafkaSettings(@TempDir Path dir) throws Exception {
    final var registry = new InMemorySchemaRegistry();
    try (var kafka = EmbeddedKafka.startSaslPlain();
        var registryServer = RegistryHttpServer.start(registry, "127.0.0.1", 0, "");
        var postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start()) {
      final Path login = dir.resolve("meshflow.properties");
      Files.writeString(login, kafka.clientSecurity().entrySet().stream()
          .map(e -> "kafka." + e.getKey() + " = " + e.getValue().replace("\\", "\\\\")).collect(Collectors.joining("\n")));
      final Path jobsConfig = dir.resolve("jobs.properties");
      Files.writeString(jobsConfig, "jobs.enabled=decode,dedup\ndedup.idle-after=2s\n");
      final List<String> common = List.of("--kafka", kafka.bootstrapServers(), "--registry", registryServer.url(),
          "--http-port", "0");
      final List<String> jobsArgs = with(common, "--partitions", "1", "--replication-factor", "1",
          "--state-dir", dir.resolve("state").toString(), "--jobs-config", jobsConfig.toString());

      final var withoutLogin = new JobsCommand(quiet(), System.err);
      assertThatThrownBy(() -> withoutLogin.run(with(jobsArgs, "--kafka.default.api.timeout.ms", "3000", "--kafka.request.timeout.ms", "2000").toArray(
          String[]::new), false)).as("the cluster refuses clients that do not log in")
          .hasMessageStartingWith("cannot create the Kafka topics at " + kafka.bootstrapServers());

      final var jobs = new JobsCommand(quiet(), System.err);
      final var brokerOut = new ByteArrayOutputStream();
      final var broker = new BrokerCommand(new PrintStream(brokerOut, true, StandardCharsets.UTF_8), System.err);
      final var sink = new SinkCommand(quiet());
      try (var admin = Admin.create(kafka.clientProperties())) {
        jobs.run(with(jobsArgs, "--config", login.toString()).toArray(String[]::new), false);
        assertThat(admin.listTopics().names().get()).contains("mesh.uplink.v1", "mesh.receptions.v1", "mesh.packets.v1");

        broker.run(with(common, "--config", login.toString(), "--mqtt-port", "0", "--allow-anonymous", "--data",
            dir.resolve("broker").toString()).toArray(String[]::new), false);
        try (var c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"))) {
          c.createStatement().executeUpdate("CREATE DATABASE mesh");
        }
        sink.run(with(common, "--config", login.toString(), "--postgres", postgres.getJdbcUrl("postgres", "mesh"))
            .toArray(String[]::new), false);

        final var ready = BROKER_READY.matcher(brokerOut.toString(StandardCharsets.UTF_8));
        assertThat(ready.find()).as("ready line in %s", brokerOut).isTrue();
        final var gateway = MqttClient.builder().useMqttVersion5().identifier(GATEWAY).serverHost("127.0.0.1")
            .serverPort(Integer.parseInt(ready.group(1))).buildBlocking();
        gateway.connect();
        gateway.publishWith().topic(MeshTraffic.topic(GATEWAY)).qos(MqttQos.AT_LEAST_ONCE)
            .payload(MeshTraffic.envelope(GATEWAY, 0xa0000001, 7, Instant.now())).send();
        gateway.disconnect();

        await("the packet in PostgreSQL").atMost(Duration.ofSeconds(90)).pollInSameThread().ignoreExceptions()
            .untilAsserted(() -> assertThat(packets(postgres)).containsExactly("!a0000001/7 " + GATEWAY));
      } finally {
        sink.stop();
        broker.stop();
        jobs.stop();
      }
    }
  }

  /** Each stored packet as its key and the gateway that heard it first. */
  private static List<String> packets(EmbeddedPostgres postgres) throws Exception {
    final var packets = new ArrayList<String>();
    try (var c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "mesh"));
        var rows = c.createStatement().executeQuery("SELECT packet_key, first_gateway FROM packets")) {
      while (rows.next()) {
        packets.add(rows.getString(1) + " " + rows.getString(2));
      }
    }
    return packets;
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  private static List<String> with(List<String> args, String... more) {
    final var all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all;
  }
}
