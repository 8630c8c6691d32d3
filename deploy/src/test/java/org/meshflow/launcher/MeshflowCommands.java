package org.meshflow.launcher;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What {@code ./meshflow COMMAND --help} prints, for tests that check manifests against real flags. */
public final class MeshflowCommands {
  private MeshflowCommands() {}

  /** The help text, or null for a command that is registered but not built yet (exit code 3). */
  public static synchronized String help(String command) {
    final var text = new ByteArrayOutputStream();
    final PrintStream original = System.out;
    final var capture = new PrintStream(text, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    try {
      final int code = Meshflow.execute(new String[] {command, "--help"}, capture, capture);
      if (code == 3) {
        return null;
      }
      if (code != 0) {
        throw new AssertionError("./meshflow " + command + " --help exited " + code + ": " + text);
      }
    } finally {
      System.setOut(original);
    }
    return text.toString(StandardCharsets.UTF_8);
  }
}
