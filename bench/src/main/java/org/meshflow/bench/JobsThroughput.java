package org.meshflow.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.meshflow.jobs.common.ConsumerLag;
import org.meshflow.jobs.decode.DecodeConfig;
import org.meshflow.jobs.decode.DecodeTopology;
import org.meshflow.jobs.dedup.DedupConfig;
import org.meshflow.jobs.dedup.DedupTopology;
import org.meshflow.jobs.health.HealthConfig;
import org.meshflow.jobs.health.HealthTopology;
import org.meshflow.launcher.embedded.EmbeddedKafkaServer;
import org.meshflow.launcher.embedded.FreePorts;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Reception;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.SchemaRegistry;

/**
 * Records per second of the decode, dedup and health jobs on an embedded Kafka, each reading a
 * pre-loaded backlog from the earliest offset to the end, and in every round the dedup job against
 * a pass-through topology on the same input with the same serdes and Streams settings (exactly-once).
 *
 * <pre>
 * java -cp "bench/target/meshflow-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.meshflow.bench.JobsThroughput \
 *     [--uplinks 200000] [--rounds 3] [--partitions 3] [--dedup-only] [--commit-interval 100]
 * </pre>
 *
 * <p>{@code --commit-interval} sets {@code commit.interval.ms} of every app in the run (pass-through included;
 * the product runs with Kafka Streams' exactly-once default of 100 ms).
 *
 * <p>Rate = records the job processed / time from its first to its last processed record (start-up
 * and rebalancing excluded), from Kafka Streams' own {@code process-total} thread metric.
 */
public final class JobsThroughput {
  private static final String UPLINKS = "mesh.uplink.v1";
  private static final String RECEPTIONS = "bench.receptions";
  private static final String DECODED = "bench.decoded";
  private static final String PASSED = "bench.pass-through";

  private final String bootstrap;
  private final SchemaRegistry registry;
  private final Path stateRoot;
  private final String commitIntervalMs;

  private JobsThroughput(String bootstrap, SchemaRegistry registry, Path stateRoot, String commitIntervalMs) {
    this.bootstrap = bootstrap;
    this.registry = registry;
    this.stateRoot = stateRoot;
    this.commitIntervalMs = commitIntervalMs;
  }

