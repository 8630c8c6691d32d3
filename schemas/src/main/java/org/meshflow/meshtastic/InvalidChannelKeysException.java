package org.meshflow.meshtastic;

import java.util.List;

/** Channel key configuration with errors; lists every problem, not only the first. */
public final class InvalidChannelKeysException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidChannelKeysException(List<String> problems) {
    super("invalid channel keys: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
