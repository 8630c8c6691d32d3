package org.meshflow.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.launcher.Settings;

/** Each cluster component takes its Kafka clients' {@code kafka.*} settings from the same places. */
class ComponentOptionsTest {
  private static final String[] REQUIRED = {"--kafka", "k1:9093,k2:9093", "--registry", "http://registry:8080"};

  @Test
  void theJobsTopicAdminAndStreamsGetTheKafkaSettingsOfEveryFile(@TempDir Path dir) throws Exception {
    final Path jobsConfig = dir.resolve("jobs.properties");
    Files.writeString(jobsConfig, """
        dedup.window=5m
        kafka.security.protocol=SASL_SSL
        kafka.sasl.mechanism=PLAIN
        kafka.consumer.session.timeout.ms=6000
        """);
    final Path config = dir.resolve("meshflow.properties");
    Files.writeString(config, "kafka.sasl.mechanism = SCRAM-SHA-512\nkafka.ssl.truststore.location = /etc/ts.jks\n");
    final var options = JobsOptions.parse(Settings.parse(with("--config", config.toString(), "--jobs-config",
        jobsConfig.toString(), "--kafka.admin.request.timeout.ms", "5000"), JobsOptions.SWITCHES, JobsOptions.NAMES,
        Map.of()));

    assertThat(options.kafkaClients().admin()).containsEntry("bootstrap.servers", "k1:9093,k2:9093")
        .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/etc/ts.jks").containsEntry("request.timeout.ms", "5000")
        .doesNotContainKey("session.timeout.ms");
    assertThat(options.streamsProperties()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("consumer.session.timeout.ms", "6000")
        .containsEntry("replication.factor", 3);
    assertThat(options.streamJobSettings()).containsEntry("dedup.window", "5m")
        .doesNotContainKeys("kafka.security.protocol", "security.protocol");
  }

  @Test
  void theBrokerTakesKafkaSettingsFromItsConfigAndFlags(@TempDir Path dir) throws Exception {
    final Path config = dir.resolve("meshflow.properties");
    Files.writeString(config, "kafka.security.protocol = SSL\n");
    final var broker = BrokerOptions.parse(Settings.parse(with("--config", config.toString(),
        "--kafka.ssl.keystore.location", "/etc/ks.jks"), BrokerOptions.SWITCHES, BrokerOptions.NAMES, Map.of()));
    assertThat(broker.component().kafkaClients().shared()).containsExactlyInAnyOrderEntriesOf(
        Map.of("security.protocol", "SSL", "ssl.keystore.location", "/etc/ks.jks"));

  }

  private static String[] with(String... more) {
    final var all = new java.util.ArrayList<>(java.util.List.of(REQUIRED));
    all.addAll(java.util.List.of(more));
    return all.toArray(String[]::new);
  }
}
