package org.meshflow.bridge.configuration;

import java.util.List;

/** The configuration cannot be used; carries every problem found, not just the first. */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super("invalid configuration " + source + " (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
        + "): " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
