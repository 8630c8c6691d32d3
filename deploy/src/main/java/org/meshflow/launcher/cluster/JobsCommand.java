package org.meshflow.launcher.cluster;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.meshflow.jobs.StreamJobs;
import org.meshflow.jobs.mcp.MeshMcpServer;
import org.meshflow.jobs.state.StateEndpoint;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.embedded.FreePorts;
import org.meshflow.launcher.run.HttpEndpoints;
import org.meshflow.launcher.run.Lifecycle;
import org.meshflow.launcher.run.LongRunningCommand;
import org.meshflow.launcher.run.MeshTopics;
import org.meshflow.launcher.run.RunningJobs;
import org.meshflow.registry.SchemaRegistries;
import org.meshflow.registry.SchemaRegistry;

/**
 * {@code ./meshflow jobs}: every stream job against an external Kafka and registry. Instances started
 * with the same {@code --application-id} share the partitions; one that stops hands its partitions to
 * the others. Missing topics are created with {@code --partitions} and {@code --replication-factor};
 * existing ones are left as they are.
 */
public final class JobsCommand extends LongRunningCommand {
  public static final String HELP = """
      usage: ./meshflow jobs --kafka HOST:PORT[,...] --registry URL [--state-dir DIR] [--application-id ID]
                             [--partitions N] [--replication-factor N] [--standby-replicas N]
                             [--offline-grace D] [--silence-threshold D] [--key CHANNEL=BASE64]...
                             [--jobs-config FILE] [--http-port P] [--bind ADDRESS] [--advertised-host HOST]
                             [--mqtt tcp://HOST:PORT|ssl://HOST:PORT [--mqtt-ca PEM] [--mcp-user U]
                              (--mcp-password P | --mcp-password-file F)]
                             [--state-secret-file FILE] [--config FILE]

      The stream jobs (decode, dedup, health, nodes, insight, MQTT output) as one process. Start more
      instances with the same --application-id (default meshflow) to share the work; a new id reprocesses
      the topics from their earliest offsets. Missing topics are created with --partitions (default 6) and
      --replication-factor (default 3; 1 for a single broker). State lives under --state-dir (default ./state).
      --jobs-config reads job settings (jobs-sample.properties) and, prefixed kafka., Kafka client and Streams
      properties (kafka.security.protocol=SASL_SSL, ...) for every Kafka client, the one that creates the
      topics included; kafka.* settings may also come from --config or the command line (--kafka.NAME VALUE),
      and win over --jobs-config. HTTP /health and /metrics on --http-port
      (default 8080) at --bind (default 127.0.0.1; 0.0.0.0 in a container). Settings also come from --config
      FILE (name = value lines) or the environment (MESHFLOW_KAFKA, MESHFLOW_APPLICATION_ID, ...).
      With --mqtt the meshflow/mesh MCP server runs too, on that broker as --mcp-user (default meshflow-mcp, a
      user with the mcp-server role); it goes online whenever the broker answers. With ssl://HOST:PORT it
      connects over TLS, trusting the certificates in --mqtt-ca (PEM), else the JVM's trust store. Its tools
      answer for the whole mesh: an instance asks the others over their HTTP port at --advertised-host (default:
      the --bind address, or this machine's address when bound to 0.0.0.0), so they must reach each other there.
      Bound to any address but a loopback one, the instances show each other a shared secret there: give
      every instance the same --state-secret-file (its first line; or --state-secret, MESHFLOW_STATE_SECRET).
      """;

  private volatile StreamJobs jobs;

  public JobsCommand(PrintStream out, PrintStream err) {
    super(out, err, HELP, JobsOptions.SWITCHES, JobsOptions.NAMES);
  }

  public static int main(String[] args) throws Exception {
    return new JobsCommand(System.out, System.err).run(args, true);
  }

  @Override
  protected void start(Settings settings) throws Exception {
    // before JobsOptions.parse, whose check reports the problems of both at once
    final McpOptions mcp = McpOptions.parse(settings, settings.string("bind", "127.0.0.1"));
    final JobsOptions options = JobsOptions.parse(settings);
    final ComponentOptions component = options.component();
    final int httpPort = FreePorts.claim(component.bind(), component.httpPort(), "--http-port");
    final Path stateDir = options.stateDir().toAbsolutePath();
    Files.createDirectories(stateDir);
    final var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final HttpEndpoints http = HttpEndpoints.start(component.bind(), httpPort, metrics);
    lifecycle.push("http", http);
    lifecycle.progress("using Kafka at %s and the schema registry at %s", component.kafka(), component.registry());
    MeshTopics.createMissing(options.kafkaClients(), options.partitions(), (short) options.replicationFactor(),
        lifecycle);
    final SchemaRegistry registry = SchemaRegistries.fromConfig(Map.of("schema.registry.url", component.registry()));
    // the other instances ask this one for the keys it holds; until the jobs run it says so
    http.route(StateEndpoint.PATH, new StateEndpoint(name -> jobs == null ? null : jobs.job(name),
        options.stateSecretForEndpoint()));
    final var streamsProperties = new HashMap<>(options.streamsProperties());
    streamsProperties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, mcp.advertisedHost() + ":" + httpPort);
    jobs = RunningJobs.start(lifecycle, component.kafka(), stateDir, registry, metrics, options.streamJobSettings(),
        streamsProperties);
    final StreamJobs running = jobs;
    http.part("jobs", () -> RunningJobs.running(running));
    if (mcp.servesMcp()) {
      final String serverId = MeshMcpServer.newServerId();
      lifecycle.push("mcp server", MeshMcpServer.connectInBackground(running, mcp.mqttHost(), mcp.mqttPort(),
          mcp.tls(), mcp.user(), mcp.password(), serverId));
      lifecycle.progress("MCP server %s (server id %s) connecting to the broker at %s:%d%s", MeshMcpServer.SERVER_NAME,
          serverId, mcp.mqttHost(), mcp.mqttPort(), mcp.tls() == null ? "" : " over TLS");
    }
    lifecycle.ready("meshflow ready jobs application-id=" + options.applicationId() + " kafka=" + component.kafka()
        + " http=" + httpPort);
  }

  /** The running jobs (tests look at which partitions this instance holds). */
  public StreamJobs jobs() {
    return jobs;
  }
}
