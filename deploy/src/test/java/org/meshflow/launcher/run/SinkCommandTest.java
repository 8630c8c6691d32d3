package org.meshflow.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.UsageException;

/** {@code ./meshflow run --postgres} and {@code ./meshflow sink} against a real PostgreSQL. */
class SinkCommandTest {
  private static final Pattern READY = Pattern.compile("meshflow ready mqtt=(\\d+) kafka=(\\d+) registry=(\\d+) http=(\\d+)");
  private static final Pattern SINK_READY = Pattern.compile("meshflow sink started .* http=(\\d+)");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void missingSettingsAreReportedTogether() {
    assertThatThrownBy(() -> new SinkCommand(System.out).run(new String[] {"--postgres", "postgres://db"}, false))
        .isInstanceOf(UsageException.class).hasMessageContaining("--kafka HOST:PORT[,HOST:PORT...] is required")
        .hasMessageContaining("--registry URL is required");
    assertThatThrownBy(() -> new SinkCommand(System.out).run(new String[] {"--kafka", "k:9092", "--registry",
        "http://r:8081", "--postgres", "postgres://db"}, false))
        .isInstanceOf(UsageException.class).hasMessageContaining("jdbc:postgresql://");
  }

  @Test
  void sinkSettingsComeFromTheConfigFileAndFlags(@TempDir Path dir) throws Exception {
    final Path file = dir.resolve("sink.properties");
    java.nio.file.Files.writeString(file, "sink.retention.receptions = 7d\nsink.batch-size = 100\n"
        + "kafka.security.protocol = SSL\nkafka.consumer.fetch.min.bytes = 1024\n");
    final var settings = Settings.parse(new String[] {"--config", file.toString(), "--postgres",
        "jdbc:postgresql://db/mesh", "--postgres-user", "mesh", "--sink.retention.alerts", "forever",
        "--kafka", "k:9093", "--registry", "http://r:8081", "--bind", "0.0.0.0"},
        SinkCommand.SWITCHES, SinkCommand.NAMES, java.util.Map.of());
    final var component = org.meshflow.launcher.cluster.ComponentOptions.parse(settings);
    final var config = SinkCommand.config(settings);
    settings.check();
    assertThat(component.bind()).isEqualTo("0.0.0.0");
    assertThat(component.kafkaClients().consumer()).containsEntry("security.protocol", "SSL")
        .containsEntry("fetch.min.bytes", "1024");
    assertThat(component.kafkaClients().producer()).containsEntry("security.protocol", "SSL")
        .doesNotContainKey("fetch.min.bytes");
    assertThat(config.postgresUrl()).isEqualTo("jdbc:postgresql://db/mesh");
    assertThat(config.postgresUser()).isEqualTo("mesh");
    assertThat(config.batchSize()).isEqualTo(100);
    assertThat(config.retention()).containsEntry(org.meshflow.jobs.sink.SinkTable.RECEPTIONS, Duration.ofDays(7))
        .doesNotContainKey(org.meshflow.jobs.sink.SinkTable.ALERTS);
  }

  @Test
  void runWithPostgresAndTheSinkCommandBothWriteToTheirDatabase(@TempDir Path data) throws Exception {
    try (var postgres = EmbeddedPostgres.builder().setDataDirectory(data.resolve("pg")).start()) {
      for (String db : new String[] {"inrun", "alone"}) {
        try (var c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"))) {
          c.createStatement().executeUpdate("CREATE DATABASE " + db);
        }
      }
      final var out = new ByteArrayOutputStream();
      final var run = new RunCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
      SinkCommand alone = null;
      try {
        run.run(new String[] {"--data", data.resolve("run").toString(), "--mqtt-port", "0", "--kafka-port", "0",
            "--registry-port", "0", "--http-port", "0", "--postgres", postgres.getJdbcUrl("postgres", "inrun")}, false);
        final var ready = READY.matcher(out.toString(StandardCharsets.UTF_8));
        assertThat(ready.find()).as("ready line in %s", out).isTrue();
        final String runHttp = "http://127.0.0.1:" + ready.group(4);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(get(runHttp + "/health").body()).contains("\"sink\":\"UP\"").contains("\"status\":\"UP\""));
        assertThat(get(runHttp + "/metrics").body()).contains("meshflow_sink_database_up 1.0");
        assertThat(tables(postgres, "inrun")).isEqualTo(10);

        final var sinkOut = new ByteArrayOutputStream();
        alone = new SinkCommand(new PrintStream(sinkOut, true, StandardCharsets.UTF_8));
        alone.run(new String[] {"--kafka", "127.0.0.1:" + ready.group(2), "--registry",
            "http://127.0.0.1:" + ready.group(3), "--postgres", postgres.getJdbcUrl("postgres", "alone"),
            "--http-port", "0", "--bind", "127.0.0.1"}, false);
        final var sinkReady = SINK_READY.matcher(sinkOut.toString(StandardCharsets.UTF_8));
        assertThat(sinkReady.find()).as("start line in %s", sinkOut).isTrue();
        final String sinkHttp = "http://127.0.0.1:" + sinkReady.group(1);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(get(sinkHttp + "/health").statusCode()).isEqualTo(200));
        assertThat(get(sinkHttp + "/metrics").body()).contains("meshflow_sink_rows_total{table=\"receptions\"}");
        assertThat(tables(postgres, "alone")).isEqualTo(10);
      } finally {
        if (alone != null) {
          alone.stop();
        }
        run.stop();
      }
    }
  }

  private static int tables(EmbeddedPostgres postgres, String db) throws Exception {
    try (var c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", db));
        var rows = c.createStatement().executeQuery("SELECT count(*) FROM information_schema.tables"
            + " WHERE table_schema = 'public' AND table_name <> 'sink_schema_history'")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
