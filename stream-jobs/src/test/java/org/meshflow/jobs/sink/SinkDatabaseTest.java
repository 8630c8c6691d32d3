package org.meshflow.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations and retention on a real PostgreSQL. */
class SinkDatabaseTest {
  @TempDir
  static Path dir;
  private static TestPostgres postgres;

  @BeforeAll
  static void start() {
    postgres = TestPostgres.start(dir.resolve("pg"));
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  @Test
  void migrationsBuildTheSchemaFromAnEmptyDatabase() {
    final String db = postgres.newDatabase();
    assertThat(SinkSchema.migrate(db, null, null)).isEqualTo("2");
    assertThat(TestPostgres.query(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        + " AND table_name <> 'sink_schema_history' ORDER BY 1")).extracting(row -> row.get("table_name"))
        .containsExactly("alerts", "heard_by", "nodes", "packets", "positions", "receptions", "router_outages",
            "router_status", "sink_offsets", "telemetry");
    assertThat(SinkSchema.migrate(db, null, null)).as("a second run has nothing to do").isEqualTo("2");
  }

  @Test
  void aVersionOneDatabaseIsUpgradedKeepingItsRows() {
    final String db = postgres.newDatabase();
    assertThat(SinkSchema.migrate(db, null, null, "1")).isEqualTo("1");
    TestPostgres.update(db, "INSERT INTO nodes (node_id, long_name, latitude, first_heard_at, last_heard_at, packets)"
        + " VALUES ('!1111aaaa', 'Hilltop', 47.1, now(), now(), 3)");
    assertThat(TestPostgres.query(db, "SELECT to_regclass('telemetry') AS t")).containsExactly(
        java.util.Collections.singletonMap("t", null));

    assertThat(SinkSchema.migrate(db, null, null)).isEqualTo("2");
    assertThat(TestPostgres.query(db, "SELECT long_name, packets, channel_utilization FROM nodes"))
        .containsExactly(mapOf("long_name", "Hilltop", "packets", 3L, "channel_utilization", null));
    assertThat(TestPostgres.count(db, "telemetry")).isZero();
  }

  @Test
  void retentionDeletesOnlyRowsOlderThanEachTablesLimitInChunks() throws Exception {
    final String db = postgres.newDatabase();
    SinkSchema.migrate(db, null, null);
    final Instant now = Instant.parse("2026-06-01T00:00:00Z");
    for (int days : new int[] {45, 40, 31, 29, 1}) {
      TestPostgres.update(db, "INSERT INTO receptions (packet_key, gateway_id, received_at, from_node, channel_id,"
          + " hop_limit, hop_start, rx_rssi, rx_snr) VALUES ('!1/" + days + "', '!0000aaaa', TIMESTAMPTZ '" + now
          + "' - INTERVAL '" + days + " days', '!1', 'LongFast', 3, 3, -90, 5)");
    }
    TestPostgres.update(db, "INSERT INTO router_outages VALUES ('!0000aaaa', TIMESTAMPTZ '2024-01-01Z',"
        + " TIMESTAMPTZ '2024-01-01 00:10Z', 600, 'CONNECTION_LOST', true, '!0000aaaa/1')");
    final var settings = SinkConfig.from(Map.of("sink.postgres-url", db)).retention();
    assertThat(settings).containsEntry(SinkTable.RECEPTIONS, Duration.ofDays(30))
        .doesNotContainKey(SinkTable.ROUTER_OUTAGES);
    final var retention = new Retention(new EnumMap<>(settings), 2, Clock.fixed(now, ZoneOffset.UTC));

    try (var connection = java.sql.DriverManager.getConnection(db)) {
      connection.setAutoCommit(false);
      assertThat(retention.run(connection)).isEqualTo(new Retention.Pass(2, true));
      assertThat(retention.run(connection)).isEqualTo(new Retention.Pass(1, false));
      assertThat(retention.run(connection)).isEqualTo(new Retention.Pass(0, false));
    }
    assertThat(TestPostgres.query(db, "SELECT packet_key FROM receptions ORDER BY received_at"))
        .extracting(row -> row.get("packet_key")).containsExactly("!1/29", "!1/1");
    assertThat(TestPostgres.count(db, "router_outages")).as("outages are kept forever by default").isOne();
  }

  private static Map<String, Object> mapOf(Object... pairs) {
    final var map = new java.util.LinkedHashMap<String, Object>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
