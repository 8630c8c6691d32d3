package org.meshflow.jobs.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.meshflow.bench.DrivenProcessor;
import org.meshflow.bench.SyntheticUplinks;
import org.meshflow.jobs.common.AvroSerdes;
import org.meshflow.records.Alert;
import org.meshflow.records.ClientSession;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Rejected;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterStatus;
import org.meshflow.records.SessionEvent;
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
 * Uplinks per second through {@link RouterHealthProcessor} as one Streams task runs it (see
 * {@link DrivenProcessor}): 20 connected routers uploading simulator envelopes 20 ms apart in
 * broker time, default settings (status refreshed at most once a minute, checks every 5 s). One op
 * = one uplink; 2-second iterations so one iteration never runs out of the 400,000 prepared uplinks.
 * In the product's package because the processor is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class HealthProcessorBenchmark {
  static final int BATCH = 1_000;
  static final int POOL = 400_000;
  static final long SPACING_MS = 20;
  static final Instant FIRST = Instant.parse("2026-03-01T12:00:00Z");
  private static final String UPLINKS = "mesh.uplink.v1";
  private static final String SESSIONS = "mesh.sessions.v1";

  private SchemaRegistry registry;
  private final List<DrivenProcessor.Input> pool = new ArrayList<>();
  private final List<DrivenProcessor.Input> sessions = new ArrayList<>();
  private DrivenProcessor driven;
  private int next;

  @Setup(Level.Trial)
  public void makeInput() {
    registry = new InMemorySchemaRegistry();
    final var serde = AvroSerde.specific(registry, MqttUplink.class);
    final List<MqttUplink> uplinks = SyntheticUplinks.uplinks(20, 2_000, POOL, FIRST, SPACING_MS, 7);
    for (MqttUplink u : uplinks) {
      pool.add(new DrivenProcessor.Input(UPLINKS, u.getClientId(), serde.serialize(UPLINKS, u),
          u.getReceivedAt().toEpochMilli()));
    }
    final var sessionSerde = AvroSerde.specific(registry, ClientSession.class);
    uplinks.stream().map(MqttUplink::getClientId).distinct().forEach(client -> sessions.add(new DrivenProcessor.Input(
        SESSIONS, client, sessionSerde.serialize(SESSIONS, ClientSession.newBuilder().setClientId(client)
            .setEvent(SessionEvent.CONNECTED).setAt(FIRST).setConnectionId(client + "-1").setKeepAliveSeconds(15)
            .setProtocolVersion("3.1.1").build()), FIRST.toEpochMilli())));
  }

  @Setup(Level.Iteration)
  public void start() {
    final var config = HealthConfig.defaults();
    driven = new DrivenProcessor(new RouterHealthProcessor(config,
            new HealthMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())), List.of(HealthTopology.store(registry)),
        Map.of(UPLINKS, AvroSerdes.reader(registry, MqttUplink.class),
            SESSIONS, AvroSerdes.reader(registry, ClientSession.class)),
        Map.of(RouterHealthProcessor.STATUS, AvroSerdes.writer(registry, RouterStatus.class),
            RouterHealthProcessor.OUTAGES, AvroSerdes.writer(registry, RouterOutage.class),
            RouterHealthProcessor.ALERTS, AvroSerdes.writer(registry, Alert.class),
            RouterHealthProcessor.DEAD_LETTERS, AvroSerdes.writer(registry, Rejected.class)),
        FIRST.toEpochMilli());
    driven.run(sessions);
    next = 0;
  }

  @TearDown(Level.Iteration)
  public void stop() {
    driven.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long uplinks() {
    if (next + BATCH > pool.size()) {
      throw new IllegalStateException("input pool of " + POOL + " uplinks used up: raise POOL");
    }
    final long written = driven.run(pool.subList(next, next + BATCH));
    next += BATCH;
    return written;
  }
}
