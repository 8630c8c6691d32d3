package org.meshflow.launcher;

import org.meshflow.config.Durations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  private static final Set<String> KNOWN = Set.of("mqtt-port", "offline-grace", "allow-anonymous", "key");
  private static final Set<String> SWITCHES = Set.of("allow-anonymous");

  @Test
  void commandLineBeatsEnvironmentBeatsFile(@TempDir Path dir) throws Exception {
    final Path file = dir.resolve("meshflow.properties");
    Files.writeString(file, "mqtt-port = 1000\noffline-grace = 5m\n");
    final var s = Settings.parse(new String[] {"--config", file.toString(), "--mqtt-port=3000", "--allow-anonymous"},
        SWITCHES, KNOWN, Map.of("MESHFLOW_MQTT_PORT", "2000", "MESHFLOW_OFFLINE_GRACE", "90s"));
    assertThat(s.port("mqtt-port", 1883)).isEqualTo(3000);
    assertThat(s.duration("offline-grace", "2m")).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.flag("allow-anonymous")).isTrue();
    s.check();
  }

  @Test
  void repeatableOptionsKeepEveryValue() {
    final var s = Settings.parse(new String[] {"--key", "A=AQ==", "--key", "B=Ag=="}, SWITCHES, KNOWN, Map.of());
    assertThat(s.all("key")).containsExactly("A=AQ==", "B=Ag==");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    final var s = Settings.parse(new String[] {"--mqtt-port", "70000", "--offline-grace", "soon", "--colour", "x"},
        SWITCHES, KNOWN, Map.of());
    s.port("mqtt-port", 1883);
    s.duration("offline-grace", "2m");
    assertThatThrownBy(s::check).isInstanceOf(UsageException.class)
        .hasMessageContaining("unknown option --colour")
        .hasMessageContaining("--mqtt-port must be a port number")
        .hasMessageContaining("'soon' is not a duration");
  }

  @Test
  void aNameEndingInADotTakesEveryNameUnderIt(@TempDir Path dir) throws Exception {
    final Path file = dir.resolve("meshflow.properties");
    Files.writeString(file, "kafka.security.protocol = SASL_SSL\nkafka.sasl.mechanism = PLAIN\n");
    final var s = Settings.parse(new String[] {"--config", file.toString(), "--kafka.sasl.mechanism", "SCRAM-SHA-512",
        "--kafka.=x", "--kafkas.acks=all"}, SWITCHES, Set.of("kafka."), Map.of());
    assertThat(s.prefixed("kafka.")).containsExactlyInAnyOrderEntriesOf(
        Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"));
    assertThatThrownBy(s::check).isInstanceOf(UsageException.class)
        .hasMessage("unknown option --kafka.; unknown option --kafkas.acks");
  }

  @Test
  void durationsReadAndWriteTheUsersNotation() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.format(Duration.ofMinutes(30))).isEqualTo("30m");
    assertThatThrownBy(() -> Durations.parse("2 minutes")).hasMessageContaining("write it like 500ms, 30s, 2m, 1h");
  }
}
