package org.meshflow.meshtastic;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import java.time.Instant;
import org.meshflow.meshtastic.DecodeOutcome.Decoded;
import org.meshflow.meshtastic.wire.Data;
import org.meshflow.meshtastic.wire.MeshPacket;
import org.meshflow.meshtastic.wire.ServiceEnvelope;
import org.meshflow.records.Reception;

/** Builds uplinks the way a gateway would, with the generated wire classes and our cipher. */
final class Uplinks {
  static final String GATEWAY = "!abcd1234";
  static final int FROM = 0x1977af7c;

  private Uplinks() {}

  static Data data(int portnum, MessageLite payload) {
    return data(portnum, payload.toByteString());
  }

  static Data data(int portnum, ByteString payload) {
    return Data.newBuilder().setPortnum(portnum).setPayload(payload).setBitfield(1).build();
  }

  static MeshPacket.Builder packet(int id) {
    return MeshPacket.newBuilder().setFrom(FROM).setTo(NodeId.BROADCAST).setId(id).setHopLimit(2).setHopStart(3)
        .setRxTime(1_780_000_000).setRxSnr(6.25f).setRxRssi(-92);
  }

  static MeshPacket encrypted(MeshPacket.Builder packet, Data data, String channel, ChannelKey key) {
    final MeshPacket base = packet.build();
    final byte[] ciphertext = PacketCipher.apply(key, base.getId(), base.getFrom(), data.toByteArray());
    return packet.setChannel(ChannelHash.of(channel, key)).setEncrypted(ByteString.copyFrom(ciphertext)).build();
  }

  static MeshPacket plain(MeshPacket.Builder packet, Data data) {
    return packet.setDecoded(data).build();
  }

  static byte[] envelope(MeshPacket packet, String channel) {
    return ServiceEnvelope.newBuilder().setPacket(packet).setChannelId(channel).setGatewayId(GATEWAY).build()
        .toByteArray();
  }

  static String topic(String channel) {
    return "msh/US/2/e/" + channel + "/" + GATEWAY;
  }

  static Decoded decode(MeshtasticCodec codec, String topic, byte[] payload) {
    final DecodeOutcome outcome = codec.decode(topic, payload, Instant.EPOCH);
    if (outcome instanceof Decoded decoded) {
      return decoded;
    }
    throw new AssertionError("expected a reception, got " + outcome);
  }

  static Reception decode(String channel, MeshPacket packet) {
    return decode(new MeshtasticCodec(ChannelKeys.defaults()), topic(channel), envelope(packet, channel)).reception();
  }
}
