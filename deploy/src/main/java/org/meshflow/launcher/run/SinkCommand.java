package org.meshflow.launcher.run;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.meshflow.jobs.common.InvalidSettingsException;
import org.meshflow.jobs.sink.PostgresSink;
import org.meshflow.jobs.sink.SinkConfig;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.UsageException;
import org.meshflow.launcher.cluster.ComponentOptions;
import org.meshflow.launcher.embedded.FreePorts;
import org.meshflow.registry.SchemaRegistries;
import org.meshflow.registry.SchemaRegistry;

/** {@code ./meshflow sink}: the PostgreSQL sink alone, against an existing Kafka and schema registry. */
public final class SinkCommand {
  public static final String HELP = """
      usage: ./meshflow sink --kafka HOST:PORT[,...] --registry URL --postgres JDBC_URL
                             [--postgres-user U] [--postgres-password P] [--http-port P] [--bind ADDRESS]
                             [--config FILE]

      Writes packets, receptions, heard-by lists, router status history, outages, alerts, nodes, telemetry and
      positions from Kafka to PostgreSQL (JDBC_URL like jdbc:postgresql://db:5432/meshflow), creating and
      upgrading its tables itself. HTTP /health and /metrics on --http-port (default 8080) at --bind (default
      127.0.0.1; 0.0.0.0 in a container). Kafka client properties (TLS, SASL) are kafka.NAME settings
      (kafka.security.protocol=SASL_SSL, kafka.consumer.NAME for the consumer only) in --config or as flags
      (--kafka.NAME VALUE). The sink.* settings of stream-jobs' jobs-sample.properties
      (sink.retention.receptions=30d, ...) are accepted in the --config file too.
      Every setting can also come from --config FILE (name = value lines) or the environment
      (MESHFLOW_KAFKA, MESHFLOW_REGISTRY, MESHFLOW_POSTGRES, MESHFLOW_POSTGRES_USER, MESHFLOW_POSTGRES_PASSWORD, ...).
      """;
  static final Set<String> SWITCHES = Set.of("help");
  /** The launcher's flags, plus every {@code sink.*} setting (retention and the like) by its full name. */
  static final Set<String> NAMES = names(ComponentOptions.NAMES, "postgres", "postgres-user", "postgres-password",
      "help");
  /** The settings {@code ./meshflow run} accepts for its sink. */
  static final Set<String> RUN_NAMES = names(Set.of(), "postgres", "postgres-user", "postgres-password");

  private final PrintStream out;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private PostgresSink sink;
  private HttpEndpoints http;

  public SinkCommand(PrintStream out) {
    this.out = out;
  }

  public static int main(String[] args) throws Exception {
    return new SinkCommand(System.out).run(args, true);
  }

  /** Runs until stopped; with {@code waitForSignal} false it returns once started (tests call {@link #stop()}). */
  public int run(String[] args, boolean waitForSignal) throws Exception {
    final Settings settings = Settings.parse(args, SWITCHES, NAMES, System.getenv());
    if (settings.flag("help")) {
      out.print(HELP);
      return 0;
    }
    final ComponentOptions component = ComponentOptions.parse(settings);
    if (settings.string("postgres", null) == null) {
      settings.error("--postgres JDBC_URL is required");
    }
    settings.check();
    final SinkConfig config = config(settings);
    final int httpPort = FreePorts.claim(component.bind(), component.httpPort(), "--http-port");
    final SchemaRegistry registry = SchemaRegistries.fromConfig(Map.of(SchemaRegistries.URL, component.registry()));
    final var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    http = HttpEndpoints.start(component.bind(), httpPort, metrics,
        () -> new StatusPage(List.<String[]>of(new String[] {"sink", sink != null && sink.writing() ? "up" : "waiting"}),
            List.of(), List.of(), List.of()));
    final KafkaClientSettings kafka = component.kafkaClients();
    sink = PostgresSink.start(config, new PostgresSink.KafkaAccess(kafka.bootstrap(), kafka.consumer(), kafka.producer()),
        registry, metrics);
    http.part("sink", sink::writing);
    out.println("meshflow sink started kafka=" + component.kafka() + " registry=" + component.registry()
        + " http=" + http.port());
    out.flush();
    if (waitForSignal) {
      Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "meshflow-shutdown"));
      stopped.await();
    }
    return 0;
  }

  private static Set<String> names(Set<String> common, String... flags) {
    final var names = new HashSet<>(common);
    names.addAll(Set.of(flags));
    names.addAll(SinkConfig.settingNames());
    return Set.copyOf(names);
  }

  /** The sink's settings from the launcher's: {@code --postgres*} flags become {@code sink.postgres-*}. */
  static SinkConfig config(Settings settings) {
    final var values = new HashMap<String, String>();
    for (String name : SinkConfig.settingNames()) {
      final String value = settings.string(name, null);
      if (value != null) {
        values.put(name, value);
      }
    }
    values.put("sink.postgres-url", settings.string("postgres", null));
    final String user = settings.string("postgres-user", null);
    if (user != null) {
      values.put("sink.postgres-user", user);
    }
    final String password = settings.string("postgres-password", null);
    if (password != null) {
      values.put("sink.postgres-password", password);
    }
    try {
      return SinkConfig.from(values);
    } catch (InvalidSettingsException e) {
      throw new UsageException(e.getMessage());
    }
  }

  public synchronized void stop() {
    if (sink != null) {
      sink.close();
    }
    if (http != null) {
      http.close();
    }
    stopped.countDown();
  }
}
