package org.meshflow.meshtastic;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * AES-CTR over a packet's serialized {@code Data}, as firmware does it (MESHTASTIC.md section 4).
 * Encryption and decryption are the same operation.
 */
public final class PacketCipher {
  private static final ThreadLocal<Cipher> CTR = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/CTR/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no AES/CTR", e);
    }
  });

  private PacketCipher() {}

  public static byte[] apply(ChannelKey key, int packetId, int from, byte[] input) {
    try {
      final Cipher cipher = CTR.get();
      cipher.init(Cipher.ENCRYPT_MODE, key.spec(), new IvParameterSpec(nonce(packetId, from)));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR failed with a valid key", e);
    }
  }

  /** Packet id as 64-bit little-endian, then the sender as 32-bit little-endian, then a zero block counter. */
  static byte[] nonce(int packetId, int from) {
    final var nonce = new byte[16];
    for (int i = 0; i < 4; i++) {
      nonce[i] = (byte) (packetId >>> (8 * i));
      nonce[8 + i] = (byte) (from >>> (8 * i));
    }
    return nonce;
  }
}
