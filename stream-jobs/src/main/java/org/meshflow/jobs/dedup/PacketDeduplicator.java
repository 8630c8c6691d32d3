package org.meshflow.jobs.dedup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.meshflow.jobs.common.DeadLetters;
import org.meshflow.config.Durations;
import org.meshflow.jobs.common.IdleInput;
import org.meshflow.records.Alert;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;

/**
 * Forwards the first copy of each packet as a {@link org.meshflow.records.MeshPacket} and collects
 * the later copies; when a packet's window closes it forwards one {@link PacketHeardBy}.
 *
 * <p>Open packets live in window stores whose timestamp is the moment the packet's window closes,
 * so closing is a time-ordered range scan and retention bounds the stores. Everything up to the
 * persisted {@code closed-through} stream time has been written out; a copy of a packet closed
 * already is late and only counted.
 */
final class PacketDeduplicator implements Processor<String, Reception, String, SpecificRecord> {
  static final String PACKETS_STORE = "dedup-packets";
  static final String MAP_REPORTS_STORE = "dedup-map-reports";
  static final String CLOCK_STORE = "dedup-clock";
  static final String RATES_STORE = "dedup-node-rates";
  static final String PACKETS = "packets-sink";
  static final String HEARD_BY = "heard-by-sink";
  static final String ALERTS = "alerts-sink";
  static final String DEAD_LETTERS = "dlq-sink";
  private static final String CLOSED_THROUGH = "closed-through";

  private final DedupConfig config;
  private final DedupMetrics metrics;
  private final long windowMs;
  private final long bucketMs;
  private ProcessorContext<String, SpecificRecord> context;
  private WindowStore<String, PacketHeardBy> packets;
  private WindowStore<String, PacketHeardBy> mapReports;
  private KeyValueStore<String, Long> clock;
  private NodeRateLimiter rateLimiter;
  private IdleInput idle;
  /** No idle flush before this task read a record: after a restart its backlog may take a while to arrive. */
  private boolean readSinceStart;

  PacketDeduplicator(DedupConfig config, DedupMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.windowMs = config.window().toMillis();
    this.bucketMs = config.mapReportBucket().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    packets = context.getStateStore(PACKETS_STORE);
    mapReports = context.getStateStore(MAP_REPORTS_STORE);
    clock = context.getStateStore(CLOCK_STORE);
    rateLimiter = new NodeRateLimiter(context.getStateStore(RATES_STORE), config.nodePacketLimit(),
        config.nodeRateWindow().toMillis());
    idle = new IdleInput(config.idleAfter(), context);
    context.schedule(config.closeInterval(), PunctuationType.WALL_CLOCK_TIME, wall -> closeWindows());
  }

  @Override
  public void process(Record<String, Reception> record) {
    idle.recordSeen(context);
    readSinceStart = true;
    final Reception copy = record.value();
    if (copy == null) {
      return;
    }
    final long at = record.timestamp();
    final String problem = problem(copy, at);
    if (problem != null) {
      reject(record, problem);
      return;
    }
    if (isMapReport(copy)) {
      final long bucketEnd = at - Math.floorMod(at, bucketMs) + bucketMs;
      accept(record, mapReports, copy.getPacketKey() + "@" + bucketEnd, bucketEnd, Long.MAX_VALUE, bucketEnd);
    } else {
      // an open packet matches when its first copy is less than a window away, either side
      accept(record, packets, copy.getPacketKey(), at + 1, at + 2 * windowMs - 1, at + windowMs);
    }
  }

