package org.meshflow.launcher.run;

import org.meshflow.launcher.Settings;

/** The {@code --kafka} and {@code --registry} settings, checked the same way by every command. */
public final class ExternalServices {
  private ExternalServices() {}

  /** {@code --kafka HOST:PORT[,HOST:PORT...]}, or {@code fallback} when unset (null and required: an error). */
  public static String kafka(Settings s, String fallback, boolean required) {
    return checked(s, "kafka", "HOST:PORT[,HOST:PORT...]", "HOST:PORT[,HOST:PORT...]",
        "[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*", fallback, required);
  }

  /** {@code --registry URL} of a Confluent-compatible schema registry. */
  public static String registry(Settings s, String fallback, boolean required) {
    return checked(s, "registry", "URL", "an http(s) URL", "https?://\\S+", fallback, required);
  }

  private static String checked(Settings s, String name, String placeholder, String shape, String pattern,
      String fallback, boolean required) {
    final String value = s.string(name, fallback);
    if (value == null && required) {
      s.error("--" + name + " " + placeholder + " is required");
    } else if (value != null && !value.matches(pattern)) {
      s.error("--" + name + " '" + value + "' is not " + shape);
    }
    return value;
  }
}