  public static void main(String[] args) throws Exception {
    final Map<String, String> options = BenchOptions.parse(args);
    final int count = Integer.parseInt(options.getOrDefault("uplinks", "200000"));
    final int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    final int partitions = Integer.parseInt(options.getOrDefault("partitions", "3"));
    // --dedup-only: just the dedup/pass-through pair, for profiling and before/after comparisons
    final boolean all = !options.containsKey("dedup-only");
    final Path data = Files.createTempDirectory("meshflow-jobs-bench-");
    try (var kafka = EmbeddedKafkaServer.start(data.resolve("kafka"), FreePorts.pick(), FreePorts.pick())) {
      final var bench = new JobsThroughput(kafka.bootstrapServers(), new InMemorySchemaRegistry(), data.resolve("streams"),
          options.get("commit-interval"));
      Backlog.createTopics(kafka.bootstrapServers(), partitions, List.of(UPLINKS, "mesh.sessions.v1",
          "mesh.legacy-status.v1", RECEPTIONS, DECODED, PASSED, "mesh.packets.v1", "mesh.heard-by.v1", "mesh.alerts.v1",
          "mesh.dlq.v1", "mesh.router-status.v1", "mesh.router-outages.v1"));
      final List<MqttUplink> uplinks = SyntheticUplinks.uplinks(20, 2_000, count,
          Instant.now().minusMillis(20L * count), 20, 7);
      final List<Reception> receptions = SyntheticUplinks.receptions(uplinks);
      Backlog.load(bench.bootstrap, bench.registry, UPLINKS, uplinks, MqttUplink.class, MqttUplink::getClientId);
      Backlog.load(bench.bootstrap, bench.registry, RECEPTIONS, receptions, Reception.class, Reception::getPacketKey);
      System.out.printf("loaded %d uplinks and %d receptions (%d partitions each); a warm-up round, then %d rounds%n",
          uplinks.size(), receptions.size(), partitions, rounds);
      // one round to load classes and compile the hot paths, not counted
      if (all) {
        bench.measure("decode", 0, uplinks.size(), bench::decode);
        bench.measure("health", 0, uplinks.size(), bench::health);
      }
      bench.measure("dedup", 0, receptions.size(), bench::dedup);
      bench.measure("pass-through", 0, receptions.size(), bench::passThrough);
      final var rates = new LinkedHashMap<String, List<Double>>();
      final var ratios = new ArrayList<Double>();
      final var cpuRatios = new ArrayList<Double>();
      final var cpu = new LinkedHashMap<String, List<Double>>();
      for (int round = 1; round <= rounds; round++) {
        final JobRun.Rate decode = all ? bench.measure("decode", round, uplinks.size(), bench::decode) : JobRun.Rate.NONE;
        // alternate the order so neither side always runs on a warmer JVM or a fuller page cache
        final boolean dedupFirst = round % 2 == 1;
        final JobRun.Rate first = bench.measure(dedupFirst ? "dedup" : "pass-through", round, receptions.size(),
            dedupFirst ? bench::dedup : bench::passThrough);
        final JobRun.Rate second = bench.measure(dedupFirst ? "pass-through" : "dedup", round, receptions.size(),
            dedupFirst ? bench::passThrough : bench::dedup);
        final JobRun.Rate dedup = dedupFirst ? first : second;
        final JobRun.Rate pass = dedupFirst ? second : first;
        final JobRun.Rate health = all ? bench.measure("health", round, uplinks.size(), bench::health) : JobRun.Rate.NONE;
        final var jobs = new LinkedHashMap<String, JobRun.Rate>();
        if (all) {
          jobs.put("decode", decode);
        }
        jobs.put("dedup", dedup);
        jobs.put("pass-through", pass);
        if (all) {
          jobs.put("health", health);
        }
        jobs.forEach((job, rate) -> {
          rates.computeIfAbsent(job, k -> new ArrayList<>()).add(rate.perSecond());
          cpu.computeIfAbsent(job, k -> new ArrayList<>()).add(rate.cpuMicrosPerRecord());
        });
        ratios.add(dedup.perSecond() / pass.perSecond());
        cpuRatios.add(pass.cpuMicrosPerRecord() / dedup.cpuMicrosPerRecord());
        final var measured = new StringBuilder();
        jobs.forEach((job, rate) -> measured.append(String.format("%s %.0f/s, ", job, rate.perSecond())));
        System.out.printf("round %d: %sdedup/pass-through %.2f; CPU per record: dedup %.1f us, pass-through %.1f us%n",
            round, measured, dedup.perSecond() / pass.perSecond(), dedup.cpuMicrosPerRecord(),
            pass.cpuMicrosPerRecord());
      }
      System.out.println("medians over " + rounds + " rounds (records/s; CPU of the whole process per record):");
      rates.forEach((job, values) -> System.out.printf("  %-13s %8.0f /s  %6.1f us   (rounds: %s)%n", job,
          Stats.median(values), Stats.median(cpu.get(job)), Stats.list(values, "%.0f")));
      System.out.printf("  dedup/pass-through ratio %.2f   (rounds: %s; goal >= 0.5)%n", Stats.median(ratios),
          Stats.list(ratios, "%.2f"));
      System.out.printf("  same by CPU per record (pass-through us / dedup us) %.2f   (rounds: %s)%n",
          Stats.median(cpuRatios), Stats.list(cpuRatios, "%.2f"));
    } finally {
      Files.walk(data).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private KafkaStreams decode(String applicationId) {
    final var config = DecodeConfig.from(Map.of("decode.receptions-topic", DECODED));
    return streams(DecodeTopology.build(config, registry, new SimpleMeterRegistry()),
        DecodeTopology.streamsConfig(config, bootstrap, stateRoot.resolve(applicationId), registry), applicationId);
  }

  private KafkaStreams dedup(String applicationId) {
    final var config = DedupConfig.from(Map.of("dedup.receptions-topic", RECEPTIONS));
    final var lag = new ConsumerLag();
    return lag.watch(streams(DedupTopology.build(config, registry, new SimpleMeterRegistry(), lag),
        DedupTopology.streamsConfig(config, bootstrap, stateRoot.resolve(applicationId), registry), applicationId));
  }

  private KafkaStreams passThrough(String applicationId) {
    return streams(PassThroughTopology.build(RECEPTIONS, PASSED, registry), PassThroughTopology.streamsConfig(
        applicationId, bootstrap, stateRoot.resolve(applicationId), registry, "mesh.dlq.v1"), applicationId);
  }

  private KafkaStreams health(String applicationId) {
    final var config = HealthConfig.defaults();
    return streams(HealthTopology.build(config, registry),
        HealthTopology.streamsConfig(config, bootstrap, stateRoot.resolve(applicationId), registry), applicationId);
  }

  private KafkaStreams streams(Topology topology, Properties props, String applicationId) {
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    if (commitIntervalMs != null) {
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.parseInt(commitIntervalMs));
    }
    return new KafkaStreams(topology, props);
  }

  /** Runs a fresh instance of a job (own application id, so from the earliest offset) until it processed {@code expected}. */
  private JobRun.Rate measure(String job, int round, long expected, Function<String, KafkaStreams> factory)
      throws InterruptedException {
    final String applicationId = "bench-" + job + "-" + round + "-" + System.nanoTime();
    try (KafkaStreams streams = factory.apply(applicationId)) {
      final JobRun.Rate rate = JobRun.untilProcessed(job, streams, expected);
      streams.close(Duration.ofSeconds(30));
      return rate;
    }
  }
}
