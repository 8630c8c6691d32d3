package org.meshflow.jobs.common;

import java.util.List;

/** Every problem found in one component's settings, reported together. */
public final class InvalidSettingsException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidSettingsException(String component, List<String> problems) {
    super("invalid " + component + " settings: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
