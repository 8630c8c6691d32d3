package org.meshflow.jobs.dedup;

import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.state.WindowStore;
import org.meshflow.config.Durations;
import org.meshflow.records.Alert;

/**
 * Counts unique packets per node and time bucket. The packet that takes a node over its limit
 * raises one NODE_FLOODING alert for that bucket; packets are never dropped for it.
 */
final class NodeRateLimiter {
  private final WindowStore<String, Long> counts;
  private final int limit;
  private final long bucketMs;

  NodeRateLimiter(WindowStore<String, Long> counts, int limit, long bucketMs) {
    this.counts = counts;
    this.limit = limit;
    this.bucketMs = bucketMs;
  }

  /** Counts one unique packet of {@code node}; returns the alert when this one crossed the limit, else null. */
  Alert count(String node, long at) {
    final long bucket = at - Math.floorMod(at, bucketMs);
    final Long previous = counts.fetch(node, bucket);
    final long count = (previous == null ? 0 : previous) + 1;
    counts.put(node, count, bucket);
    if (count != limit + 1) {
      return null;
    }
    final String window = Durations.format(java.time.Duration.ofMillis(bucketMs));
    return Alert.newBuilder().setAlertId("NODE_FLOODING/" + node + "/" + bucket).setType("NODE_FLOODING")
        .setSubject(node).setSeverity("WARNING").setAt(Instant.ofEpochMilli(at))
        .setMessage("Node " + node + " sent more than " + limit + " packets within " + window + ".")
        .setDetails(Map.of("limit", String.valueOf(limit), "window", window,
            "bucketStart", Instant.ofEpochMilli(bucket).toString()))
        .build();
  }

  boolean over(String node, long at) {
    final Long count = counts.fetch(node, at - Math.floorMod(at, bucketMs));
    return count != null && count > limit;
  }
}
