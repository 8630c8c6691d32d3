package org.meshflow.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.meshflow.config.Durations;
import org.meshflow.launcher.simulate.SimulateCommand;

/**
 * Load run of the whole pipeline: starts {@code ./meshflow run} as a child process (or uses a
 * running one) and drives it with the simulator at increasing {@code --rate} steps. Per step:
 * uplinks/s acknowledged (QoS 1 PUBACK), PUBACK latency, publish-to-{@code mesh.packets.v1}
 * latency, Streams lag, CPU and RSS of the Meshflow process. A step holds when at least 95 % of
 * the target rate was acknowledged, the jobs' lag at its end is under two seconds of input, and
 * every packet reached {@code mesh.packets.v1} within 15 s after the step.
 *
 * <pre>
 * java -cp "bench/target/meshflow-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.meshflow.bench.PipelineLoad \
 *     [--rates 500,1000,2000,4000,8000,10000] [--step 60s] [--routers 20] [--nodes 10000] [--starts 3]
 *     [--publish-rate 100000]   (the broker's per-gateway limit, 50/s by default in the product)
 *     [--jar deploy/target/meshflow.jar] [--java-opts "-Xmx1g ..."]
 *     [--mqtt-port P --kafka HOST:PORT --registry URL --pid PID]   (a running ./meshflow run instead)
 * </pre>
 */
public final class PipelineLoad {
  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  /** What one step measured. */
  private record Step(int target, double sentPerSecond, double ackedPerSecond, double pubackP50, double pubackP99,
      double packetP50, double packetP99, int packets, int lost, Map<String, Long> lagAtEnd, long maxLag,
      double cpuPercent, double rssMiB) {

    boolean holds() {
      final long lag = lagAtEnd.values().stream().mapToLong(Long::longValue).max().orElse(0);
      return ackedPerSecond >= 0.95 * target && lag <= Math.max(1_000, 2L * target) && lost == 0;
    }
  }

  public static void main(String[] args) throws Exception {
    final Map<String, String> o = BenchOptions.parse(args);
    final List<Integer> rates = Arrays.stream(o.getOrDefault("rates", "500,1000,2000,4000,8000,10000").split(","))
        .map(String::trim).map(Integer::parseInt).toList();
    final Duration step = Durations.parse(o.getOrDefault("step", "60s"));
    final int routers = Integer.parseInt(o.getOrDefault("routers", "20"));
    final int nodes = Integer.parseInt(o.getOrDefault("nodes", "10000"));
    final int starts = Integer.parseInt(o.getOrDefault("starts", "1"));
    final int publishRate = Integer.parseInt(o.getOrDefault("publish-rate", "100000"));
    final Path jar = Path.of(o.getOrDefault("jar", "deploy/target/meshflow.jar"));
    final String javaOpts = o.getOrDefault("java-opts", System.getenv().getOrDefault("MESHFLOW_JAVA_OPTS", ""));
    final List<String> javaOptions = javaOpts.isBlank() ? List.of() : List.of(javaOpts.trim().split("\\s+"));
    System.out.printf("machine: %d cores, %s; load average at start %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.version"), Files.readString(Path.of("/proc/loadavg")).trim());

