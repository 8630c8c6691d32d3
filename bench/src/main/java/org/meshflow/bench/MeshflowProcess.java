package org.meshflow.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./meshflow run} as a child process (the launcher jar the {@code ./meshflow} script builds),
 * on free ports, a fresh data folder and an open broker; knows when it printed its ready line.
 */
final class MeshflowProcess implements AutoCloseable {
  private static final Pattern READY =
      Pattern.compile("meshflow ready mqtt=(\\d+) kafka=(\\S+) registry=(\\S+) http=(\\d+)");

  private final Process process;
  private final CompletableFuture<Matcher> ready = new CompletableFuture<>();
  private final long startedNanos;
  private volatile long readyNanos;

  private MeshflowProcess(Process process, long startedNanos) {
    this.process = process;
    this.startedNanos = startedNanos;
  }

  /**
   * @param publishRate per-client PUBLISH rate limit written into the broker's configuration before
   *     the first start (the default, 50/s, is for real gateways; a few simulated ones carry far more)
   */
  static MeshflowProcess start(Path jar, List<String> javaOptions, Path data, Path log, int publishRate)
      throws IOException {
    final var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.addAll(List.of("-jar", jar.toString(), "run", "--data", data.toString(), "--mqtt-port", "0",
        "--kafka-port", "0", "--registry-port", "0", "--http-port", "0", "--allow-anonymous"));
    Files.createDirectories(data);
    try (var template = MeshflowProcess.class.getResourceAsStream("/meshflow/broker.xml")) {
      final String xml = new String(template.readAllBytes(), StandardCharsets.UTF_8)
          .replaceFirst("<publish-rate>\\d+</publish-rate>", "<publish-rate>" + publishRate + "</publish-rate>")
          .replaceFirst("<publish-burst>\\d+</publish-burst>", "<publish-burst>" + publishRate + "</publish-burst>");
      Files.writeString(data.resolve("broker.xml"), xml);
    }
    final long started = System.nanoTime();
    final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    final var child = new MeshflowProcess(process, started);
    final var reader = new Thread(child::readStdout, "meshflow-stdout");
    reader.setDaemon(true);
    reader.start();
    return child;
  }

  private void readStdout() {
    try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        final Matcher m = READY.matcher(line);
        if (m.find() && !ready.isDone()) {
          readyNanos = System.nanoTime();
          ready.complete(m);
        }
      }
    } catch (IOException e) {
      // the child went away; awaitReady reports it
    }
    ready.completeExceptionally(new IllegalStateException("meshflow run exited before it was ready"));
  }

  /** Waits for the ready line; returns seconds from start to it. */
  double awaitReady(long timeoutSeconds) throws Exception {
    ready.get(timeoutSeconds, TimeUnit.SECONDS);
    return (readyNanos - startedNanos) / 1e9;
  }

  int mqttPort() {
    return Integer.parseInt(ready.join().group(1));
  }

  String kafka() {
    return "127.0.0.1:" + ready.join().group(2);
  }

  String registryUrl() {
    return "http://127.0.0.1:" + ready.join().group(3);
  }

  long pid() {
    return process.pid();
  }

  /** SIGTERM, as Ctrl-C would; forcibly after a minute. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
