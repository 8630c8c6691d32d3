package org.meshflow.launcher.run;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.meshflow.jobs.StreamJobs;
import org.meshflow.jobs.common.InvalidSettingsException;
import org.meshflow.launcher.UsageException;
import org.meshflow.registry.SchemaRegistry;

/** Starts every stream job and waits until all of them run, as a stage of a {@link Lifecycle}. */
public final class RunningJobs {
  private RunningJobs() {}

  public static StreamJobs start(Lifecycle lifecycle, String bootstrap, Path stateDir, SchemaRegistry registry,
      MeterRegistry meters, Map<String, String> settings, Map<String, Object> overrides) throws InterruptedException {
    lifecycle.progress("starting the stream jobs");
    final StreamJobs jobs;
    try {
      jobs = StreamJobs.start(bootstrap, stateDir, registry, meters, settings, overrides);
    } catch (InvalidSettingsException e) {
      throw new UsageException(e.getMessage());
    }
    lifecycle.push("jobs", jobs);
    awaitRunning(jobs, lifecycle);
    return jobs;
  }

  /** For {@code /health}: every job is RUNNING (a rebalance after an instance joined or left reads as DOWN). */
  public static boolean running(StreamJobs jobs) {
    return jobs.states().values().stream().allMatch(st -> st == KafkaStreams.State.RUNNING);
  }

  private static void awaitRunning(StreamJobs jobs, Lifecycle lifecycle) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!running(jobs)) {
      if (jobs.states().values().stream().anyMatch(st -> st == KafkaStreams.State.ERROR
          || st == KafkaStreams.State.NOT_RUNNING || st == KafkaStreams.State.PENDING_ERROR)) {
        throw new IllegalStateException("a stream job failed to start: " + jobs.states());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the stream jobs did not start within 3 minutes: " + jobs.states());
      }
      if (System.nanoTime() > nextReport) {
        lifecycle.progress("waiting for the stream jobs: %s", jobs.states());
        nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      }
      Thread.sleep(100); // polling Kafka Streams' state; it offers no blocking wait
    }
  }
}
