package org.meshflow.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.meshflow.jobs.StreamJobs;
import org.meshflow.launcher.embedded.EmbeddedKafkaServer;
import org.meshflow.launcher.embedded.FreePorts;
import org.meshflow.launcher.run.Lifecycle;
import org.meshflow.launcher.run.MeshTopics;
import org.meshflow.launcher.simulate.SyntheticMesh;
import org.meshflow.meshtastic.NodeId;
import org.meshflow.records.ClientSession;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.SessionEvent;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.serde.AvroSerde;

/**
 * Does the jobs' state stay bounded? Drives {@code --minutes} of broker time (default an hour) of a
 * regional mesh at {@code --rate} uplinks per second of broker time through the stateful jobs (decode,
 * dedup, health, nodes, insight, state, as {@code ./meshflow jobs} runs them) on an embedded Kafka, as
 * fast as they take it, and after every {@code --report-every} minutes of broker time, once the jobs have
 * caught up, reports each job's state directory on disk and its RocksDB stores' estimated keys and
 * entries. Windowed state must level off once its windows are full.
 *
 * <p>The broker time lies in the past and the jobs work through it faster than live, so the jobs'
 * wall-clock idle rules ({@code dedup.idle-after}, {@code health.idle-after}) are set beyond the run:
 * a pause between two reports would otherwise make "now" the wall clock and close every window at once.
 *
 * <pre>
 * java -Xmx3g -cp "bench/target/meshflow-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.meshflow.bench.StateOverAnHour \
 *     [--rate 2000] [--minutes 60] [--report-every 15] [--routers 100] [--nodes 10000] [--partitions 3]
 * </pre>
 */
public final class StateOverAnHour {
  private static final List<String> JOBS = List.of("decode", "dedup", "health", "nodes", "insight", "state");
  private static final int BATCH = 20_000;
  private static final long MIB = 1024 * 1024;

  private StateOverAnHour() {}

