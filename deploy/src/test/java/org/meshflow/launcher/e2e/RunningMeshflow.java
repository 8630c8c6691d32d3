package org.meshflow.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.meshflow.launcher.run.RunCommand;

/** {@code ./meshflow run} started in this JVM on free ports, as a user would start it, until closed. */
final class RunningMeshflow implements AutoCloseable {
  private static final Pattern READY =
      Pattern.compile("meshflow ready mqtt=(\\d+) kafka=(\\d+) registry=(\\d+) http=(\\d+)");

  private final RunCommand run;
  private final ByteArrayOutputStream err;
  final int mqtt;
  final int kafka;
  final int registry;
  final int http;

  private RunningMeshflow(RunCommand run, ByteArrayOutputStream out, ByteArrayOutputStream err) {
    this.run = run;
    this.err = err;
    final Matcher ready = READY.matcher(out.toString(StandardCharsets.UTF_8));
    assertThat(ready.find()).as("ready line in %s", out).isTrue();
    mqtt = Integer.parseInt(ready.group(1));
    kafka = Integer.parseInt(ready.group(2));
    registry = Integer.parseInt(ready.group(3));
    http = Integer.parseInt(ready.group(4));
  }

  /** Starts with {@code --data data}, every port 0, and {@code options}; returns once ready. */
  static RunningMeshflow start(Path data, String... options) throws Exception {
    final var out = new ByteArrayOutputStream();
    final var err = new ByteArrayOutputStream();
    final var run = new RunCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    final var args = new ArrayList<>(List.of("--data", data.toString(), "--mqtt-port", "0", "--kafka-port", "0",
        "--registry-port", "0", "--http-port", "0"));
    args.addAll(List.of(options));
    try {
      run.run(args.toArray(String[]::new), false);
      return new RunningMeshflow(run, out, err);
    } catch (Exception | AssertionError e) {
      run.stop();
      throw e;
    }
  }

  /** The generated password the first run printed for {@code user}. */
  String password(String user) {
    final String log = err.toString(StandardCharsets.UTF_8);
    final Matcher m = Pattern.compile("user name '" + user + "' and password '([^']+)'").matcher(log);
    assertThat(m.find()).as("password of %s printed in %s", user, log).isTrue();
    return m.group(1);
  }

  String bootstrapServers() {
    return "127.0.0.1:" + kafka;
  }

  @Override
  public void close() {
    run.stop();
  }
}
