package org.meshflow.jobs.sink;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.meshflow.jobs.common.Settings;

/**
 * Settings of the PostgreSQL sink ({@code sink.*} keys, see {@code jobs-sample.properties}).
 *
 * @param postgresUrl JDBC URL, {@code jdbc:postgresql://HOST:PORT/DB}
 * @param batchSize most records written in one database transaction
 * @param retryInitial first wait before reconnecting to a database that went away; doubles up to {@code retryMax}
 * @param retention how long rows of each table are kept; a table missing from the map is kept forever
 * @param retentionInterval how often old rows are looked for
 * @param retentionChunk most rows one DELETE removes, so retention never holds long locks
 */
public record SinkConfig(String postgresUrl, String postgresUser, String postgresPassword, String packetsTopic,
    String receptionsTopic, String heardByTopic, String routerStatusTopic, String outagesTopic, String alertsTopic,
    String nodesTopic, String dlqTopic, String groupId, int batchSize, Duration pollTimeout, Duration retryInitial,
    Duration retryMax, Map<SinkTable, Duration> retention, Duration retentionInterval, int retentionChunk) {

  public SinkConfig {
    retention = Collections.unmodifiableMap(retention.isEmpty() ? new EnumMap<>(SinkTable.class) : new EnumMap<>(retention));
    final var checks = new Settings.Checks("sink")
        .that(postgresUrl != null && postgresUrl.startsWith("jdbc:postgresql:"),
            "postgres-url must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE), not '" + postgresUrl + "'")
        .topic("packets-topic", packetsTopic).topic("receptions-topic", receptionsTopic)
        .topic("heard-by-topic", heardByTopic).topic("router-status-topic", routerStatusTopic)
        .topic("outages-topic", outagesTopic).topic("alerts-topic", alertsTopic).topic("nodes-topic", nodesTopic)
        .topic("dlq-topic", dlqTopic)
        .that(groupId != null && !groupId.isBlank(), "group-id must not be empty")
        .atLeast("batch-size", batchSize, 1).positive("poll-timeout", pollTimeout)
        .positive("retry-initial", retryInitial).positive("retry-max", retryMax)
        .positive("retention-interval", retentionInterval).atLeast("retention-chunk", retentionChunk, 1);
    retention.forEach((table, keep) -> checks.positive("retention." + table.settingName(), keep));
    checks.validate();
  }

  /** Reads {@code sink.*} keys; missing keys take their defaults, {@code sink.postgres-url} has none. */
  public static SinkConfig from(Map<String, String> values) {
    final var s = new Settings("sink", values);
    final var retention = new EnumMap<SinkTable, Duration>(SinkTable.class);
    for (SinkTable table : SinkTable.values()) {
      final String key = "retention." + table.settingName();
      if (!s.string(key, "").equalsIgnoreCase("forever")) {
        final Duration keep = s.duration(key, table.defaultRetention());
        if (keep != null) {
          retention.put(table, keep);
        }
      }
    }
    return s.build(() -> new SinkConfig(s.string("postgres-url", null), s.string("postgres-user", null),
        s.string("postgres-password", null), s.string("packets-topic", "mesh.packets.v1"),
        s.string("receptions-topic", "mesh.receptions.v1"), s.string("heard-by-topic", "mesh.heard-by.v1"),
        s.string("router-status-topic", "mesh.router-status.v1"), s.string("outages-topic", "mesh.router-outages.v1"),
        s.string("alerts-topic", "mesh.alerts.v1"), s.string("nodes-topic", "mesh.nodes.v1"),
        s.string("dlq-topic", "mesh.dlq.v1"), s.string("group-id", "meshflow-sink"), s.integer("batch-size", 500),
        s.duration("poll-timeout", Duration.ofMillis(500)), s.duration("retry-initial", Duration.ofMillis(500)),
        s.duration("retry-max", Duration.ofSeconds(30)), retention,
        s.duration("retention-interval", Duration.ofMinutes(10)), s.integer("retention-chunk", 10_000)));
  }

  /** Every key {@link #from} reads, for launchers that accept them in a config file or on the command line. */
  public static List<String> settingNames() {
    final var names = new java.util.ArrayList<>(List.of("postgres-url", "postgres-user", "postgres-password",
        "packets-topic", "receptions-topic", "heard-by-topic", "router-status-topic", "outages-topic", "alerts-topic",
        "nodes-topic", "dlq-topic", "group-id", "batch-size", "poll-timeout", "retry-initial", "retry-max",
        "retention-interval", "retention-chunk"));
    for (SinkTable table : SinkTable.values()) {
      names.add("retention." + table.settingName());
    }
    return names.stream().map(name -> "sink." + name).toList();
  }

  /** Every input topic, in the order records of one poll are written. */
  public List<String> inputTopics() {
    return List.of(packetsTopic, receptionsTopic, heardByTopic, routerStatusTopic, outagesTopic, alertsTopic, nodesTopic);
  }
}