    final Path work = Files.createTempDirectory("meshflow-load-");
    final Path log = work.resolve("meshflow.log");
    MeshflowProcess child = null;
    final int mqttPort;
    final String kafka;
    final String registry;
    final long pid;
    if (o.containsKey("mqtt-port")) {
      mqttPort = Integer.parseInt(o.get("mqtt-port"));
      kafka = o.get("kafka");
      registry = o.get("registry");
      pid = Long.parseLong(o.get("pid"));
    } else {
      final var readies = new ArrayList<Double>();
      final var idleRss = new ArrayList<Double>();
      for (int i = 1; i <= starts; i++) {
        child = MeshflowProcess.start(jar, javaOptions, work.resolve("data-" + i), log, publishRate);
        readies.add(child.awaitReady(180));
        Thread.sleep(10_000); // let start-up settle before reading idle memory
        idleRss.add(ProcessUsage.rssMiB(child.pid()));
        System.out.printf("start %d: ready after %.1f s, idle RSS %.0f MiB (10 s after ready)%n", i,
            readies.get(i - 1), idleRss.get(i - 1));
        if (i < starts) {
          child.close();
        }
      }
      System.out.printf("start to ready: median %.1f s (goal <= 15 s); idle RSS median %.0f MiB (goal <= 1024)%n",
          Stats.median(readies), Stats.median(idleRss));
      mqttPort = child.mqttPort();
      kafka = child.kafka();
      registry = child.registryUrl();
      pid = child.pid();
    }
    System.out.printf("meshflow pid %d, mqtt %d, kafka %s, registry %s; %d routers, %d nodes, steps of %s%n", pid,
        mqttPort, kafka, registry, routers, nodes, Durations.format(step));
    System.out.println("target/s  sent/s  acked/s  puback p50/p99 ms  packet p50/p99 ms  packets  lost  "
        + "lag decode/dedup/health (max)  cpu%  rss MiB  holds");
    Step best = null;
    try (var watcher = new PacketWatcher(kafka, registry); var lag = new StreamsLag(kafka)) {
      for (int rate : rates) {
        final Step s = runStep(rate, step, routers, nodes, mqttPort, pid, watcher, lag);
        System.out.printf("%8d %7.0f %8.0f %8.1f / %-8.1f %8.1f / %-8.1f %8d %5d  %6d/%d/%d (%d)  %5.0f %8.0f  %s%n",
            s.target(), s.sentPerSecond(), s.ackedPerSecond(), s.pubackP50(), s.pubackP99(), s.packetP50(),
            s.packetP99(), s.packets(), s.lost(), s.lagAtEnd().get("meshflow-decode"),
            s.lagAtEnd().get("meshflow-dedup"), s.lagAtEnd().get("meshflow-health"), s.maxLag(), s.cpuPercent(),
            s.rssMiB(), s.holds() ? "yes" : "NO");
        if (s.holds() && (best == null || s.target() > best.target())) {
          best = s;
        }
        if (s.sentPerSecond() < 0.5 * s.target()) {
          break; // far past saturation: the next steps would only say the same
        }
      }
    } finally {
      if (child != null) {
        child.close();
      }
    }
    System.out.println(best == null ? "no step held" : "highest rate that held for " + Durations.format(step)
        + ": " + best.target() + " uplinks/s (goal >= 10,000)");
    System.out.println("meshflow log: " + log);
  }

  private static Step runStep(int rate, Duration length, int routers, int nodes, int mqttPort, long pid,
      PacketWatcher watcher, StreamsLag lag) throws Exception {
    watcher.reset();
    final var sampler = Executors.newSingleThreadScheduledExecutor();
    final AtomicLong maxLag = new AtomicLong();
    sampler.scheduleAtFixedRate(() -> {
      try {
        maxLag.accumulateAndGet(lag.lag().values().stream().mapToLong(Long::longValue).max().orElse(0), Math::max);
      } catch (Exception e) {
        // a missed sample
      }
    }, 5, 5, TimeUnit.SECONDS);
    final double cpuBefore = ProcessUsage.cpuSeconds(pid);
    final long begin = System.nanoTime();
    final var truth = new java.io.ByteArrayOutputStream();
    new SimulateCommand(new PrintStream(truth), NOWHERE, watcher).run(new String[] {
        "--mqtt", "tcp://127.0.0.1:" + mqttPort, "--routers", String.valueOf(routers), "--nodes",
        String.valueOf(nodes), "--rate", String.valueOf(rate), "--duration", Durations.format(length), "--qos", "1",
        "--seed", String.valueOf(rate)});
    final double seconds = (System.nanoTime() - begin) / 1e9;
    final double cpu = ProcessUsage.cpuSeconds(pid) - cpuBefore;
    final double rss = ProcessUsage.rssMiB(pid);
    final Map<String, Long> lagAtEnd = lag.lag();
    sampler.shutdownNow();
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (watcher.outstanding() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100); // waiting for the last packets to come through
    }
    final var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lastLine(truth.toString()));
    final double sentSeconds = length.toMillis() / 1000.0;
    return new Step(rate, json.get("uplinks").asLong() / sentSeconds, json.get("acknowledged").asLong() / sentSeconds,
        watcher.pubacks().percentileMs(50), watcher.pubacks().percentileMs(99), watcher.endToEnd().percentileMs(50),
        watcher.endToEnd().percentileMs(99), watcher.endToEnd().count(), watcher.outstanding(), lagAtEnd,
        Math.max(maxLag.get(), lagAtEnd.values().stream().mapToLong(Long::longValue).max().orElse(0)),
        100 * cpu / seconds, rss);
  }

  private static String lastLine(String text) {
    final String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }
}
