package org.meshflow.bridge.configuration;

import java.time.Duration;
import java.util.regex.Pattern;

/** Durations written as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private Durations() {}

  /** The duration, or null when {@code text} is not one. */
  public static Duration parse(String text) {
    final var m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    final long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }
}
