package org.meshflow.jobs.common;

import java.time.Duration;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/** Whether a task's input has been drained: no record for {@code idleAfter} of wall-clock time. */
public final class IdleInput {
  private final long idleAfterMs;
  private long lastRecordWallMs;

  public IdleInput(Duration idleAfter, ProcessingContext context) {
    this.idleAfterMs = idleAfter.toMillis();
    // a task that just started may have a backlog waiting: it is not idle before the first wait
    this.lastRecordWallMs = context.currentSystemTimeMs();
  }

  public void recordSeen(ProcessingContext context) {
    lastRecordWallMs = context.currentSystemTimeMs();
  }

  public boolean isIdle(ProcessingContext context) {
    return context.currentSystemTimeMs() - lastRecordWallMs >= idleAfterMs;
  }
}