  private void accept(Record<String, Reception> record, WindowStore<String, PacketHeardBy> store, String storeKey,
      long closesFrom, long closesTo, long closesAt) {
    final Reception copy = record.value();
    final long at = record.timestamp();
    final long closedThrough = closedThrough();
    try (var open = store.fetch(storeKey, closesFrom, closesTo)) {
      if (open.hasNext()) {
        final var entry = open.next();
        if (entry.key <= closedThrough) {
          metrics.late();
        } else {
          store.put(storeKey, PacketCopies.add(entry.value, copy, at), entry.key);
          metrics.duplicate();
        }
        return;
      }
    }
    final PacketHeardBy first = PacketCopies.first(copy, at);
    store.put(storeKey, first, closesAt);
    metrics.unique();
    if (!isMapReport(copy)) {
      final Alert flooding = rateLimiter.count(copy.getFrom(), at);
      if (flooding != null) {
        context.forward(new Record<>(flooding.getSubject(), flooding, at), ALERTS);
      }
      if (rateLimiter.over(copy.getFrom(), at)) {
        metrics.flooding();
      }
    }
    context.forward(new Record<>(copy.getPacketKey(), (SpecificRecord) PacketCopies.packet(copy, at), at,
        record.headers()), PACKETS);
    if (closesAt <= closedThrough) {
      // so late that its window closed already: its heard-by is this copy, and later copies are late
      context.forward(new Record<>(copy.getPacketKey(), first, closesAt), HEARD_BY);
    }
  }

  /**
   * Windows close on stream time, so a backlog read later is deduplicated as it would have been live.
   * When the input has been idle for a while, the wall clock closes windows too: no copy is coming
   * for them that is not a window late. Either way one closed-through mark only moves forward, and a
   * copy of a packet whose window it passed is late, never a new packet, even when the input only
   * looked idle (a stalled poll under load) and more of the backlog follows.
   */
  private void closeWindows() {
    final long closedThrough = closedThrough();
    long closeTo = context.currentStreamTimeMs();
    if (readSinceStart && idle.isIdle(context)) {
      closeTo = Math.max(closeTo, context.currentSystemTimeMs());
    }
    if (closeTo > closedThrough) {
      writeClosed(packets, closedThrough + 1, closeTo);
      writeClosed(mapReports, closedThrough + 1, closeTo);
      clock.put(CLOSED_THROUGH, closeTo);
    }
  }

  private void writeClosed(WindowStore<String, PacketHeardBy> store, long from, long to) {
    final var closed = new ArrayList<KeyValue<Windowed<String>, PacketHeardBy>>();
    try (var closing = store.fetchAll(from, to)) {
      closing.forEachRemaining(closed::add);
    }
    for (var entry : closed) {
      final PacketHeardBy heardBy = entry.value;
      context.forward(new Record<>(heardBy.getPacketKey(), heardBy, entry.key.window().start()), HEARD_BY);
    }
  }

  private long closedThrough() {
    final Long value = clock.get(CLOSED_THROUGH);
    return value == null ? -1 : value;
  }

  private String problem(Reception copy, long at) {
    if (copy.getPacketKey() == null || copy.getPacketKey().isBlank() || copy.getFrom() == null) {
      return "reception without a packet key";
    }
    final long wall = context.currentSystemTimeMs();
    if (at > wall + config.maxFutureSkew().toMillis()) {
      return "received at " + Instant.ofEpochMilli(at) + ", more than " + Durations.format(config.maxFutureSkew())
          + " ahead of the job's clock (" + Instant.ofEpochMilli(wall) + ")";
    }
    final long behind = context.currentStreamTimeMs() - at;
    if (behind > config.maxLateness().toMillis()) {
      return "received at " + Instant.ofEpochMilli(at) + ", " + Durations.format(Duration.ofMillis(behind))
          + " behind newer receptions (max-lateness " + Durations.format(config.maxLateness()) + ")";
    }
    return null;
  }

  private void reject(Record<String, Reception> record, String reason) {
    metrics.rejected();
    final Reception copy = record.value();
    final var rejected = DeadLetters.rejected("dedup", reason, context.recordMetadata()
            .map(m -> m.topic()).orElse(config.receptionsTopic()), Instant.ofEpochMilli(record.timestamp()))
        .setSourcePartition(context.recordMetadata().map(m -> m.partition()).orElse(null))
        .setSourceOffset(context.recordMetadata().map(m -> m.offset()).orElse(null))
        .setOriginalKey(record.key() == null ? null : DeadLetters.bytes(record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .setMqttTopic(copy.getTopic()).setClientId(copy.getGatewayId()).build();
    context.forward(new Record<>(record.key(), (SpecificRecord) rejected, record.timestamp()), DEAD_LETTERS);
  }

  static boolean isMapReport(Reception copy) {
    return copy.getPacketKey().endsWith("/map") || "MAP_REPORT_APP".equals(copy.getPortnum());
  }
}
