package org.meshflow.launcher.run;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Meshflow process started, in order: progress lines go to stderr, the ready line to stdout, and
 * {@link #stop()} (Ctrl-C/SIGTERM or a test) closes the parts last started first.
 */
public final class Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  private final PrintStream out;
  private final PrintStream err;
  private final Deque<Stage> started = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private record Stage(String name, AutoCloseable closeable) {}

  public Lifecycle(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public synchronized void push(String name, AutoCloseable closeable) {
    started.push(new Stage(name, closeable));
  }

  public void progress(String format, Object... args) {
    err.println("meshflow: " + String.format(format, args));
  }

  public void progress(String line) {
    err.println("meshflow: " + line);
  }

  public void ready(String line) {
    out.println(line);
    out.flush();
  }

  /** Blocks until SIGTERM/Ctrl-C (or {@link #stop()}) has stopped everything. */
  public void awaitSignal() throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "meshflow-shutdown"));
    stopped.await();
  }

  /** Stops everything that started, last started first. Safe to call more than once. */
  public synchronized void stop() {
    while (!started.isEmpty()) {
      final Stage stage = started.pop();
      try {
        stage.closeable().close();
        LOG.info("stopped {}", stage.name());
      } catch (Exception e) {
        LOG.warn("{} did not stop cleanly: {}", stage.name(), e.getMessage());
      }
    }
    stopped.countDown();
  }
}
