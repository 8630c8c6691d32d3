package org.meshflow.jobs.dedup;

import java.time.Duration;
import java.util.Map;
import org.meshflow.jobs.common.Settings;
import org.meshflow.jobs.common.StreamsSettings;

/**
 * Settings of the dedup job.
 *
 * @param window copies of one {@code (from, id)} within this span of the first are one packet
 * @param mapReportBucket map reports (id 0) are one per node and bucket of this length
 * @param maxLateness a copy this far behind the newest record seen goes to the DLQ (its window may be gone)
 * @param maxFutureSkew a copy stamped this far ahead of the job's clock goes to the DLQ
 * @param nodePacketLimit unique packets a node may send per {@code nodeRateWindow} before NODE_FLOODING
 * @param closeInterval how often closed windows are looked for (wall clock)
 * @param idleAfter after this long without input, packets whose window has passed on the wall clock are written out
 * @param commitInterval how often the job commits: a packet becomes visible to read-committed readers only then
 */
public record DedupConfig(String receptionsTopic, String packetsTopic, String heardByTopic, String alertsTopic,
    String dlqTopic, Duration window, Duration mapReportBucket, Duration maxLateness, Duration maxFutureSkew,
    int nodePacketLimit, Duration nodeRateWindow, Duration closeInterval, Duration idleAfter,
    Duration commitInterval) {

  public DedupConfig {
    new Settings.Checks("dedup").topic("receptions-topic", receptionsTopic).topic("packets-topic", packetsTopic)
        .topic("heard-by-topic", heardByTopic).topic("alerts-topic", alertsTopic).topic("dlq-topic", dlqTopic)
        .positive("window", window).positive("map-report-bucket", mapReportBucket)
        .positive("max-lateness", maxLateness).positive("max-future-skew", maxFutureSkew)
        .atLeast("node-packet-limit", nodePacketLimit, 1).positive("node-rate-window", nodeRateWindow)
        .positive("close-interval", closeInterval).positive("idle-after", idleAfter)
        .positive("commit-interval", commitInterval)
        .validate();
  }

  public static DedupConfig defaults() {
    return from(Map.of());
  }

  /** Reads {@code dedup.*} keys (e.g. {@code dedup.window=10m}); missing keys take their defaults. */
  public static DedupConfig from(Map<String, String> values) {
    final var s = new Settings("dedup", values);
    final Duration window = s.duration("window", Duration.ofMinutes(10));
    return s.build(() -> new DedupConfig(
        s.string("receptions-topic", "mesh.receptions.v1"), s.string("packets-topic", "mesh.packets.v1"),
        s.string("heard-by-topic", "mesh.heard-by.v1"), s.string("alerts-topic", "mesh.alerts.v1"),
        s.string("dlq-topic", "mesh.dlq.v1"), window, s.duration("map-report-bucket", Duration.ofHours(1)),
        s.duration("max-lateness", window), s.duration("max-future-skew", Duration.ofMinutes(5)),
        s.integer("node-packet-limit", 30), s.duration("node-rate-window", Duration.ofMinutes(1)),
        s.duration("close-interval", Duration.ofSeconds(1)), s.duration("idle-after", Duration.ofSeconds(10)),
        s.duration("commit-interval", StreamsSettings.PACKET_PATH_COMMIT)));
  }

  public DedupConfig withWindow(Duration newWindow) {
    return new DedupConfig(receptionsTopic, packetsTopic, heardByTopic, alertsTopic, dlqTopic, newWindow,
        mapReportBucket, maxLateness, maxFutureSkew, nodePacketLimit, nodeRateWindow, closeInterval, idleAfter,
        commitInterval);
  }

  public DedupConfig withNodePacketLimit(int limit) {
    return new DedupConfig(receptionsTopic, packetsTopic, heardByTopic, alertsTopic, dlqTopic, window,
        mapReportBucket, maxLateness, maxFutureSkew, limit, nodeRateWindow, closeInterval, idleAfter,
        commitInterval);
  }
}
