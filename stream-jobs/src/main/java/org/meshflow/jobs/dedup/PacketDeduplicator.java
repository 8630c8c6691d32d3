package org.meshflow.jobs.dedup;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.meshflow.config.Durations;
import org.meshflow.jobs.common.DeadLetters;
import org.meshflow.jobs.common.IdleInput;
import org.meshflow.jobs.common.InputLag;
import org.meshflow.records.MeshPacket;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;

/**
 * Forwards the first copy of each packet as a {@link MeshPacket} and collects the later copies; when
 * a packet's window closes it forwards one {@link PacketHeardBy}.
 *
 * <p>The windows live in {@link PacketWindows}. A copy of a packet whose window closed already is late
 * and only counted. Once stream time is {@code max-lateness} past a window's close no copy can match
 * it any more (such copies are rejected as too late), so the window is forgotten: the stores hold no
 * more than the window, the lateness and a map-report bucket's worth of packets.
 */
final class PacketDeduplicator implements Processor<String, Reception, String, SpecificRecord> {
  static final String COPIES_STORE = "dedup-copies";
  static final String PACKET_CLOSE_INDEX_STORE = "dedup-packet-close-index";
  /** Map-report windows, and packet windows indexed before the packets got a store of their own. */
  static final String CLOSE_INDEX_STORE = "dedup-close-index";
  static final String CLOCK_STORE = "dedup-clock";
  static final String RATES_STORE = "dedup-node-counts";
  static final String PACKETS = "packets-sink";
  static final String HEARD_BY = "heard-by-sink";
  static final String ALERTS = "alerts-sink";
  static final String DEAD_LETTERS = "dlq-sink";

  private final DedupConfig config;
  private final DedupMetrics metrics;
  private final InputLag lag;
  private final long windowMs;
  private final long bucketMs;
  private final long latenessMs;
  private final long stepMs;
  private ProcessorContext<String, SpecificRecord> context;
  private PacketWindows windows;
  private NodeRateLimiter rateLimiter;
  private IdleInput idle;
  /** No idle flush before this task read a record: after a restart its backlog may take a while to arrive. */
  private boolean readSinceStart;

  PacketDeduplicator(DedupConfig config, DedupMetrics metrics, InputLag lag) {
    this.config = config;
    this.metrics = metrics;
    this.lag = lag;
    this.windowMs = config.window().toMillis();
    this.bucketMs = config.mapReportBucket().toMillis();
    this.latenessMs = config.maxLateness().toMillis();
    this.stepMs = maintenanceStep(config).toMillis();
  }

  /** How far stream time may run ahead of the closed-through and forgotten-through marks. */
  static Duration maintenanceStep(DedupConfig config) {
    final Duration shorter = config.window().compareTo(config.maxLateness()) < 0 ? config.window() : config.maxLateness();
    return shorter.dividedBy(10).compareTo(Duration.ofSeconds(1)) > 0 ? shorter.dividedBy(10) : Duration.ofSeconds(1);
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    windows = new PacketWindows(context.getStateStore(COPIES_STORE),
        new CloseIndex(context.getStateStore(PACKET_CLOSE_INDEX_STORE), context.getStateStore(CLOSE_INDEX_STORE)),
        context.getStateStore(CLOCK_STORE));
    rateLimiter = new NodeRateLimiter(context.getStateStore(RATES_STORE), config.nodePacketLimit(),
        config.nodeRateWindow().toMillis(), latenessMs);
    idle = new IdleInput(config.idleAfter(), context, lag, config.receptionsTopic());
    readSinceStart = false;
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
    keepUpWithStreamTime();
    if (isMapReport(copy)) {
      final long bucketEnd = at - Math.floorMod(at, bucketMs) + bucketMs;
      accept(record, copy.getPacketKey() + "@" + bucketEnd, true, bucketEnd, Long.MAX_VALUE, bucketEnd);
    } else {
      // an open packet matches when its first copy is less than a window away, either side
      accept(record, copy.getPacketKey(), false, at + 1, at + 2 * windowMs - 1, at + windowMs);
    }
  }

  private void accept(Record<String, Reception> record, String storeKey, boolean mapReport, long closesFrom,
      long closesTo, long closesAt) {
    final Reception copy = record.value();
    final long at = record.timestamp();
    switch (windows.add(storeKey, mapReport, closesFrom, closesTo, closesAt, copy, at)) {
      case LATE -> metrics.late();
      case DUPLICATE -> metrics.duplicate();
      case FIRST -> {
        metrics.unique();
        if (!isMapReport(copy)) {
          count(copy.getFrom(), at);
        }
        context.forward(new Record<>(copy.getPacketKey(), (SpecificRecord) packet(copy, at), at, record.headers()),
            PACKETS);
        if (closesAt <= windows.closedThrough()) {
          // so late that its window closed already: its heard-by is this copy, and later copies are late
          context.forward(new Record<>(copy.getPacketKey(), windows.heardBy(storeKey, closesAt), closesAt), HEARD_BY);
        }
      }
    }
  }

