package org.meshflow.meshtastic;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;

/**
 * An AES key of a Meshtastic channel, expanded from its PSK the way firmware does (MESHTASTIC.md
 * section 4): 1 byte is an index into variants of the default key, 2-15 bytes are zero-padded to
 * AES-128, 17-31 bytes to AES-256.
 */
public final class ChannelKey {
  private static final byte[] DEFAULT_BYTES = HexFormat.of().parseHex("d4f1bb3a20290759f0bcffabcf4e6901");

  /** The default key, PSK {@code AQ==} ({@code 1PG7OiApB1nwvP+rz05pAQ==}). */
  public static final ChannelKey DEFAULT = new ChannelKey(DEFAULT_BYTES);

  private final byte[] bytes;
  private final SecretKeySpec spec;
  private final int xor;

  private ChannelKey(byte[] bytes) {
    this.bytes = bytes;
    this.spec = new SecretKeySpec(bytes, "AES");
    int x = 0;
    for (byte b : bytes) {
      x ^= b;
    }
    this.xor = x & 0xff;
  }

  /**
   * Expands a PSK. Empty means the channel is not encrypted (0 bytes or the single byte 0).
   *
   * @throws IllegalArgumentException when the PSK is longer than 32 bytes
   */
  public static Optional<ChannelKey> fromPsk(byte[] psk) {
    if (psk.length == 0 || (psk.length == 1 && psk[0] == 0)) {
      return Optional.empty();
    }
    if (psk.length == 1) {
      final byte[] key = DEFAULT_BYTES.clone();
      key[key.length - 1] = (byte) (key[key.length - 1] + (psk[0] & 0xff) - 1);
      return Optional.of(new ChannelKey(key));
    }
    if (psk.length > 32) {
      throw new IllegalArgumentException("key is " + psk.length + " bytes; at most 32 (AES-256) are possible");
    }
    return Optional.of(new ChannelKey(Arrays.copyOf(psk, psk.length <= 16 ? 16 : 32)));
  }

  /** {@link #fromPsk} of a base64 PSK. */
  public static Optional<ChannelKey> fromBase64(String base64) {
    final byte[] psk;
    try {
      psk = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + base64 + "' is not base64");
    }
    return fromPsk(psk);
  }

  /** A raw AES key of exactly 16 or 32 bytes. */
  public static ChannelKey ofAesKey(byte[] key) {
    if (key.length != 16 && key.length != 32) {
      throw new IllegalArgumentException("an AES key has 16 or 32 bytes, not " + key.length);
    }
    return new ChannelKey(key.clone());
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** 16 (AES-128) or 32 (AES-256). */
  public int length() {
    return bytes.length;
  }

  SecretKeySpec spec() {
    return spec;
  }

  /** XOR of all key bytes: the key's share of the channel hash. */
  int xor() {
    return xor;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelKey other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "ChannelKey[AES-" + bytes.length * 8 + "]";
  }
}
