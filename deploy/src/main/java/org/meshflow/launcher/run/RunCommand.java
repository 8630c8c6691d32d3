package org.meshflow.launcher.run;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.meshflow.jobs.StreamJobs;
import org.meshflow.jobs.mcp.MeshMcpServer;
import org.meshflow.jobs.sink.PostgresSink;
import org.meshflow.jobs.sink.SinkConfig;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.embedded.EmbeddedKafkaServer;
import org.meshflow.launcher.embedded.Addresses;
import org.meshflow.launcher.embedded.FreePorts;
import org.meshflow.launcher.embedded.MqttListeners;
import org.meshflow.launcher.embedded.TlsListener;
import org.meshflow.registry.EmbeddedSchemaRegistry;
import org.meshflow.registry.RegistryHttpServer;
import org.meshflow.registry.SchemaRegistries;
import org.meshflow.registry.SchemaRegistry;

/**
 * {@code ./meshflow run}: the whole pipeline in one process. Starts Kafka, the registry, the jobs and
 * the broker in that order, prints one ready line, and on Ctrl-C/SIGTERM stops them the other way
 * round (broker first, so nothing is accepted that could not be forwarded; Kafka last).
 */
public final class RunCommand extends LongRunningCommand {
  private static final String LOOPBACK = "127.0.0.1";

  public static final String HELP = """
      usage: ./meshflow run [--data DIR] [--mqtt-port P] [--kafka-port P] [--registry-port P] [--http-port P]
                            [--kafka HOST:PORT --registry URL] [--offline-grace D] [--silence-threshold D]
                            [--auth FILE | --allow-anonymous] [--key CHANNEL=BASE64]... [--partitions N] [--config FILE]
                            [--bind ADDRESS] [--http-bind ADDRESS] [--mqtt-tls-port P --mqtt-tls-keystore FILE
                             --mqtt-tls-keystore-password-file F] [--mqtt-max-connections N]

      Everything in one process: Kafka (KRaft), a schema registry, HiveMQ CE with the Meshflow extension, the
      stream jobs, and HTTP (/health, /metrics, a status page). Data is kept under --data (default ./data).
      Ports default to MQTT 1883, Kafka 9092, registry 8081, HTTP 8080; 0 picks a free port. Every setting can
      also come from --config FILE (name = value lines) or the environment (MESHFLOW_MQTT_PORT, ...).
      Durations are written 500ms, 30s, 2m, 1h. With --postgres the PostgreSQL sink runs too (see ./meshflow sink).
      Everything listens on 127.0.0.1; --bind 0.0.0.0 (or one address) opens MQTT and HTTP to the network, so
      gateways elsewhere can connect, while Kafka and the registry stay on 127.0.0.1; --http-bind 127.0.0.1 keeps
      HTTP (status page, metrics) on this machine all the same. With --mqtt-tls-keystore
      (PKCS#12 or JKS, opened by the first line of --mqtt-tls-keystore-password-file) the broker also serves MQTT
      over TLS on --mqtt-tls-port (default 8883). --mqtt-max-connections (default 10000, -1 for none) caps the
      MQTT connections.
      """;

  public RunCommand(PrintStream out, PrintStream err) {
    super(out, err, HELP, RunOptions.SWITCHES, RunOptions.NAMES);
  }

  public static int main(String[] args) throws Exception {
    return new RunCommand(System.out, System.err).run(args, true);
  }

  @Override
  protected void start(Settings settings) throws Exception {
    final RunOptions options = RunOptions.parse(settings);
    final SinkConfig sinkConfig = settings.string("postgres", null) == null ? null : SinkCommand.config(settings);
    final boolean embeddedKafka = options.externalKafka() == null;
    final String bind = options.bind();
    final MqttListeners mqtt = options.mqtt().claimed();
    final int mqttPort = mqtt.port();
    final TlsListener tls = mqtt.tls();
    final int httpPort = FreePorts.claim(options.httpBind(), options.httpPort(), "--http-port");
    final int kafkaPort = embeddedKafka ? FreePorts.claim(LOOPBACK, options.kafkaPort(), "--kafka-port") : 0;
    final int registryPort = options.externalRegistry() == null
        ? FreePorts.claim(LOOPBACK, options.registryPort(), "--registry-port") : 0;
    final Path data = options.data().toAbsolutePath();
    Files.createDirectories(data);

    final var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final var parts = new java.util.concurrent.ConcurrentHashMap<String, Boolean>();
    final var view = new java.util.concurrent.atomic.AtomicReference<StatusView>();
    final HttpEndpoints http = HttpEndpoints.start(options.httpBind(), httpPort, metrics, () -> {
      final StatusView v = view.get();
      return new StatusPage(parts.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(e -> new String[] {e.getKey(), e.getValue() ? "up" : "starting"}).toList(),
          v == null ? List.of() : v.routerRows(), v == null ? List.of() : v.outageRows(),
          v == null ? List.of() : v.trafficRows());
    });
    push("http", http);
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
    MeshTopics.createMissing(bootstrap, options.partitions(), (short) 1, lifecycle);

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

    final StreamJobs jobs = RunningJobs.start(lifecycle, bootstrap, data.resolve("streams"), registry, metrics,
        options.jobs().jobSettings(Map.of()), Map.of());
    http.part("jobs", () -> RunningJobs.running(jobs));
    parts.put("jobs", true);
    if (sinkConfig != null) {
      progress("starting the PostgreSQL sink");
      final var sink = PostgresSink.start(sinkConfig, bootstrap, registry, metrics);
      push("sink", sink);
      http.part("sink", sink::writing);
      parts.put("sink", true);
    }

    if (options.allowAnonymous() && !Addresses.isLoopback(bind)) {
      progress("--allow-anonymous with --bind %s: anyone who reaches the broker may connect and publish", bind);
    }
    final String mcpPassword = MeshflowBroker.generatePassword();
    final var broker = MeshflowBroker.start(data, mqtt, bootstrap, Map.of(), registryUrl, registry, metrics,
        options.auth(), options.allowAnonymous(), mcpPassword, lifecycle::progress);
    push("broker", broker);
    http.part("broker", () -> true);
    parts.put("broker", true);
    // the MCP server inside connects to the broker where it listens (any address when bound to all)
    startMcpServer(jobs, Addresses.isWildcard(bind) ? LOOPBACK : bind, mqttPort, mcpPassword);

    final String ready = "meshflow ready mqtt=" + mqttPort + " kafka=" + (embeddedKafka ? kafkaPort : bootstrap)
        + " registry=" + (options.externalRegistry() == null ? registryPort : registryUrl) + " http=" + httpPort
        + (tls == null ? "" : " mqtts=" + tls.port());
    lifecycle.ready(ready);
  }

  /** The meshflow/mesh MCP server on the embedded broker; the pipeline runs on without it if it cannot start. */
  private void startMcpServer(StreamJobs jobs, String host, int mqttPort, String password) {
    try {
      final var mcp = MeshMcpServer.start(jobs, host, mqttPort, MeshflowBroker.MCP_USER, password,
          MeshMcpServer.newServerId());
      push("mcp server", mcp);
      progress("MCP server %s online on the broker as %s", MeshMcpServer.SERVER_NAME, mcp.serverId());
    } catch (RuntimeException e) {
      progress("MCP server not started: %s", e.getMessage());
    }
  }

  private void push(String name, AutoCloseable closeable) {
    lifecycle.push(name, closeable);
  }

  private void progress(String format, Object... args) {
    lifecycle.progress(format, args);
  }
}
