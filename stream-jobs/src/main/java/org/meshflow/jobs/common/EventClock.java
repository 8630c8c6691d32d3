package org.meshflow.jobs.common;

import java.time.Duration;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * "Now" for decisions that need time to pass without events (closing a dedup window, a router
 * that stays offline or silent). While records flow, now is the task's stream time, so a job
 * catching up on a backlog decides exactly as it would have live; once no record has arrived for
 * {@code idleAfter} of wall-clock time the input is drained and the wall clock takes over.
 */
public final class EventClock {
  private final long idleAfterMs;
  private long lastRecordWallMs;

  public EventClock(Duration idleAfter, ProcessingContext context) {
    this.idleAfterMs = idleAfter.toMillis();
    this.lastRecordWallMs = context.currentSystemTimeMs();
  }

  /** Call for every input record. */
  public void recordSeen(ProcessingContext context) {
    lastRecordWallMs = context.currentSystemTimeMs();
  }

  public long now(ProcessingContext context) {
    final long stream = context.currentStreamTimeMs();
    final long wall = context.currentSystemTimeMs();
    return wall - lastRecordWallMs >= idleAfterMs ? Math.max(stream, wall) : stream;
  }
}
