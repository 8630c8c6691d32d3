package org.meshflow.jobs.common;

import org.meshflow.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one component's settings from flat key/value pairs ({@code dedup.window=10m}), keeping
 * every problem instead of stopping at the first; {@link #validate} then reports them all at once.
 */
public final class Settings {
  private final String component;
  private final Map<String, String> values;
  private final List<String> problems = new ArrayList<>();

  public Settings(String component, Map<String, String> values) {
    this.component = component;
    this.values = values;
  }

  public String string(String key, String fallback) {
    final String value = values.get(component + "." + key);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  public Duration duration(String key, Duration fallback) {
    final String value = values.get(component + "." + key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(component + "." + key + ": " + e.getMessage());
      return fallback;
    }
  }

  public int integer(String key, int fallback) {
    final String value = values.get(component + "." + key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      problems.add(component + "." + key + ": '" + value + "' is not a whole number");
      return fallback;
    }
  }

  public Pattern pattern(String key, String fallback) {
    final String value = string(key, fallback);
    try {
      return Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      problems.add(component + "." + key + ": '" + value + "' is not a regular expression: " + e.getDescription());
      return Pattern.compile(fallback);
    }
  }

  /** Collects the range checks of a config record's compact constructor. */
  public static final class Checks {
    private final String component;
    private final List<String> problems = new ArrayList<>();

    public Checks(String component) {
      this.component = component;
    }

    public Checks positive(String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        problems.add(component + "." + name + " must be a positive duration, not " + value);
      }
      return this;
    }

    public Checks atLeast(String name, int value, int minimum) {
      if (value < minimum) {
        problems.add(component + "." + name + " must be at least " + minimum + ", not " + value);
      }
      return this;
    }

    public Checks topic(String name, String value) {
      if (value == null || !value.matches("[a-zA-Z0-9._-]{1,249}")) {
        problems.add(component + "." + name + " is not a valid Kafka topic name: '" + value + "'");
      }
      return this;
    }

    public Checks that(boolean ok, String problem) {
      if (!ok) {
        problems.add(component + ": " + problem);
      }
      return this;
    }

    public void validate() {
      if (!problems.isEmpty()) {
        throw new InvalidSettingsException(component, problems);
      }
    }
  }

  /** Builds the config record, reporting parse problems and the record's own checks together. */
  public <T> T build(Supplier<T> factory) {
    T built = null;
    final var checks = new ArrayList<String>();
    try {
      built = factory.get();
    } catch (InvalidSettingsException e) {
      checks.addAll(e.problems());
    }
    final var all = new ArrayList<>(problems);
    all.addAll(checks);
    if (!all.isEmpty()) {
      throw new InvalidSettingsException(component, all);
    }
    return built;
  }
}
