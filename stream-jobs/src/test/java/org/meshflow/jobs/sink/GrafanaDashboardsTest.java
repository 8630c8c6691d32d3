package org.meshflow.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.testing.EmbeddedKafka;

/**
 * Every panel of the Grafana dashboards in {@code deploy/grafana/dashboards}, its SQL expanded as
 * Grafana would, run on a PostgreSQL the real sink filled with {@link KnownMesh}: each returns the
 * rows a user would expect to see. A panel without an expectation fails the test.
 */
class GrafanaDashboardsTest {
  private static final Path DASHBOARDS = Path.of("..", "deploy", "grafana", "dashboards");
  private static final Instant FROM = KnownMesh.T0.minus(Duration.ofMinutes(30));
  private static final Instant TO = KnownMesh.T0.plus(Duration.ofHours(1));
  private static final String HILL = KnownMesh.HILL;
  private static final String TOWER = KnownMesh.TOWER;
  private static final String SENSOR = KnownMesh.SENSOR;

  @TempDir
  static Path dir;
  private static EmbeddedKafka kafka;
  private static TestPostgres postgres;
  private static String db;

  @BeforeAll
  static void fillTheDatabaseWithTheSink() {
    kafka = EmbeddedKafka.start();
    postgres = TestPostgres.start(dir.resolve("pg"));
    db = postgres.newDatabase();
    final var harness = new SinkHarness(kafka, "grafana", db, Map.of());
    harness.produce(KnownMesh.outputs(harness.config));
    try (var sink = harness.start()) {
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() ->
          assertThat(KnownMesh.counts(db)).containsExactlyEntriesOf(KnownMesh.expectedCounts()));
    }
  }

  @AfterAll
  static void stop() {
    postgres.close();
    kafka.close();
  }

  /** Rows per {@code dashboard uid / panel title / query refId}, each cell as text. */
  private static Map<String, List<List<String>>> expectations() {
    final long t0 = KnownMesh.T0.getEpochSecond();
    final var e = new LinkedHashMap<String, List<List<String>>>();
    e.put("meshflow-routers/Router availability/A", rows(
        row(FROM, HILL, "ONLINE"), row(FROM, TOWER, "ONLINE"),
        row(KnownMesh.OUTAGE_START, HILL, "OFFLINE"), row(KnownMesh.OUTAGE_END, HILL, "ONLINE")));
    e.put("meshflow-routers/Outages/A", rows(
        row(HILL, KnownMesh.OUTAGE_START, KnownMesh.OUTAGE_END, 600, "CONNECTION_LOST", true)));
    e.put("meshflow-routers/Alerts/A", rows(
        row(KnownMesh.OUTAGE_END, "ROUTER_RECOVERED", HILL, "INFO", HILL + " router_recovered", 600),
        row(KnownMesh.OUTAGE_START.plus(Duration.ofMinutes(2)), "ROUTER_OFFLINE", HILL, "CRITICAL",
            HILL + " router_offline", null)));
    final Instant day = Instant.parse("2026-03-01T00:00:00Z");
    // ten minutes of outage in a day of 1440 minutes: 100 * (1 - 10/1440) = 99.31 %
    e.put("meshflow-routers/Availability per day/A", rows(row(day, HILL, "99.31"), row(day, TOWER, 100)));
    e.put("meshflow-traffic/Packets per minute/A", rows(row(t0, 1), row(t0 + 60, 2)));
    e.put("meshflow-traffic/Packets per minute/B", rows(row(t0, 2), row(t0 + 60, 4)));
    // the hill uploaded 4 copies of which 2 were first; the tower 2 of which 1
    e.put("meshflow-traffic/Duplicate ratio per gateway/A", rows(row(HILL, 4, 2, 50), row(TOWER, 2, 1, 50)));
    e.put("meshflow-traffic/Heard by and signal per gateway/A", rows(
        row(HILL, 3, 2, "-89", "3.8", "0.33"), row(TOWER, 2, 1, "-102.5", "-0.5", "0.5")));
    e.put("meshflow-nodes/Node telemetry/A", rows(row(KnownMesh.at(10), SENSOR, 80, "3.9", "12.5", "1.5")));
    e.put("meshflow-nodes/Node map/A", rows(row(KnownMesh.at(70), SENSOR, "Hilltop sensor", "47.1", "8.5", 500)));
    e.put("meshflow-routers/$router", rows(row(HILL), row(TOWER)));
    e.put("meshflow-traffic/$router", rows(row(HILL), row(TOWER)));
    e.put("meshflow-nodes/$node", rows(row(SENSOR), row(KnownMesh.HANDHELD)));
    return e;
  }

  @Test
  void everyPanelShowsWhatTheKnownMeshDid() throws IOException {
    final var expanded = new GrafanaMacros(FROM, TO, Map.of("router", List.of(HILL, TOWER),
        "node", List.of(SENSOR, KnownMesh.HANDHELD)));
    final var actual = new TreeMap<String, List<List<String>>>();
    for (JsonNode dashboard : dashboards()) {
      final String uid = dashboard.path("uid").asText();
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        actual.put(uid + "/$" + variable.path("name").asText(), run(expanded.expand(variable.path("query").asText())));
      }
      for (JsonNode panel : panels(dashboard)) {
        assertThat(panel.path("targets")).as("queries of panel %s", panel.path("title")).isNotEmpty();
        for (JsonNode target : panel.path("targets")) {
          assertThat(target.path("rawSql").asText()).as("SQL of %s", panel.path("title")).isNotBlank();
          actual.put(uid + "/" + panel.path("title").asText() + "/" + target.path("refId").asText(),
              run(expanded.expand(target.path("rawSql").asText())));
        }
      }
    }
    assertThat(actual.keySet()).as("panels and their expectations").containsExactlyInAnyOrderElementsOf(
        expectations().keySet());
    expectations().forEach((panel, rows) -> assertThat(actual.get(panel)).as(panel).isEqualTo(rows));
  }

  @Test
  void theDashboardsCoverWhatOperatorsAskedFor() throws IOException {
    final var types = new ArrayList<String>();
    for (JsonNode dashboard : dashboards()) {
      panels(dashboard).forEach(panel -> types.add(panel.path("type").asText()));
      assertThat(dashboard.path("uid").asText()).startsWith("meshflow-");
    }
    assertThat(types).contains("state-timeline", "geomap", "timeseries", "table");
  }

  private static List<JsonNode> dashboards() throws IOException {
    final var mapper = new ObjectMapper();
    final var found = new ArrayList<JsonNode>();
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        found.add(mapper.readTree(file.toFile()));
      }
    }
    assertThat(found).as("dashboards in %s", DASHBOARDS.toAbsolutePath()).hasSize(3);
    return found;
  }

  /** Panels at the top and inside rows. */
  private static List<JsonNode> panels(JsonNode dashboard) {
    final var all = new ArrayList<JsonNode>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        panel.path("panels").forEach(all::add);
      } else {
        all.add(panel);
      }
    }
    return all;
  }

  private static List<List<String>> run(String sql) {
    return TestPostgres.query(db, sql).stream().map(row -> row.values().stream().map(GrafanaDashboardsTest::text)
        .toList()).toList();
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp timestamp) {
      return timestamp.toInstant().toString();
    }
    if (value instanceof OffsetDateTime time) {
      return time.toInstant().toString();
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value instanceof Number number) {
      return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
    }
    return value.toString();
  }

  private static List<String> row(Object... cells) {
    return Arrays.stream(cells).map(GrafanaDashboardsTest::text).toList();
  }

  @SafeVarargs
  private static List<List<String>> rows(List<String>... rows) {
    return List.of(rows);
  }
}
