package org.meshflow.launcher.run;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.meshflow.jobs.StreamJobs;
import org.meshflow.jobs.common.InvalidSettingsException;
import org.meshflow.jobs.sink.PostgresSink;
import org.meshflow.jobs.sink.SinkConfig;
import org.meshflow.jobs.mcp.MeshMcpServer;
import org.meshflow.config.Durations;
import org.meshflow.launcher.UsageException;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.embedded.EmbeddedKafkaServer;
import org.meshflow.launcher.embedded.FreePorts;
import org.meshflow.registry.EmbeddedSchemaRegistry;
import org.meshflow.registry.RegistryHttpServer;
import org.meshflow.registry.SchemaRegistries;
import org.meshflow.registry.SchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./meshflow run}: the whole pipeline in one process. Starts Kafka, the registry, the jobs and
 * the broker in that order, prints one ready line, and on Ctrl-C/SIGTERM stops them the other way
 * round (broker first, so nothing is accepted that could not be forwarded; Kafka last).
 */
public final class RunCommand {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
  private static final String LOOPBACK = "127.0.0.1";

  public static final String HELP = """
      usage: ./meshflow run [--data DIR] [--mqtt-port P] [--kafka-port P] [--registry-port P] [--http-port P]
                            [--kafka HOST:PORT --registry URL] [--offline-grace D] [--silence-threshold D]
                            [--auth FILE | --allow-anonymous] [--key CHANNEL=BASE64]... [--partitions N] [--config FILE]
                            [--postgres JDBC_URL [--postgres-user U] [--postgres-password P]]

      Everything in one process: Kafka (KRaft), a schema registry, HiveMQ CE with the Meshflow extension, the
      stream jobs, and HTTP (/health, /metrics, a status page). Data is kept under --data (default ./data).
      Ports default to MQTT 1883, Kafka 9092, registry 8081, HTTP 8080; 0 picks a free port. Every setting can
      also come from --config FILE (name = value lines) or the environment (MESHFLOW_MQTT_PORT, ...).
      Durations are written 500ms, 30s, 2m, 1h. With --postgres the PostgreSQL sink runs too (see ./meshflow sink).
      """;

  private final PrintStream out;
  private final PrintStream err;
  private final Deque<Stage> started = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** Something started that must be stopped, with its name for the log. */
  private record Stage(String name, AutoCloseable closeable) {}

  public RunCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static int main(String[] args) throws Exception {
    return new RunCommand(System.out, System.err).run(args, true);
  }

