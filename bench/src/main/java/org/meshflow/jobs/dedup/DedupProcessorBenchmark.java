package org.meshflow.jobs.dedup;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.meshflow.bench.DrivenProcessor;
import org.meshflow.bench.SyntheticUplinks;
import org.meshflow.jobs.common.AvroSerdes;
import org.meshflow.jobs.common.InputLag;
import org.meshflow.records.Alert;
import org.meshflow.records.MeshPacket;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;
import org.meshflow.records.Rejected;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Receptions per second through {@link PacketDeduplicator} as one Streams task runs it (see
 * {@link DrivenProcessor}): simulator uplinks from 20 routers and 2,000 nodes (about 8 copies a
 * packet), decoded, 20 ms apart in broker time, default settings (10-minute window), so about 30,000
 * copies of 3,800 packets are open and windows close as the iteration goes. One op = one reception.
 * In the product's package because the processor is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DedupProcessorBenchmark {
  static final int BATCH = 1_000;
  static final int POOL = 400_000;
  static final long SPACING_MS = 20;
  static final Instant FIRST = Instant.parse("2026-03-01T12:00:00Z");
  private static final String TOPIC = "mesh.receptions.v1";

  private SchemaRegistry registry;
  private final List<DrivenProcessor.Input> pool = new ArrayList<>();
  private DrivenProcessor driven;
  private int next;

  @Setup(Level.Trial)
  public void makeInput() {
    registry = new InMemorySchemaRegistry();
    final var serde = AvroSerde.specific(registry, Reception.class);
    for (Reception r : SyntheticUplinks.receptions(SyntheticUplinks.uplinks(20, 2_000, POOL, FIRST, SPACING_MS, 7))) {
      pool.add(new DrivenProcessor.Input(TOPIC, r.getPacketKey(), serde.serialize(TOPIC, r),
          r.getReceivedAt().toEpochMilli()));
    }
  }

  @Setup(Level.Iteration)
  public void start() {
    final var config = DedupConfig.defaults();
    driven = new DrivenProcessor(
        new PacketDeduplicator(config, new DedupMetrics(new SimpleMeterRegistry()), InputLag.DRAINED),
        DedupTopology.stores(config), Map.of(TOPIC, AvroSerdes.reader(registry, Reception.class)),
        Map.of(PacketDeduplicator.PACKETS, AvroSerdes.writer(registry, MeshPacket.class),
            PacketDeduplicator.HEARD_BY, AvroSerdes.writer(registry, PacketHeardBy.class),
            PacketDeduplicator.ALERTS, AvroSerdes.writer(registry, Alert.class),
            PacketDeduplicator.DEAD_LETTERS, AvroSerdes.writer(registry, Rejected.class)),
        FIRST.toEpochMilli());
    next = 0;
  }

  @TearDown(Level.Iteration)
  public void stop() {
    driven.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long receptions() {
    if (next + BATCH > pool.size()) {
      throw new IllegalStateException("input pool of " + POOL + " receptions used up: raise POOL");
    }
    final long written = driven.run(pool.subList(next, next + BATCH));
    next += BATCH;
    return written;
  }
}
