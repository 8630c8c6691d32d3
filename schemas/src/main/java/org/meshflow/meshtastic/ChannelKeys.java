package org.meshflow.meshtastic;

import java.util.Map;

/**
 * Channel keys the codec may decrypt with: the default key ({@code AQ==}) always, plus the keys a
 * user configured per channel name. A key is given as base64 PSK: 0 bytes or {@code AA==} = no
 * encryption, 1 byte = the default-key shorthand, 2-32 bytes = an AES-128/256 key (zero-padded).
 */
public final class ChannelKeys {
  private ChannelKeys() {}

  /** Only the default key. */
  public static ChannelKeys defaults() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The default key plus {@code channelName -> base64 PSK}; invalid entries are all reported in one exception. */
  public static ChannelKeys of(Map<String, String> base64ByChannel) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