  /** Runs until stopped; with {@code waitForSignal} false it returns once ready (tests call {@link #stop()}). */
  public int run(String[] args, boolean waitForSignal) throws Exception {
    final Settings settings = Settings.parse(args, RunOptions.SWITCHES, RunOptions.NAMES, System.getenv());
    if (settings.flag("help")) {
      out.print(HELP);
      return 0;
    }
    final RunOptions options = RunOptions.parse(settings);
    final SinkConfig sinkConfig = settings.string("postgres", null) == null ? null : SinkCommand.config(settings);
    final boolean embeddedKafka = options.externalKafka() == null;
    final int mqttPort = FreePorts.claim(LOOPBACK, options.mqttPort(), "--mqtt-port");
    final int httpPort = FreePorts.claim(LOOPBACK, options.httpPort(), "--http-port");
    final int kafkaPort = embeddedKafka ? FreePorts.claim(LOOPBACK, options.kafkaPort(), "--kafka-port") : 0;
    final int registryPort = options.externalRegistry() == null
        ? FreePorts.claim(LOOPBACK, options.registryPort(), "--registry-port") : 0;
    final Path data = options.data().toAbsolutePath();
    Files.createDirectories(data);

    final var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final var parts = new java.util.concurrent.ConcurrentHashMap<String, Boolean>();
    final var view = new java.util.concurrent.atomic.AtomicReference<StatusView>();
    final HttpEndpoints http = HttpEndpoints.start(LOOPBACK, httpPort, metrics, () -> {
      final StatusView v = view.get();
      return new StatusPage(parts.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(e -> new String[] {e.getKey(), e.getValue() ? "up" : "starting"}).toList(),
          v == null ? List.of() : v.routerRows(), v == null ? List.of() : v.outageRows(),
          v == null ? List.of() : v.trafficRows());
    });
    push("http", http);
    try {
      final String bootstrap;
      if (embeddedKafka) {
        progress("starting Kafka on %s:%d (data in %s)", LOOPBACK, kafkaPort, data.resolve("kafka"));
        final var kafka = EmbeddedKafkaServer.start(data.resolve("kafka"), kafkaPort, FreePorts.pick());
        push("kafka", kafka);
        bootstrap = kafka.bootstrapServers();
      } else {
        bootstrap = options.externalKafka();
        progress("using Kafka at %s", bootstrap);
      }
      http.part("kafka", () -> true);
      parts.put("kafka", true);
      createTopics(bootstrap, options.partitions());

      final SchemaRegistry registry;
      final String registryUrl;
      if (options.externalRegistry() == null) {
        progress("starting the schema registry on %s:%d", LOOPBACK, registryPort);
        final var embedded = EmbeddedSchemaRegistry.start(Map.of("bootstrap.servers", bootstrap));
        push("registry", embedded);
        final var server = RegistryHttpServer.start(embedded, LOOPBACK, registryPort, "");
        push("registry http", server);
        registry = embedded;
        registryUrl = server.url();
      } else {
        registryUrl = options.externalRegistry();
        registry = SchemaRegistries.fromConfig(Map.of("schema.registry.url", registryUrl));
        progress("using the schema registry at %s", registryUrl);
      }
      http.part("registry", () -> true);
      parts.put("registry", true);
      view.set(new StatusView(bootstrap, registry));
      push("status view", view.get());

      progress("starting the stream jobs");
      final StreamJobs jobs;
      try {
        jobs = StreamJobs.start(bootstrap, data.resolve("streams"), registry, metrics, jobSettings(options), Map.of());
      } catch (InvalidSettingsException e) {
        throw new UsageException(e.getMessage());
      }
      push("jobs", jobs);
      awaitRunning(jobs);
      http.part("jobs", () -> jobs.states().values().stream().allMatch(st -> st == KafkaStreams.State.RUNNING));
      parts.put("jobs", true);
      if (sinkConfig != null) {
        progress("starting the PostgreSQL sink");
        final var sink = PostgresSink.start(sinkConfig, bootstrap, registry, metrics);
        push("sink", sink);
        http.part("sink", sink::writing);
        parts.put("sink", true);
      }

      progress("starting the MQTT broker on %s:%d", LOOPBACK, mqttPort);
      final String mcpPassword = MeshflowBroker.generatePassword();
      final var broker = MeshflowBroker.start(data, mqttPort, bootstrap, registryUrl, registry, metrics, options,
          mcpPassword, this::progress);
      push("broker", broker);
      http.part("broker", () -> true);
      parts.put("broker", true);
      startMcpServer(jobs, mqttPort, mcpPassword);

      final String ready = "meshflow ready mqtt=" + mqttPort + " kafka=" + (embeddedKafka ? kafkaPort : bootstrap)
          + " registry=" + (options.externalRegistry() == null ? registryPort : registryUrl) + " http=" + httpPort;
      out.println(ready);
      out.flush();
    } catch (Exception e) {
      stop();
      throw e;
    }
    if (waitForSignal) {
      Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "meshflow-shutdown"));
      stopped.await();
    }
    return 0;
  }

  /** Stops everything that started, last started first. Safe to call more than once. */
  public synchronized void stop() {
    while (!started.isEmpty()) {
      final Stage stage = started.pop();
      try {
        stage.closeable().close();
        LOG.info("stopped {}", stage.name());
      } catch (Exception e) {
        LOG.warn("{} did not stop cleanly: {}", stage.name(), e.getMessage());
      }
    }
    stopped.countDown();
  }

  /** The meshflow/mesh MCP server on the embedded broker; the pipeline runs on without it if it cannot start. */
  private void startMcpServer(StreamJobs jobs, int mqttPort, String password) {
    try {
      final var mcp = MeshMcpServer.start(jobs, LOOPBACK, mqttPort, MeshflowBroker.MCP_USER, password,
          MeshMcpServer.newServerId());
      push("mcp server", mcp);
      progress("MCP server %s online on the broker as %s", MeshMcpServer.SERVER_NAME, mcp.serverId());
    } catch (RuntimeException e) {
      progress("MCP server not started: %s", e.getMessage());
    }
  }

  private static Map<String, String> jobSettings(RunOptions options) {
    final var settings = new HashMap<String, String>();
    settings.put("health.offline-grace", Durations.format(options.offlineGrace()));
    settings.put("health.silence-threshold", Durations.format(options.silenceThreshold()));
    for (String key : options.channelKeys()) {
      final int eq = key.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--key '" + key + "' is not CHANNEL=BASE64");
      }
      settings.put("decode.key." + key.substring(0, eq), key.substring(eq + 1));
    }
    return settings;
  }

  private void awaitRunning(StreamJobs jobs) throws InterruptedException {
    final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
    long nextReport = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
    while (!jobs.states().values().stream().allMatch(st -> st == KafkaStreams.State.RUNNING)) {
      if (jobs.states().values().stream().anyMatch(st -> st == KafkaStreams.State.ERROR
          || st == KafkaStreams.State.NOT_RUNNING || st == KafkaStreams.State.PENDING_ERROR)) {
        throw new IllegalStateException("a stream job failed to start: " + jobs.states());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the stream jobs did not start within 3 minutes: " + jobs.states());
      }
      if (System.nanoTime() > nextReport) {
        progress("waiting for the stream jobs: %s", jobs.states());
        nextReport = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
      }
      Thread.sleep(100); // polling Kafka Streams' state; it offers no blocking wait
    }
  }

  private void push(String name, AutoCloseable closeable) {
    started.push(new Stage(name, closeable));
  }

  private void progress(String format, Object... args) {
    err.println("meshflow: " + String.format(format, args));
  }

  private void progress(String line) {
    err.println("meshflow: " + line);
  }

  private void createTopics(String bootstrap, int partitions) throws InterruptedException {
    try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      final Set<String> existing = admin.listTopics().names().get();
      final var missing = MeshTopics.all().stream().filter(t -> !existing.contains(t.name()))
          .map(t -> new NewTopic(t.name(), partitions, (short) 1).configs(new HashMap<>(t.configs()))).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
        progress("created %d topics", missing.size());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create the Kafka topics: " + e.getCause().getMessage(), e);
    }
  }
}
