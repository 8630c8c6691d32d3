package org.meshflow.launcher.simulate;

/** Told what the simulator sends and when the broker acknowledges it; the load benchmark listens. */
public interface PublishObserver {
  PublishObserver NONE = new PublishObserver() {};

  /** The first copy of a packet was written to its gateway's socket at {@code nanoTime} ({@link System#nanoTime()}). */
  default void firstCopySent(String packetKey, long nanoTime) {}

  /** The broker acknowledged a QoS 1 uplink {@code latencyNanos} after it was written. */
  default void acknowledged(long latencyNanos) {}
}
