package org.meshflow.meshtastic;

import java.nio.charset.StandardCharsets;

/**
 * The 8-bit channel hash firmware puts in {@code MeshPacket.channel} of an encrypted packet: XOR of
 * the channel name's bytes with the XOR of the key's bytes. Only a hint: collisions are common.
 */
public final class ChannelHash {
  private ChannelHash() {}

  public static int of(String channelName, ChannelKey key) {
    int x = key == null ? 0 : key.xor();
    for (byte b : channelName.getBytes(StandardCharsets.UTF_8)) {
      x ^= b;
    }
    return x & 0xff;
  }
}
