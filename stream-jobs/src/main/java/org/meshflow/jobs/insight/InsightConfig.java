package org.meshflow.jobs.insight;

import java.time.Duration;
import java.util.Map;
import org.meshflow.jobs.common.Settings;

/**
 * Settings of the duplicate insight job.
 *
 * @param window length of the hopping window (a sliding hour by default)
 * @param advance how far the window hops
 * @param grace how late a heard-by list may arrive; it arrives when its dedup window closes, so
 *     this must exceed the dedup window
 */
public record InsightConfig(String heardByTopic, String duplicatesTopic, Duration window, Duration advance,
    Duration grace) {

  public InsightConfig {
    new Settings.Checks("insight").topic("heard-by-topic", heardByTopic).topic("duplicates-topic", duplicatesTopic)
        .positive("window", window).positive("advance", advance).positive("grace", grace)
        .that(advance == null || window == null || advance.compareTo(window) <= 0, "advance must not exceed window")
        .validate();
  }

  public static InsightConfig defaults() {
    return from(Map.of());
  }

  public static InsightConfig from(Map<String, String> values) {
    final var s = new Settings("insight", values);
    return s.build(() -> new InsightConfig(s.string("heard-by-topic", "mesh.heard-by.v1"),
        s.string("duplicates-topic", "mesh.gateway-duplicates.v1"), s.duration("window", Duration.ofHours(1)),
        s.duration("advance", Duration.ofMinutes(5)), s.duration("grace", Duration.ofMinutes(15))));
  }
}
