package org.meshflow.jobs.mcp;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a tool call's arguments the way its input schema describes them, collecting every problem so
 * the caller gets them all in one clear message.
 */
final class ToolArguments {
  private final Map<String, Object> values;
  private final List<String> problems = new ArrayList<>();

  ToolArguments(Map<String, Object> values, Set<String> known) {
    this.values = values == null ? Map.of() : values;
    this.values.keySet().stream().filter(k -> !known.contains(k)).sorted()
        .forEach(k -> problems.add("unknown argument '" + k + "' (expected " + String.join(", ", known) + ")"));
  }

  String text(String name, Pattern pattern, String shape, boolean required) {
    final Object value = values.get(name);
    if (value == null) {
      if (required) {
        problems.add("'" + name + "' is required (" + shape + ")");
      }
      return null;
    }
    if (!(value instanceof String text) || !pattern.matcher(text).matches()) {
      problems.add("'" + name + "' must be " + shape + ", not " + value);
      return null;
    }
    return text;
  }

  Instant time(String name) {
    final Object value = values.get(name);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value.toString());
    } catch (DateTimeParseException e) {
      problems.add("'" + name + "' must be an ISO-8601 UTC time like 2025-06-01T00:00:00Z, not " + value);
      return null;
    }
  }

  int whole(String name, int min, int max, int fallback) {
    final Object value = values.get(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
        || number.doubleValue() < min || number.doubleValue() > max) {
      problems.add("'" + name + "' must be a whole number from " + min + " to " + max + ", not " + value);
      return fallback;
    }
    return number.intValue();
  }

  void check(boolean condition, String problem) {
    if (!condition) {
      problems.add(problem);
    }
  }

  /** Throws the collected problems, if any, as one message. */
  void validate() {
    if (!problems.isEmpty()) {
      throw new BadArgumentsException(String.join("; ", problems));
    }
  }

  static final class BadArgumentsException extends RuntimeException {
    BadArgumentsException(String message) {
      super(message);
    }
  }
}
