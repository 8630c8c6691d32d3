package org.meshflow.launcher.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One router's availability in a window: its outages clipped to the window (an open one runs to the
 * window's end), overlapping ones merged, and the share of the window it was up.
 *
 * @param outages outages that overlap the window, open ones included
 * @param downtime time in the window covered by an outage
 */
record RouterAvailability(String router, int outages, int open, Duration downtime, Duration longest, double percent) {

  /** An outage of a router; {@code end} null while it lasts. */
  record Outage(String router, Instant start, Instant end) {}

  /** Every router named in {@code routers} or in {@code outages}, lowest availability first. */
  static List<RouterAvailability> of(Set<String> routers, List<Outage> outages, Instant from, Instant to) {
    final var byRouter = new TreeMap<String, List<Outage>>();
    routers.forEach(router -> byRouter.put(router, new ArrayList<>()));
    outages.forEach(outage -> byRouter.computeIfAbsent(outage.router(), r -> new ArrayList<>()).add(outage));
    final var rows = new ArrayList<RouterAvailability>();
    for (Map.Entry<String, List<Outage>> entry : byRouter.entrySet()) {
      rows.add(of(entry.getKey(), entry.getValue(), from, to));
    }
    rows.sort(Comparator.comparingDouble(RouterAvailability::percent).thenComparing(RouterAvailability::router));
    return rows;
  }

  private static RouterAvailability of(String router, List<Outage> outages, Instant from, Instant to) {
    final var clipped = new ArrayList<Instant[]>();
    int open = 0;
    for (Outage outage : outages) {
      final Instant end = outage.end() == null ? to : outage.end();
      final Instant start = outage.start().isBefore(from) ? from : outage.start();
      final Instant stop = end.isAfter(to) ? to : end;
      final boolean overlaps = outage.start().isBefore(to) && (end.isAfter(from) || !outage.start().isBefore(from));
      if (overlaps) {
        clipped.add(new Instant[] {start, stop});
        open += outage.end() == null ? 1 : 0;
      }
    }
    clipped.sort(Comparator.comparing(interval -> interval[0]));
    Duration down = Duration.ZERO;
    Duration longest = Duration.ZERO;
    Instant coveredUntil = from;
    for (Instant[] interval : clipped) {
      final Instant start = interval[0].isBefore(coveredUntil) ? coveredUntil : interval[0];
      if (interval[1].isAfter(start)) {
        down = down.plus(Duration.between(start, interval[1]));
        coveredUntil = interval[1];
      }
      final Duration length = Duration.between(interval[0], interval[1]);
      longest = length.compareTo(longest) > 0 ? length : longest;
    }
    final long window = Duration.between(from, to).toMillis();
    final double percent = window <= 0 ? 100.0 : 100.0 * (window - down.toMillis()) / window;
    return new RouterAvailability(router, clipped.size(), open, down, longest, percent);
  }
}
