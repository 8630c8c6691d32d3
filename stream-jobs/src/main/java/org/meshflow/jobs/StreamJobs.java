package org.meshflow.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.CloseOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.meshflow.jobs.common.ConsumerLag;
import org.meshflow.jobs.common.InvalidSettingsException;
import org.meshflow.jobs.common.StreamsSettings;
import org.meshflow.jobs.mqtt.MqttOutputConfig;
import org.meshflow.jobs.mqtt.MqttOutputTopology;
import org.meshflow.jobs.decode.DecodeConfig;
import org.meshflow.jobs.decode.DecodeTopology;
import org.meshflow.jobs.dedup.DedupConfig;
import org.meshflow.jobs.dedup.DedupTopology;
import org.meshflow.jobs.health.HealthConfig;
import org.meshflow.jobs.health.HealthTopology;
import org.meshflow.jobs.insight.InsightConfig;
import org.meshflow.jobs.insight.InsightTopology;
import org.meshflow.jobs.nodes.NodesConfig;
import org.meshflow.jobs.nodes.NodesTopology;
import org.apache.kafka.streams.state.HostInfo;
import org.meshflow.jobs.state.MeshState;
import org.meshflow.jobs.state.MeshStateConfig;
import org.meshflow.jobs.state.MeshStateTopology;
import org.meshflow.jobs.state.StateSecret;
import org.meshflow.registry.SchemaRegistry;

/**
 * Every Meshflow stream job as one unit, for the launcher: settings of all jobs are validated
 * together (every problem in one exception), then each job runs as its own Kafka Streams app with
 * its state under {@code stateDir/<job>} and its client metrics bound to Micrometer.
 */
public final class StreamJobs implements AutoCloseable {
  public static final String APPLICATION_ID_PREFIX = "jobs.application-id-prefix";
  /** Which jobs run, comma-separated; all by default (a reprocessing run may want only decode,dedup,health). */
  public static final String ENABLED = "jobs.enabled";
  private static final List<String> JOBS = List.of("decode", "dedup", "health", "nodes", "insight", "mqtt", "state");
  private static final String DEFAULT_PREFIX = "meshflow";
  private final Map<String, KafkaStreams> jobs;
  private final List<KafkaStreamsMetrics> metrics = new ArrayList<>();
  private final MeshState state;

  private StreamJobs(Map<String, KafkaStreams> jobs, Object applicationServer, Duration queryTimeout,
      StateSecret secret) {
    this.jobs = jobs;
    this.state = applicationServer == null ? MeshState.local(jobs::get)
        : MeshState.across(jobs::get, HostInfo.buildFromEndpoint(applicationServer.toString()), queryTimeout,
            secret);
  }

