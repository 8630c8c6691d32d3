package org.meshflow.jobs.dedup;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.meshflow.config.Durations;
import org.meshflow.records.Alert;

/**
 * Counts unique packets per node and time bucket. The packet that takes a node over its limit
 * raises one NODE_FLOODING alert for that bucket; packets are never dropped for it.
 *
 * <p>One store entry per node holds the counts of its buckets that a copy may still fall in (those
 * less than {@code max-lateness} behind stream time), so counting is one lookup and one write. Nodes
 * that fell silent are swept out as stream time moves on.
 */
final class NodeRateLimiter {
  private final KeyValueStore<String, byte[]> counts;
  private final int limit;
  private final long bucketMs;
  private final long latenessMs;
  private long sweptAt;

  NodeRateLimiter(KeyValueStore<String, byte[]> counts, int limit, long bucketMs, long latenessMs) {
    this.counts = counts;
    this.limit = limit;
    this.bucketMs = bucketMs;
    this.latenessMs = latenessMs;
  }

  /** What counting one unique packet of a node made of it. */
  record Count(boolean over, Alert flooding) {}

  /** Counts one unique packet of {@code node} received {@code at}, with the task's stream time {@code now}. */
  Count count(String node, long at, long now) {
    final long bucket = at - Math.floorMod(at, bucketMs);
    final long keepAfter = now - latenessMs - bucketMs;
    final List<long[]> buckets = new ArrayList<>();
    long count = 1;
    final byte[] known = counts.get(node);
    if (known != null) {
      final var read = ByteBuffer.wrap(known);
      while (read.hasRemaining()) {
        final long start = read.getLong();
        final long n = read.getLong();
        if (start == bucket) {
          count = n + 1;
        } else if (start > keepAfter) {
          buckets.add(new long[] {start, n});
        }
      }
    }
    buckets.add(new long[] {bucket, count});
    final var write = ByteBuffer.allocate(buckets.size() * 2 * Long.BYTES);
    buckets.forEach(b -> write.putLong(b[0]).putLong(b[1]));
    counts.put(node, write.array());
    return new Count(count > limit, count == limit + 1 ? alert(node, at, bucket) : null);
  }

  /** Every lateness (or bucket) of stream time: forgets the nodes none of whose buckets a copy can still fall in. */
  void sweep(long now) {
    if (now - sweptAt < Math.max(bucketMs, latenessMs)) {
      return;
    }
    sweptAt = now;
    final long keepAfter = now - latenessMs - bucketMs;
    final List<String> silent = new ArrayList<>();
    try (var all = counts.all()) {
      all.forEachRemaining(entry -> {
        final var read = ByteBuffer.wrap(entry.value);
        long newest = Long.MIN_VALUE;
        while (read.hasRemaining()) {
          newest = Math.max(newest, read.getLong());
          read.getLong();
        }
        if (newest <= keepAfter) {
          silent.add(entry.key);
        }
      });
    }
    silent.forEach(counts::delete);
  }

  private Alert alert(String node, long at, long bucket) {
    final String window = Durations.format(Duration.ofMillis(bucketMs));
    return Alert.newBuilder().setAlertId("NODE_FLOODING/" + node + "/" + bucket).setType("NODE_FLOODING")
        .setSubject(node).setSeverity("WARNING").setAt(Instant.ofEpochMilli(at))
        .setMessage("Node " + node + " sent more than " + limit + " packets within " + window + ".")
        .setDetails(Map.of("limit", String.valueOf(limit), "window", window,
            "bucketStart", Instant.ofEpochMilli(bucket).toString()))
        .build();
  }
}