  public static void main(String[] args) throws Exception {
    final Map<String, String> options = BenchOptions.parse(args);
    final int rate = BenchOptions.integer(options, "rate", 2000);
    final int minutes = BenchOptions.integer(options, "minutes", 60);
    final int every = BenchOptions.integer(options, "report-every", 15);
    final int routers = BenchOptions.integer(options, "routers", 100);
    final int nodes = BenchOptions.integer(options, "nodes", 10000);
    final int partitions = BenchOptions.integer(options, "partitions", 3);
    final Path data = Files.createTempDirectory("meshflow-state-bench-");
    final PrintStream out = System.out;
    out.println("machine: " + BenchOptions.machine());
    try (var kafka = EmbeddedKafkaServer.start(data.resolve("kafka"), FreePorts.pick(), FreePorts.pick())) {
      final String bootstrap = kafka.bootstrapServers();
      final var registry = new InMemorySchemaRegistry();
      MeshTopics.createMissing(bootstrap, partitions, (short) 1, new Lifecycle(out, System.err));
      final Path stateDir = data.resolve("state");
      final Map<String, String> settings = Map.of(StreamJobs.ENABLED, String.join(",", JOBS),
          "dedup.idle-after", (2 * minutes) + "m", "health.idle-after", (2 * minutes) + "m");
      try (var jobs = StreamJobs.start(bootstrap, stateDir, registry, new SimpleMeterRegistry(), settings, Map.of());
          var lag = new StreamsLag(bootstrap, JOBS.stream().map(job -> "meshflow-" + job).toList());
          var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "linger.ms", 20,
              "batch.size", 262_144, "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
        final var mesh = new SyntheticMesh(routers, nodes, 7, SyntheticMesh.spreadKmFor(routers, 10));
        // the whole run lies in the past, so no reception is ahead of the jobs' clock
        final Instant start = Instant.now().minus(Duration.ofMinutes(minutes + 5)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        final var uplinks = new SyntheticUplinks(mesh, start, Duration.ofNanos(1_000_000_000L / rate), 7);
        final var uplinkSerde = AvroSerde.specific(registry, MqttUplink.class);
        final var sessionSerde = AvroSerde.specific(registry, ClientSession.class);
        for (var router : mesh.routers()) {
          final String id = NodeId.of(router.nodeNum());
          producer.send(new ProducerRecord<>("mesh.sessions.v1", id, sessionSerde.serialize("mesh.sessions.v1",
              ClientSession.newBuilder().setClientId(id).setEvent(SessionEvent.CONNECTED).setAt(start.minusSeconds(1))
                  .setConnectionId("c1").setKeepAliveSeconds(900).setProtocolVersion("3.1.1").build())));
        }
        out.printf(Locale.ROOT, "%d routers, %d nodes, %d uplinks/s of broker time from %s, %d minutes; jobs %s%n",
            routers, nodes, rate, start, minutes, JOBS);
        final long began = System.nanoTime();
        final var rows = new ArrayList<String>();
        long sent = 0;
        for (int minute = every; minute <= minutes; minute += every) {
          final long until = (long) rate * 60 * minute;
          while (sent < until) {
            for (MqttUplink uplink : uplinks.next((int) Math.min(BATCH, until - sent))) {
              producer.send(new ProducerRecord<>("mesh.uplink.v1", null, uplink.getReceivedAt().toEpochMilli(),
                  uplink.getClientId(), uplinkSerde.serialize("mesh.uplink.v1", uplink)));
              sent++;
            }
          }
          producer.flush();
          awaitCaughtUp(jobs, lag, sent, 3L * partitions, out);
          final double wall = (System.nanoTime() - began) / 1e9;
          final long heap = StateFootprint.heapAfterGc();
          out.printf(Locale.ROOT, "%n%d min of broker time (%,d uplinks) after %.0f s (%.0f uplinks/s), heap %.0f MiB; %s%n",
              minute, sent, wall, sent / wall, heap / (double) MIB, BenchOptions.machine());
          for (String job : JOBS) {
            final var footprint = StateFootprint.of(jobs.job(job), stateDir.resolve(job));
            out.printf(Locale.ROOT, "  %-8s disk %7.1f MiB (SST %7.1f, memtables %6.1f), RocksDB memory %6.1f MiB,"
                + " estimated keys %,11d, entries %,11d  %s%n", job, footprint.diskBytes() / (double) MIB,
                footprint.sstBytes() / (double) MIB, footprint.memtableBytes() / (double) MIB,
                footprint.rocksDbMemoryBytes() / (double) MIB, footprint.keys(), footprint.entries(),
                footprint.entriesByStore());
            rows.add(String.format(Locale.ROOT, "| %s | %02d | %.1f | %.1f | %.1f | %,d | %,d |", job, minute,
                footprint.diskBytes() / (double) MIB, footprint.memtableBytes() / (double) MIB,
                footprint.rocksDbMemoryBytes() / (double) MIB, footprint.keys(), footprint.entries()));
          }
        }
        out.println("\n| job | minute | state dir MiB | memtables MiB | RocksDB memory MiB | estimate-num-keys | entries |");
        rows.stream().sorted().forEach(out::println);
      }
    } finally {
      try (var files = Files.walk(data)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Waits until decode has read every uplink sent and every job has committed all its input and processed nothing
   * more for a few seconds (under
   * exactly-once the upstream jobs' commit markers may leave a lag of one per input partition: {@code markers}).
   */
  private static void awaitCaughtUp(StreamJobs jobs, StreamsLag lag, long uplinks, long markers, PrintStream out)
      throws Exception {
    long quietSince = System.nanoTime();
    long lastProcessed = -1;
    long nextReport = System.nanoTime();
    while (true) {
      final Map<String, Long> lags = lag.lag();
      long processed = 0;
      final var states = new LinkedHashMap<String, KafkaStreams.State>();
      for (String job : JOBS) {
        processed += JobRun.processed(jobs.job(job));
        states.put(job, jobs.job(job).state());
      }
      if (states.containsValue(KafkaStreams.State.ERROR)) {
        throw new IllegalStateException("a job failed: " + states);
      }
      if (processed != lastProcessed) {
        lastProcessed = processed;
        quietSince = System.nanoTime();
      }
      final boolean drained = JobRun.processed(jobs.job("decode")) >= uplinks
          && lags.values().stream().allMatch(l -> l <= markers);
      if (drained && System.nanoTime() - quietSince > Duration.ofSeconds(5).toNanos()) {
        return;
      }
      if (System.nanoTime() > nextReport) {
        out.println("  catching up: lag " + lags);
        nextReport = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      }
      Thread.sleep(1000); // polling Kafka's offsets and Streams' metrics; neither offers a wait
    }
  }
}