  /**
   * @param settings flat keys as in {@code jobs-sample.properties} ({@code dedup.window=10m}, ...); with
   *     {@code jobs.application-id-prefix} the jobs run as {@code <prefix>-decode}, ... instead of
   *     {@code meshflow-decode}, ... (a second copy of the pipeline, e.g. to reprocess history); with
   *     {@code jobs.enabled=decode,dedup,health} only those run
   * @param streamsProperties extra Streams properties for every job (e.g. {@code replication.factor}); with
   *     {@code application.server} the instances answer each other's state questions (see {@link #state()})
   * @throws InvalidSettingsException listing every bad setting of every job
   */
  public static StreamJobs start(String bootstrapServers, Path stateDir, SchemaRegistry registry, MeterRegistry meters,
      Map<String, String> settings, Map<String, Object> streamsProperties) {
    final var problems = new ArrayList<String>();
    final DecodeConfig decode = read(problems, () -> DecodeConfig.from(settings));
    final DedupConfig dedup = read(problems, () -> DedupConfig.from(settings));
    final HealthConfig health = read(problems, () -> HealthConfig.from(settings));
    final NodesConfig nodes = read(problems, () -> NodesConfig.from(settings));
    final InsightConfig insight = read(problems, () -> InsightConfig.from(settings));
    final MeshStateConfig state = read(problems, () -> MeshStateConfig.from(settings));
    final String prefix = settings.getOrDefault(APPLICATION_ID_PREFIX, DEFAULT_PREFIX).trim();
    if (!prefix.matches("[a-zA-Z0-9._-]{1,100}")) {
      problems.add(APPLICATION_ID_PREFIX + " '" + prefix + "' may hold only letters, digits, '.', '_' and '-'");
    }
    final List<String> enabled = List.of(settings.getOrDefault(ENABLED, String.join(",", JOBS)).trim().split("\\s*,\\s*"));
    if (!JOBS.containsAll(enabled)) {
      problems.add(ENABLED + " '" + settings.get(ENABLED) + "' names jobs besides " + String.join(", ", JOBS));
    }
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException("stream job", problems);
    }
    final var overrides = new java.util.HashMap<String, Object>(streamsProperties);
    overrides.put(APPLICATION_ID_PREFIX, prefix);
    final var builders = new LinkedHashMap<String, Supplier<KafkaStreams>>();
    builders.put("decode", () -> streams(DecodeTopology.build(decode, registry, meters),
        DecodeTopology.streamsConfig(decode, bootstrapServers, stateDir.resolve("decode"), registry), overrides));
    final var dedupLag = new ConsumerLag();
    builders.put("dedup", () -> dedupLag.watch(streams(DedupTopology.build(dedup, registry, meters, dedupLag),
        DedupTopology.streamsConfig(dedup, bootstrapServers, stateDir.resolve("dedup"), registry), overrides)));
    builders.put("health", () -> streams(HealthTopology.build(health, registry, meters),
        HealthTopology.streamsConfig(health, bootstrapServers, stateDir.resolve("health"), registry), overrides));
    builders.put("nodes", () -> streams(NodesTopology.build(nodes, registry),
        NodesTopology.streamsConfig(nodes, bootstrapServers, stateDir.resolve("nodes"), registry), overrides));
    builders.put("insight", () -> streams(InsightTopology.build(insight, registry, meters),
        InsightTopology.streamsConfig(bootstrapServers, stateDir.resolve("insight"), registry, dedup.dlqTopic()),
        overrides));
    final MqttOutputConfig mqtt = MqttOutputConfig.defaults();
    builders.put("mqtt", () -> streams(MqttOutputTopology.build(mqtt, registry), StreamsSettings.streamsConfig("mqtt",
        mqtt.applicationId(), bootstrapServers, stateDir.resolve("mqtt"), registry, dedup.dlqTopic()), overrides));
    builders.put("state", () -> streams(MeshStateTopology.build(state, registry),
        MeshStateTopology.streamsConfig(state, bootstrapServers, stateDir.resolve("state"), registry), overrides));
    final var jobs = new LinkedHashMap<String, KafkaStreams>();
    builders.forEach((name, builder) -> {
      if (enabled.contains(name)) {
        jobs.put(name, builder.get());
      }
    });
    final var running = new StreamJobs(jobs, streamsProperties.get(StreamsConfig.APPLICATION_SERVER_CONFIG),
        state.queryTimeout(), state.secret());
    jobs.values().forEach(streams -> {
      final var binder = new KafkaStreamsMetrics(streams);
      binder.bindTo(meters);
      running.metrics.add(binder);
      streams.start();
    });
    return running;
  }

  private static <T> T read(List<String> problems, Supplier<T> config) {
    try {
      return config.get();
    } catch (InvalidSettingsException e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  private static KafkaStreams streams(Topology topology, Properties props, Map<String, Object> overrides) {
    final String id = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    props.putAll(overrides);
    props.remove(APPLICATION_ID_PREFIX);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, overrides.get(APPLICATION_ID_PREFIX)
        + id.substring(DEFAULT_PREFIX.length()));
    return new KafkaStreams(topology, props);
  }

  /** Each job's Kafka Streams state (CREATED, REBALANCING, RUNNING, ERROR, ...), for health endpoints. */
  public Map<String, KafkaStreams.State> states() {
    final var states = new LinkedHashMap<String, KafkaStreams.State>();
    jobs.forEach((name, streams) -> states.put(name, streams.state()));
    return states;
  }

  /**
   * The mesh's state for the MCP tools: this process's stores, or with {@code application.server} set
   * (several instances of one application id) the stores of every instance.
   */
  public MeshState state() {
    return state;
  }

  /** The running Kafka Streams app of one job, for interactive queries (MCP tools). */
  public KafkaStreams job(String name) {
    return jobs.get(name);
  }

  @Override
  public void close() {
    metrics.forEach(KafkaStreamsMetrics::close);
    // leaving the group lets the next start (or another instance) take the partitions at once, instead of
    // waiting out this member's session timeout; the jobs stop side by side
    final var options = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(30));
    jobs.values().stream().map(streams -> CompletableFuture.runAsync(() -> streams.close(options)))
        .toList().forEach(CompletableFuture::join);
  }
}
