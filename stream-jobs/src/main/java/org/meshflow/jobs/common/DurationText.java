package org.meshflow.jobs.common;

import java.time.Duration;
import java.util.regex.Pattern;

/** Durations as users write them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 7d}. */
public final class DurationText {
  private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private DurationText() {}

  /** The duration, or an {@link IllegalArgumentException} whose message says what is wrong. */
  public static Duration parse(String text) {
    final var matcher = FORM.matcher(text == null ? "" : text.trim());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (write e.g. 500ms, 30s, 2m, 1h, 7d)");
    }
    final long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  /** The shortest exact form, the inverse of {@link #parse}. */
  public static String format(Duration duration) {
    final long ms = duration.toMillis();
    if (ms % 86_400_000 == 0 && ms > 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
