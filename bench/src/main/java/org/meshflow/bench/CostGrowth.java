package org.meshflow.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
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
import org.meshflow.jobs.nodes.NodesConfig;
import org.meshflow.jobs.nodes.NodesTopology;
import org.meshflow.launcher.embedded.EmbeddedKafkaServer;
import org.meshflow.launcher.embedded.FreePorts;
import org.meshflow.launcher.simulate.SyntheticMesh;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Reception;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.SchemaRegistry;

/**
 * How the jobs' cost grows with the mesh: the same number of uplinks from meshes of 10, 100 and 1,000
 * routers (10,000 nodes) and of 100, 10,000 and 100,000 nodes (100 routers), each job (decode, dedup,
 * health, nodes) a fresh Kafka Streams app on the pre-loaded backlog of one mesh at a time. Per job and mesh:
 * records per second (as {@link JobsThroughput}), heap in use after GC while the job runs less before it
 * started, RocksDB's entries and own memory while it runs, and its state directory once closed (flushed).
 * Every mesh gets {@code --uplinks}, or {@code --uplinks-per-node} times its nodes if that is more, so the
 * largest mesh's nodes are heard too.
 * The mesh's area grows with its routers, so each packet reaches MQTT about as often in every mesh.
 *
 * <pre>
 * java -cp "bench/target/meshflow-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.meshflow.bench.CostGrowth \
 *     [--uplinks 50000] [--uplinks-per-node 6] [--rounds 3] [--partitions 3]
 * </pre>
 */
public final class CostGrowth {
  private static final int CITY_ROUTERS = 10;
  private static final List<MeshSize> SIZES = List.of(new MeshSize(10, 10_000), new MeshSize(100, 10_000),
      new MeshSize(1_000, 10_000), new MeshSize(100, 100), new MeshSize(100, 100_000));
  private static final List<String> JOBS = List.of("decode", "dedup", "health", "nodes");
  private static final long MIB = 1024 * 1024;

  record MeshSize(int routers, int nodes) {
    String uplinks() {
      return "cost." + routers + "r" + nodes + "n.uplinks";
    }

    String receptions() {
      return "cost." + routers + "r" + nodes + "n.receptions";
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%,d routers / %,d nodes", routers, nodes);
    }
  }

  /** One job's run on one mesh. */
  record Sample(double rate, long heapBytes, long keys, long entries, long rocksDbBytes, long diskBytes) {}

  private final String bootstrap;
  private final SchemaRegistry registry = new InMemorySchemaRegistry();
  private final Path stateRoot;

  private CostGrowth(String bootstrap, Path stateRoot) {
    this.bootstrap = bootstrap;
    this.stateRoot = stateRoot;
  }

