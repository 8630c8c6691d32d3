package org.meshflow.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshflow.jobs.StreamJobs;
import org.meshflow.jobs.common.InvalidSettingsException;

class SinkConfigTest {

  @Test
  void everyBadSettingIsReportedAtOnce() {
    assertThatThrownBy(() -> SinkConfig.from(Map.of("sink.postgres-url", "postgres://db", "sink.batch-size", "0",
        "sink.retention.receptions", "a month", "sink.retention.alerts", "0s", "sink.packets-topic", "bad topic")))
        .isInstanceOf(InvalidSettingsException.class)
        .satisfies(e -> assertThat(((InvalidSettingsException) e).problems()).hasSize(5))
        .hasMessageContaining("postgres-url must be a PostgreSQL JDBC URL").hasMessageContaining("sink.batch-size")
        .hasMessageContaining("sink.retention.receptions").hasMessageContaining("sink.retention.alerts")
        .hasMessageContaining("sink.packets-topic");
  }

  @Test
  void retentionIsPerTableAndForeverCanBeSaid() {
    final var config = SinkConfig.from(Map.of("sink.postgres-url", "jdbc:postgresql://db/mesh",
        "sink.retention.receptions", "7d", "sink.retention.packets", "forever", "sink.retention.alerts", "365d"));
    assertThat(config.retention()).containsEntry(SinkTable.RECEPTIONS, Duration.ofDays(7))
        .containsEntry(SinkTable.ALERTS, Duration.ofDays(365)).doesNotContainKeys(SinkTable.PACKETS,
            SinkTable.ROUTER_OUTAGES, SinkTable.ROUTER_STATUS);
  }

  @Test
  void theSampleSettingsMatchTheDefaults() throws Exception {
    final var sample = new java.util.Properties();
    try (var in = StreamJobs.class.getResourceAsStream("/jobs-sample.properties")) {
      sample.load(in);
    }
    final var settings = new HashMap<String, String>();
    sample.stringPropertyNames().forEach(key -> settings.put(key, sample.getProperty(key)));
    settings.put("sink.postgres-url", "jdbc:postgresql://db/mesh");
    assertThat(SinkConfig.from(settings)).isEqualTo(SinkConfig.from(Map.of("sink.postgres-url",
        "jdbc:postgresql://db/mesh")));
  }
}
