package org.meshflow.bridge.limits;

/** Classic token bucket: {@code rate} tokens per second, holding at most {@code burst}. */
final class TokenBucket {
  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long last;

  TokenBucket(double ratePerSecond, int burst, long now) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = now;
  }

  synchronized boolean tryTake(long now) {
    tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