  public static void main(String[] args) throws Exception {
    final Map<String, String> options = BenchOptions.parse(args);
    final int minimum = BenchOptions.integer(options, "uplinks", 50000);
    final int perNode = BenchOptions.integer(options, "uplinks-per-node", 6);
    final int rounds = BenchOptions.integer(options, "rounds", 3);
    final int partitions = BenchOptions.integer(options, "partitions", 3);
    System.out.println("machine: " + BenchOptions.machine());
    final Path data = Files.createTempDirectory("meshflow-cost-bench-");
    try (var kafka = EmbeddedKafkaServer.start(data.resolve("kafka"), FreePorts.pick(), FreePorts.pick())) {
      final var bench = new CostGrowth(kafka.bootstrapServers(), data.resolve("streams"));
      final var topics = new ArrayList<>(List.of("cost.decoded", "mesh.sessions.v1", "mesh.legacy-status.v1",
          "mesh.packets.v1", "mesh.heard-by.v1", "mesh.alerts.v1", "mesh.dlq.v1", "mesh.router-status.v1",
          "mesh.router-outages.v1", "mesh.nodes.v1"));
      SIZES.forEach(size -> topics.addAll(List.of(size.uplinks(), size.receptions())));
      Backlog.createTopics(bench.bootstrap, partitions, topics);
      final var counts = new LinkedHashMap<MeshSize, long[]>();
      for (MeshSize size : SIZES) {
        counts.put(size, bench.load(size, Math.max(minimum, perNode * size.nodes())));
      }
      final var samples = new LinkedHashMap<String, List<Sample>>();
      for (int round = 0; round <= rounds; round++) {
        for (MeshSize size : SIZES) {
          for (String job : JOBS) {
            if (round == 0 && size != SIZES.get(0)) {
              continue; // the warm-up round (classes, JIT, RocksDB) runs on the first mesh only and is not counted
            }
            final Sample sample = bench.run(job, size, round, counts.get(size));
            System.out.printf(Locale.ROOT, "round %d, %s, %s: %.0f records/s, heap +%.1f MiB, %,d keys estimated,"
                + " %,d entries, RocksDB memory %.1f MiB, on disk after close %.1f MiB%n", round, size, job,
                sample.rate(), sample.heapBytes() / (double) MIB, sample.keys(), sample.entries(),
                sample.rocksDbBytes() / (double) MIB, sample.diskBytes() / (double) MIB);
            if (round > 0) {
              samples.computeIfAbsent(size + "|" + job, k -> new ArrayList<>()).add(sample);
            }
          }
        }
      }
      report(counts, samples, rounds);
      System.out.println("machine at the end: " + BenchOptions.machine());
    } finally {
      try (var files = Files.walk(data)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Loads the mesh's uplinks and their receptions; returns {uplinks, receptions, packets}. */
  private long[] load(MeshSize size, int count) {
    final var mesh = new SyntheticMesh(size.routers(), size.nodes(), 7,
        SyntheticMesh.spreadKmFor(size.routers(), CITY_ROUTERS));
    // 1,000 uplinks a second of broker time, ending now
    final List<MqttUplink> uplinks = new SyntheticUplinks(mesh, Instant.now().minusMillis(count), Duration.ofMillis(1), 7)
        .next(count);
    final List<Reception> receptions = SyntheticUplinks.receptions(uplinks);
    Backlog.load(bootstrap, registry, size.uplinks(), uplinks, MqttUplink.class, MqttUplink::getClientId);
    Backlog.load(bootstrap, registry, size.receptions(), receptions, Reception.class, Reception::getPacketKey);
    final long packets = receptions.stream().map(Reception::getPacketKey).distinct().count();
    System.out.printf(Locale.ROOT, "%s: %,d uplinks, %,d receptions, %,d packets (%.1f copies a packet)%n", size,
        uplinks.size(), receptions.size(), packets, receptions.size() / (double) packets);
    return new long[] {uplinks.size(), receptions.size(), packets};
  }

  private Sample run(String job, MeshSize size, int round, long[] counts) throws InterruptedException {
    final String applicationId = "cost-" + job + "-" + size.routers() + "r" + size.nodes() + "n-" + round;
    final Path stateDir = stateRoot.resolve(applicationId);
    final long heapBefore = StateFootprint.heapAfterGc();
    final double rate;
    final long heap;
    final StateFootprint footprint;
    try (KafkaStreams streams = streams(job, size, applicationId, stateDir)) {
      // nodes processes each reception twice: once to re-key it by sender, once from its repartition topic
      final long expected = switch (job) {
        case "decode", "health" -> counts[0];
        case "nodes" -> 2 * counts[1];
        default -> counts[1];
      };
      rate = JobRun.untilProcessed(job, streams, expected).perSecond() / (job.equals("nodes") ? 2 : 1);
      heap = StateFootprint.heapAfterGc() - heapBefore;
      footprint = StateFootprint.of(streams, stateDir);
      streams.close(Duration.ofSeconds(30));
    }
    // on disk once closed: closing flushes every store (while it runs, exactly-once keeps recent writes in memtables)
    return new Sample(rate, heap, footprint.keys(), footprint.entries(), footprint.rocksDbMemoryBytes(),
        StateFootprint.diskBytes(stateDir));
  }

  private KafkaStreams streams(String job, MeshSize size, String applicationId, Path stateDir) {
    final var meters = new SimpleMeterRegistry();
    return switch (job) {
      case "decode" -> {
        final var config = DecodeConfig.from(Map.of("decode.uplinks-topic", size.uplinks(),
            "decode.receptions-topic", "cost.decoded"));
        yield streams(DecodeTopology.build(config, registry, meters),
            DecodeTopology.streamsConfig(config, bootstrap, stateDir, registry), applicationId);
      }
      case "dedup" -> {
        final var config = DedupConfig.from(Map.of("dedup.receptions-topic", size.receptions()));
        final var lag = new ConsumerLag();
        yield lag.watch(streams(DedupTopology.build(config, registry, meters, lag),
            DedupTopology.streamsConfig(config, bootstrap, stateDir, registry), applicationId));
      }
      case "health" -> {
        final var config = HealthConfig.from(Map.of("health.uplinks-topic", size.uplinks()));
        yield streams(HealthTopology.build(config, registry, meters),
            HealthTopology.streamsConfig(config, bootstrap, stateDir, registry), applicationId);
      }
      case "nodes" -> {
        final var config = NodesConfig.from(Map.of("nodes.receptions-topic", size.receptions()));
        yield streams(NodesTopology.build(config, registry),
            NodesTopology.streamsConfig(config, bootstrap, stateDir, registry), applicationId);
      }
      default -> throw new IllegalArgumentException(job);
    };
  }

  private static KafkaStreams streams(Topology topology, Properties props, String applicationId) {
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    return new KafkaStreams(topology, props);
  }

  private static void report(Map<MeshSize, long[]> counts, Map<String, List<Sample>> samples, int rounds) {
    System.out.printf(Locale.ROOT, "%nmedians of %d rounds, per job: records/s / heap MiB / RocksDB entries"
        + " / RocksDB memory MiB / disk MiB%n", rounds);
    for (var entry : counts.entrySet()) {
      final MeshSize size = entry.getKey();
      final long[] c = entry.getValue();
      System.out.printf(Locale.ROOT, "| %,d | %,d | %,d | %.1f |", size.routers(), size.nodes(), c[0],
          c[1] / (double) c[2]);
      for (String job : JOBS) {
        final List<Sample> runs = samples.get(size + "|" + job);
        System.out.printf(Locale.ROOT, " %,.0f / %.0f / %,.0f / %.0f / %.1f |",
            Stats.median(runs.stream().map(Sample::rate).toList()),
            Stats.median(runs.stream().map(s -> s.heapBytes() / (double) MIB).toList()),
            Stats.median(runs.stream().map(s -> (double) s.entries()).toList()),
            Stats.median(runs.stream().map(s -> s.rocksDbBytes() / (double) MIB).toList()),
            Stats.median(runs.stream().map(s -> s.diskBytes() / (double) MIB).toList()));
      }
      System.out.println();
    }
  }
}
