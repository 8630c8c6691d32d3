package org.meshflow.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;

/** A Kafka Streams job working through a backlog already in Kafka, measured by Streams' own metrics. */
final class JobRun {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private JobRun() {}

  /**
   * A job's rate, and the CPU time the whole process (the job's threads, the broker serving it, the
   * harness) spent per record meanwhile: unlike the rate, that hardly depends on what else the machine runs.
   */
  record Rate(double perSecond, double cpuMicrosPerRecord) {
    static final Rate NONE = new Rate(Double.NaN, Double.NaN);
  }

  /**
   * Starts {@code streams} and returns once it has processed {@code expected} records (it keeps running):
   * records per second from its first to its last processed record, start-up and rebalancing excluded.
   */
  static Rate untilProcessed(String job, KafkaStreams streams, long expected) throws InterruptedException {
    final var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    streams.start();
    final long deadline = System.nanoTime() + TIMEOUT.toNanos();
    final var counter = new Processed(streams);
    long firstAt = 0;
    long firstCpu = 0;
    long firstCount = 0;
    long processed = 0;
    while (processed < expected) {
      if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException(job + " processed only " + processed + " of " + expected + " records ("
            + streams.state() + ")");
      }
      Thread.sleep(25); // sampling Streams' metrics; they offer no wait
      processed = counter.get();
      if (firstAt == 0 && processed > 0) {
        firstAt = System.nanoTime();
        firstCpu = os.getProcessCpuTime();
        firstCount = processed;
      }
    }
    final double seconds = (System.nanoTime() - firstAt) / 1e9;
    final double cpuMicros = (os.getProcessCpuTime() - firstCpu) / 1e3;
    return new Rate((processed - firstCount) / seconds, cpuMicros / (processed - firstCount));
  }

  /** Records the job's stream threads processed so far. */
  static long processed(KafkaStreams streams) {
    return new Processed(streams).get();
  }

  /**
   * Streams' {@code process-total} of every stream thread. The metrics are looked up once: scanning all of
   * an app's metrics every 25 ms costs CPU in proportion to its stores and partitions, which would tax the
   * job with more of them (dedup) more than the pass-through while it is being measured.
   */
  private static final class Processed {
    private final KafkaStreams streams;
    private List<Metric> totals = List.of();

    Processed(KafkaStreams streams) {
      this.streams = streams;
    }

    long get() {
      if (totals.isEmpty()) {
        totals = streams.metrics().entrySet().stream()
            .filter(m -> m.getKey().group().equals("stream-thread-metrics") && m.getKey().name().equals("process-total"))
            .map(m -> (Metric) m.getValue()).toList();
      }
      double total = 0;
      for (var metric : totals) {
        total += ((Number) metric.metricValue()).doubleValue();
      }
      return (long) total;
    }
  }
}
