package org.meshflow.launcher.run;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meshflow.config.Durations;
import org.meshflow.launcher.Settings;

/** The job settings a command line offers ({@code run} and {@code jobs}): health timing and channel keys. */
public record JobTuning(Duration offlineGrace, Duration silenceThreshold, List<String> channelKeys) {

  public static final Set<String> NAMES = Set.of("offline-grace", "silence-threshold", "key");

  public static JobTuning parse(Settings s) {
    final var tuning = new JobTuning(s.duration("offline-grace", "2m"), s.duration("silence-threshold", "30m"),
        s.all("key"));
    if (tuning.offlineGrace().isZero() || tuning.silenceThreshold().isZero()) {
      s.error("--offline-grace and --silence-threshold must be longer than 0");
    }
    for (String key : tuning.channelKeys()) {
      if (key.indexOf('=') <= 0) {
        s.error("--key '" + key + "' is not CHANNEL=BASE64");
      }
    }
    return tuning;
  }

  /** As keys of {@code jobs-sample.properties}, on top of {@code base}. */
  public Map<String, String> jobSettings(Map<String, String> base) {
    final var settings = new HashMap<>(base);
    settings.put("health.offline-grace", Durations.format(offlineGrace));
    settings.put("health.silence-threshold", Durations.format(silenceThreshold));
    for (String key : channelKeys) {
      final int eq = key.indexOf('=');
      settings.put("decode.key." + key.substring(0, eq), key.substring(eq + 1));
    }
    return settings;
  }
}
