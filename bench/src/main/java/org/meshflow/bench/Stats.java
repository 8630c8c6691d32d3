package org.meshflow.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** Medians and percentiles of small samples. */
final class Stats {
  private Stats() {}

  static double median(List<Double> values) {
    final var sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    final int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The {@code p}-th percentile (0..100) of sorted values, nearest rank; NaN when empty. */
  static double percentile(long[] sorted, int count, double p) {
    if (count == 0) {
      return Double.NaN;
    }
    final int rank = (int) Math.ceil(p / 100.0 * count);
    return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
  }

  static String list(List<Double> values, String format) {
    return values.stream().map(v -> String.format(format, v)).collect(Collectors.joining(" / "));
  }
}