  private void count(String node, long at) {
    final var count = rateLimiter.count(node, at, context.currentStreamTimeMs());
    if (count.flooding() != null) {
      context.forward(new Record<>(node, count.flooding(), at), ALERTS);
    }
    if (count.over()) {
      metrics.flooding();
    }
  }

  /**
   * Windows close on stream time, so a backlog read later is deduplicated as it would have been live.
   * When the input is drained (quiet for a while and its consumer at the end of the partition), the
   * wall clock closes windows too: no copy is coming for them that is not a window late. Either way
   * one closed-through mark only moves forward, and a copy of a packet whose window it passed is late,
   * never a new packet.
   */
  private void closeWindows() {
    long closeTo = context.currentStreamTimeMs();
    if (readSinceStart && idle.isIdle(context)) {
      closeTo = Math.max(closeTo, context.currentSystemTimeMs());
    }
    closeThrough(closeTo);
  }

  /**
   * What the punctuator does once a second, done as stream time moves while a backlog is read, so
   * however fast that goes, windows close and are forgotten before the close index drops them.
   * Runs before a record's own writes.
   */
  private void keepUpWithStreamTime() {
    final long streamTime = context.currentStreamTimeMs();
    if (streamTime - windows.closedThrough() >= stepMs) {
      closeThrough(streamTime);
    }
    final long forgetTo = Math.min(streamTime - latenessMs, windows.closedThrough());
    if (forgetTo - windows.forgottenThrough() >= stepMs) {
      windows.forgetThrough(forgetTo);
    }
    rateLimiter.sweep(streamTime);
  }

  private void closeThrough(long closeTo) {
    windows.closeThrough(closeTo, (closesAt, heardBy) ->
        context.forward(new Record<>(heardBy.getPacketKey(), heardBy, closesAt), HEARD_BY));
  }

  private String problem(Reception copy, long at) {
    if (copy.getPacketKey() == null || copy.getPacketKey().isBlank() || copy.getFrom() == null) {
      return "reception without a packet key";
    }
    final long wall = context.currentSystemTimeMs();
    // ReceptionTime left a copy stamped too far ahead at the partition's time
    final long stamped = copy.getReceivedAt() == null ? at : Math.max(at, copy.getReceivedAt().toEpochMilli());
    if (stamped > at || at > wall + config.maxFutureSkew().toMillis()) {
      return "received at " + Instant.ofEpochMilli(stamped) + ", more than " + Durations.format(config.maxFutureSkew())
          + " ahead of the job's clock (" + Instant.ofEpochMilli(wall) + ")";
    }
    final long behind = context.currentStreamTimeMs() - at;
    if (behind > latenessMs) {
      return "received at " + Instant.ofEpochMilli(at) + ", " + Durations.format(Duration.ofMillis(behind))
          + " behind newer receptions (max-lateness " + Durations.format(config.maxLateness()) + ")";
    }
    return null;
  }

  private void reject(Record<String, Reception> record, String reason) {
    metrics.rejected();
    final Reception copy = record.value();
    final var rejected = DeadLetters.rejected("dedup", reason, context.recordMetadata()
            .map(m -> m.topic()).orElse(config.receptionsTopic()),
            copy.getReceivedAt() != null ? copy.getReceivedAt() : Instant.ofEpochMilli(record.timestamp()))
        .setSourcePartition(context.recordMetadata().map(m -> m.partition()).orElse(null))
        .setSourceOffset(context.recordMetadata().map(m -> m.offset()).orElse(null))
        .setOriginalKey(record.key() == null ? null : DeadLetters.bytes(record.key().getBytes(StandardCharsets.UTF_8)))
        .setMqttTopic(copy.getTopic()).setClientId(copy.getGatewayId()).build();
    context.forward(new Record<>(record.key(), (SpecificRecord) rejected, record.timestamp()), DEAD_LETTERS);
  }

  private static MeshPacket packet(Reception copy, long receivedAt) {
    final Instant at = Instant.ofEpochMilli(receivedAt);
    return MeshPacket.newBuilder().setPacketKey(copy.getPacketKey()).setFrom(copy.getFrom()).setTo(copy.getTo())
        .setPacketId(copy.getPacketId()).setChannelId(copy.getChannelId()).setChannelHash(copy.getChannelHash())
        .setHopStart(copy.getHopStart()).setViaMqtt(copy.getViaMqtt()).setEncrypted(copy.getEncrypted())
        .setDecrypted(copy.getDecrypted()).setPortnum(copy.getPortnum()).setPayload(copy.getPayload())
        .setFirstHeardAt(at).setHeardBy(new ArrayList<>(List.of(org.meshflow.records.HeardBy.newBuilder()
            .setGatewayId(copy.getGatewayId()).setRxRssi(copy.getRxRssi()).setRxSnr(copy.getRxSnr())
            .setHopLimit(copy.getHopLimit()).setHopsAway(copy.getHopsAway()).setRelayNode(copy.getRelayNode())
            .setRxTime(copy.getRxTime()).setReceivedAt(at).setCopies(1).build())))
        .build();
  }

  static boolean isMapReport(Reception copy) {
    return copy.getPacketKey().endsWith("/map") || "MAP_REPORT_APP".equals(copy.getPortnum());
  }
}
