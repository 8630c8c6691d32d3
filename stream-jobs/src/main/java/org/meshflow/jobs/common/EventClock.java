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
  private final IdleInput idle;

  public EventClock(Duration idleAfter, ProcessingContext context) {
    this.idle = new IdleInput(idleAfter, context);
  }

  /** Call for every input record. */
  public void recordSeen(ProcessingContext context) {
    idle.recordSeen(context);
  }

  public long now(ProcessingContext context) {
    final long stream = context.currentStreamTimeMs();
    return idle.isIdle(context) ? Math.max(stream, context.currentSystemTimeMs()) : stream;
  }
}
