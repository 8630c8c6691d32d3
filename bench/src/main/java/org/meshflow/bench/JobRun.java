package org.meshflow.bench;

import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/** A Kafka Streams job working through a backlog already in Kafka, measured by Streams' own metrics. */
final class JobRun {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private JobRun() {}

  /**
   * Starts {@code streams} and returns once it has processed {@code expected} records (it keeps running):
   * records per second from its first to its last processed record, start-up and rebalancing excluded.
   */
  static double untilProcessed(String job, KafkaStreams streams, long expected) throws InterruptedException {
    streams.start();
    final long deadline = System.nanoTime() + TIMEOUT.toNanos();
    long firstAt = 0;
    long firstCount = 0;
    long processed = 0;
    while (processed < expected) {
      if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException(job + " processed only " + processed + " of " + expected + " records ("
            + streams.state() + ")");
      }
      Thread.sleep(25); // sampling Streams' metrics; they offer no wait
      processed = processed(streams);
      if (firstAt == 0 && processed > 0) {
        firstAt = System.nanoTime();
        firstCount = processed;
      }
    }
    return (processed - firstCount) / ((System.nanoTime() - firstAt) / 1e9);
  }

  /** Records the job's stream threads processed so far. */
  static long processed(KafkaStreams streams) {
    double total = 0;
    for (var metric : streams.metrics().entrySet()) {
      if (metric.getKey().group().equals("stream-thread-metrics") && metric.getKey().name().equals("process-total")) {
        total += ((Number) metric.getValue().metricValue()).doubleValue();
      }
    }
    return (long) total;
  }
}
