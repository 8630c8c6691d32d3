package org.meshflow.meshtastic;

/**
 * The deduplication key of a mesh packet: {@code !from/id}. Map reports carry id 0, so they are keyed
 * {@code !from/map} instead (MESHTASTIC.md section 5).
 */
public final class PacketKey {
  private PacketKey() {}

  public static String of(int from, int packetId) {
    return NodeId.of(from) + "/" + Integer.toUnsignedString(packetId);
  }

  public static String mapReport(int from) {
    return NodeId.of(from) + "/map";
  }
}
