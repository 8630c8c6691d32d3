package org.meshflow.jobs.common;

import java.time.Duration;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * Whether a task's input has been drained: no record for {@code idleAfter} of wall-clock time and,
 * when the input lag is known to it, its consumer at the end of the task's partition. Without the lag
 * a poll that only stalled (a loaded machine, a slow broker) looks the same as a quiet input.
 */
public final class IdleInput {
  private final long idleAfterMs;
  private final InputLag lag;
  private final String topic;
  private long lastRecordWallMs;

  /** Idle by the wall clock alone. */
  public IdleInput(Duration idleAfter, ProcessingContext context) {
    this(idleAfter, context, InputLag.DRAINED, "");
  }

  /** Idle once quiet for {@code idleAfter} and caught up with partition {@code taskId.partition()} of {@code topic}. */
  public IdleInput(Duration idleAfter, ProcessingContext context, InputLag lag, String topic) {
    this.idleAfterMs = idleAfter.toMillis();
    this.lag = lag;
    this.topic = topic;
    // a task that just started may have a backlog waiting: it is not idle before the first wait
    this.lastRecordWallMs = context.currentSystemTimeMs();
  }

  public void recordSeen(ProcessingContext context) {
    lastRecordWallMs = context.currentSystemTimeMs();
  }

  public boolean isIdle(ProcessingContext context) {
    return context.currentSystemTimeMs() - lastRecordWallMs >= idleAfterMs && caughtUp(context);
  }

  private boolean caughtUp(ProcessingContext context) {
    final var behind = lag.of(topic, context.taskId().partition());
    return behind.isPresent() && behind.getAsLong() <= 0;
  }
}
