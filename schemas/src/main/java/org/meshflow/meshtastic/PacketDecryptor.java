package org.meshflow.meshtastic;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Optional;
import org.meshflow.meshtastic.wire.Data;
import org.meshflow.meshtastic.wire.MeshPacket;

/**
 * Finds the key of an encrypted packet. The channel hash only narrows the candidates (collisions are
 * common), so a plaintext is accepted only if it parses as {@code Data} with a known, non-zero port.
 */
final class PacketDecryptor {
  /** Bound on the hash-matching fallback keys tried for one packet. */
  static final int MAX_FALLBACK_KEYS = 8;

  private final ChannelKeys keys;

  PacketDecryptor(ChannelKeys keys) {
    this.keys = keys;
  }

  Optional<Data> decrypt(MeshPacket packet, String channelId) {
    if (packet.getPkiEncrypted() || "PKI".equals(channelId)) {
      return Optional.empty(); // AES-CCM with a per-pair secret: not readable by a third party
    }
    final int hash = packet.getChannel();
    final byte[] ciphertext = packet.getEncrypted().toByteArray();
    final ChannelKey configured = keys.forChannel(channelId).orElse(null);
    if (configured != null && ChannelHash.of(channelId, configured) == hash) {
      final Optional<Data> data = attempt(configured, packet, ciphertext);
      if (data.isPresent()) {
        return data;
      }
    }
    if (!ChannelKey.DEFAULT.equals(configured) && ChannelHash.of(channelId, ChannelKey.DEFAULT) == hash) {
      final Optional<Data> data = attempt(ChannelKey.DEFAULT, packet, ciphertext);
      if (data.isPresent()) {
        return data;
      }
    }
    int tried = 0;
    for (ChannelKeys.NamedKey other : keys.withHash(hash)) {
      if (other.channel().equals(channelId)) {
        continue;
      }
      if (tried++ == MAX_FALLBACK_KEYS) {
        break;
      }
      final Optional<Data> data = attempt(other.key(), packet, ciphertext);
      if (data.isPresent()) {
        return data;
      }
    }
    return Optional.empty();
  }

  private static Optional<Data> attempt(ChannelKey key, MeshPacket packet, byte[] ciphertext) {
    final byte[] plain = PacketCipher.apply(key, packet.getId(), packet.getFrom(), ciphertext);
    try {
      final Data data = Data.parseFrom(plain);
      final int portnum = data.getPortnum();
      return portnum != PortNum.UNKNOWN_APP && PortNum.isKnown(portnum) ? Optional.of(data) : Optional.empty();
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }
}
