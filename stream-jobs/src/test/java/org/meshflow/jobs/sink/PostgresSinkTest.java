package org.meshflow.jobs.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.records.MeshPacket;
import org.meshflow.records.Position;
import org.meshflow.records.Rejected;
import org.meshflow.testing.EmbeddedKafka;

/** The sink from a real Kafka into a real PostgreSQL, records written with the registry serde. */
class PostgresSinkTest {
  @TempDir
  static Path dir;
  private static EmbeddedKafka kafka;
  private static TestPostgres postgres;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start();
    postgres = TestPostgres.start(dir.resolve("pg"));
  }

  @AfterAll
  static void stop() {
    postgres.close();
    kafka.close();
  }

  @Test
  void writesWhatTheJobsPublishAndAReplayChangesNothing() {
    final String db = postgres.newDatabase();
    final var harness = new SinkHarness(kafka, "known", db, Map.of());
    harness.produce(KnownMesh.outputs(harness.config));
    try (var sink = harness.start()) {
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> assertThat(KnownMesh.counts(db)).containsExactlyEntriesOf(
          KnownMesh.expectedCounts()));
      assertThat(sink.writing()).isTrue();
    }
    final var before = snapshot(db);
    assertThat(TestPostgres.query(db, "SELECT state, since FROM router_status WHERE router_id = '!0000aaaa' ORDER BY since"))
        .extracting(row -> row.get("state")).containsExactly("ONLINE", "OFFLINE", "ONLINE");
    assertThat(TestPostgres.query(db, "SELECT duration_seconds, cause FROM router_outages"))
        .containsExactly(Map.of("duration_seconds", 600L, "cause", "CONNECTION_LOST"));
    assertThat(TestPostgres.query(db, "SELECT battery_level, channel_utilization FROM telemetry"))
        .containsExactly(Map.of("battery_level", 80, "channel_utilization", 12.5f));
    assertThat(TestPostgres.query(db, "SELECT latitude, longitude FROM positions"))
        .containsExactly(Map.of("latitude", 47.1, "longitude", 8.5));
    assertThat(TestPostgres.query(db, "SELECT gateway_id, first_copy, copies FROM heard_by WHERE packet_key = '!2222bbbb/3'"
        + " ORDER BY gateway_id")).containsExactly(Map.of("gateway_id", "!0000aaaa", "first_copy", false, "copies", 2),
        Map.of("gateway_id", "!0000bbbb", "first_copy", true, "copies", 1));

    // the same records again (a new consumer group reads every topic from the start), and twice over
    harness.produce(KnownMesh.outputs(harness.config));
    final var replay = SinkConfig.from(Map.of("sink.postgres-url", db, "sink.group-id", "known-replay",
        "sink.packets-topic", harness.config.packetsTopic(), "sink.receptions-topic", harness.config.receptionsTopic(),
        "sink.heard-by-topic", harness.config.heardByTopic(), "sink.router-status-topic",
        harness.config.routerStatusTopic(), "sink.outages-topic", harness.config.outagesTopic(), "sink.alerts-topic",
        harness.config.alertsTopic(), "sink.nodes-topic", harness.config.nodesTopic(), "sink.dlq-topic",
        harness.config.dlqTopic()));
    try (var sink = harness.start(replay)) {
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(storedOffsets(db, "known-replay"))
          .isEqualTo(2L * KnownMesh.outputs(harness.config).size()));
    }
    assertThat(snapshot(db)).isEqualTo(before);
    assertThat(harness.deadLetters()).isEmpty();
  }

  @Test
  void aRecordTheDatabaseRefusesGoesToTheDeadLetterTopicAndTheRestIsWritten() {
    final String db = postgres.newDatabase();
    final var harness = new SinkHarness(kafka, "poison", db, Map.of());
    final var outputs = new ArrayList<>(KnownMesh.outputs(harness.config));
    // a node announcing a name with a NUL byte: valid Avro, but PostgreSQL text cannot hold it
    outputs.add(5, KnownMesh.node(harness.config, "!3333cccc", "bad\u0000name", KnownMesh.at(80)));
    // a position off the globe: the database's check constraint refuses it
    outputs.add(new KnownMesh.Output(harness.config.packetsTopic(), "!3333cccc/9", KnownMesh.packet("!3333cccc", 9,
        KnownMesh.at(90), KnownMesh.HILL, Position.newBuilder().setLatitude(123.4).setLongitude(8.5).setAltitude(0)
            .setTime(0).build(), "POSITION_APP")));
    harness.produce(outputs);
    harness.produceRaw(harness.config.alertsTopic(), "!0000aaaa", "not avro".getBytes(StandardCharsets.UTF_8));
    try (var sink = harness.start()) {
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> assertThat(KnownMesh.counts(db)).containsExactlyEntriesOf(
          KnownMesh.expectedCounts()));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(harness.deadLetters()).hasSize(3));
      assertThat(sink.writing()).isTrue();
    }
    final List<Rejected> rejected = harness.deadLetters();
    assertThat(rejected).allSatisfy(r -> assertThat(r.getStage()).isEqualTo("sink"));
    assertThat(rejected).anySatisfy(r -> {
      assertThat(r.getSourceTopic()).isEqualTo(harness.config.nodesTopic());
      assertThat(r.getReason()).startsWith("PostgreSQL refused the record").containsIgnoringCase("0x00");
    });
    assertThat(rejected).anySatisfy(r -> {
      assertThat(r.getSourceTopic()).isEqualTo(harness.config.packetsTopic());
      assertThat(r.getReason()).contains("positions_latitude_check");
      assertThat(r.getOriginalValue()).isNotNull();
    });
    assertThat(rejected).anySatisfy(r -> {
      assertThat(r.getSourceTopic()).isEqualTo(harness.config.alertsTopic());
      assertThat(r.getReason()).startsWith("not a readable record");
    });
    assertThat(TestPostgres.count(db, "packets WHERE from_node = '!3333cccc'")).isZero();
  }

  @Test
  void aDatabaseRestartMidStreamLosesAndDuplicatesNothing() {
    final String db = postgres.newDatabase();
    final var harness = new SinkHarness(kafka, "restart", db, Map.of("sink.batch-size", "25",
        "sink.retry-initial", "100ms", "sink.retry-max", "1s"));
    try (var sink = harness.start()) {
      harness.produce(receptions(harness.config, 0, 300));
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> TestPostgres.count(db, "receptions") > 0);

      postgres.stop();
      harness.produce(receptions(harness.config, 300, 300));
      await().atMost(Duration.ofSeconds(60)).until(() -> harness.gauge("meshflow.sink.database.up") == 0);
      assertThat(sink.writing()).isFalse();

      postgres.startAgain();
      harness.produce(receptions(harness.config, 600, 300));
      await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(storedOffsets(db, "restart-sink"))
          .isEqualTo(900));
      assertThat(sink.writing()).isTrue();
    }
    assertThat(TestPostgres.count(db, "receptions")).isEqualTo(900);
    assertThat(TestPostgres.query(db, "SELECT count(DISTINCT received_at) AS n FROM receptions"))
        .containsExactly(Map.of("n", 900L));
    assertThat(harness.deadLetters()).isEmpty();
  }

  private static List<KnownMesh.Output> receptions(SinkConfig topics, int first, int count) {
    final var outputs = new ArrayList<KnownMesh.Output>();
    for (int i = first; i < first + count; i++) {
      final MeshPacket packet = KnownMesh.packet("!4444dddd", i, KnownMesh.at(i), KnownMesh.HILL, null, null);
      outputs.add(KnownMesh.reception(topics, packet, i % 2 == 0 ? KnownMesh.HILL : KnownMesh.TOWER, KnownMesh.at(i),
          -90, 5f, 0));
    }
    return outputs;
  }

  private static long storedOffsets(String db, String group) {
    final Object sum = TestPostgres.query(db, "SELECT sum(next_offset) AS n FROM sink_offsets WHERE consumer_group = '"
        + group + "'").get(0).get("n");
    return sum == null ? 0 : ((Number) sum).longValue();
  }

  private static List<List<Map<String, Object>>> snapshot(String db) {
    final var tables = new ArrayList<List<Map<String, Object>>>();
    for (String table : KnownMesh.expectedCounts().keySet()) {
      tables.add(TestPostgres.query(db, "SELECT * FROM " + table + " ORDER BY 1, 2, 3"));
    }
    return tables;
  }
}
