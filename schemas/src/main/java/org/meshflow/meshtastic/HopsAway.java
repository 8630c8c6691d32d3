package org.meshflow.meshtastic;

/** How many hops a packet travelled before a gateway heard it. */
public final class HopsAway {
  private HopsAway() {}

  /** {@code hopStart - hopLimit}; null when unknown: hopStart 0 (pre-2.3 sender) or below hopLimit. */
  public static Integer of(int hopStart, int hopLimit) {
    if (hopStart == 0 || hopStart < hopLimit) {
      return null;
    }
    return hopStart - hopLimit;
  }
}
