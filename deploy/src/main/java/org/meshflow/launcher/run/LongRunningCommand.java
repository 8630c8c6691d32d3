package org.meshflow.launcher.run;

import java.io.PrintStream;
import java.util.Set;
import org.meshflow.launcher.Settings;

/**
 * A command that starts parts, prints one ready line and runs until Ctrl-C/SIGTERM ({@code run},
 * {@code broker}, {@code jobs}). A start that fails stops what had started, last first.
 */
public abstract class LongRunningCommand {
  protected final PrintStream out;
  protected final Lifecycle lifecycle;
  private final String help;
  private final Set<String> switches;
  private final Set<String> names;

  /** @param switches settings without a value; @param names every setting the command accepts */
  protected LongRunningCommand(PrintStream out, PrintStream err, String help, Set<String> switches, Set<String> names) {
    this.out = out;
    this.lifecycle = new Lifecycle(out, err);
    this.help = help;
    this.switches = switches;
    this.names = names;
  }

  /** Starts every part (pushing each on the lifecycle) and prints the ready line. */
  protected abstract void start(Settings settings) throws Exception;

  /** Runs until stopped; with {@code waitForSignal} false it returns once ready (tests call {@link #stop()}). */
  public int run(String[] args, boolean waitForSignal) throws Exception {
    final Settings settings = Settings.parse(args, switches, names, System.getenv());
    if (settings.flag("help")) {
      out.print(help);
      return 0;
    }
    try {
      start(settings);
    } catch (Exception e) {
      stop();
      throw e;
    }
    if (waitForSignal) {
      lifecycle.awaitSignal();
    }
    return 0;
  }

  /** Stops everything that started, last started first. Safe to call more than once. */
  public void stop() {
    lifecycle.stop();
  }
}
