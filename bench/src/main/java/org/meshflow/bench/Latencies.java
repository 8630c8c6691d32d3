package org.meshflow.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, recorded from several threads; percentiles in milliseconds. */
final class Latencies {
  private long[] samples = new long[1 << 16];
  private int count;

  synchronized void add(long nanos) {
    if (count == samples.length) {
      samples = Arrays.copyOf(samples, count * 2);
    }
    samples[count++] = nanos;
  }

  synchronized int count() {
    return count;
  }

  synchronized double percentileMs(double p) {
    final long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    return Stats.percentile(sorted, count, p) / 1e6;
  }

  synchronized void clear() {
    count = 0;
  }
}
