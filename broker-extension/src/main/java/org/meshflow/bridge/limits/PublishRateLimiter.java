package org.meshflow.bridge.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.meshflow.bridge.configuration.Limits;

/** One token bucket per client; counts rejections in a row to tell a burst from sustained abuse. */
public final class PublishRateLimiter {
  /** What to do with one PUBLISH. */
  public enum Verdict { ALLOW, REJECT, DISCONNECT }

  private final Limits limits;
  private final LongSupplier nanoClock;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> rejectionsInARow = new ConcurrentHashMap<>();

  public PublishRateLimiter(Limits limits, LongSupplier nanoClock) {
    this.limits = limits;
    this.nanoClock = nanoClock;
  }

  public Verdict admit(String clientId) {
    final long now = nanoClock.getAsLong();
    final var bucket = buckets.computeIfAbsent(clientId, id -> new TokenBucket(limits.publishRate(), limits.publishBurst(), now));
    if (bucket.tryTake(now)) {
      final var streak = rejectionsInARow.get(clientId);
      if (streak != null) {
        streak.set(0);
      }
      return Verdict.ALLOW;
    }
    final int streak = rejectionsInARow.computeIfAbsent(clientId, id -> new AtomicInteger()).incrementAndGet();
    final int limit = limits.disconnectAfterRejections();
    return limit > 0 && streak >= limit ? Verdict.DISCONNECT : Verdict.REJECT;
  }

  /** Drops the state of a client that went away. */
  public void forget(String clientId) {
    buckets.remove(clientId);
    rejectionsInARow.remove(clientId);
  }
}
