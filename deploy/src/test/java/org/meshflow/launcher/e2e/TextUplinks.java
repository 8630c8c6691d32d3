package org.meshflow.launcher.e2e;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.meshflow.meshtastic.ChannelHash;
import org.meshflow.meshtastic.ChannelKey;
import org.meshflow.meshtastic.NodeId;
import org.meshflow.meshtastic.PacketCipher;
import org.meshflow.meshtastic.PortNum;
import org.meshflow.meshtastic.wire.Data;
import org.meshflow.meshtastic.wire.MeshPacket;
import org.meshflow.meshtastic.wire.ServiceEnvelope;

/** Uplinks as firmware sends them: a text message on LongFast, encrypted with the default key. */
final class TextUplinks {
  private TextUplinks() {}

  static String topic(String gateway) {
    return "msh/US/2/e/LongFast/" + gateway;
  }

  /** The envelope {@code gateway} uplinks for packet {@code id} of node {@code from}. */
  static byte[] envelope(int from, int id, String gateway) {
    final byte[] text = Data.newBuilder().setPortnum(PortNum.TEXT_MESSAGE_APP)
        .setPayload(ByteString.copyFrom("packet " + id, StandardCharsets.UTF_8)).build().toByteArray();
    final MeshPacket packet = MeshPacket.newBuilder().setFrom(from).setTo(NodeId.BROADCAST).setId(id)
        .setChannel(ChannelHash.of("LongFast", ChannelKey.DEFAULT)).setHopLimit(3).setHopStart(3)
        .setEncrypted(ByteString.copyFrom(PacketCipher.apply(ChannelKey.DEFAULT, id, from, text))).build();
    return ServiceEnvelope.newBuilder().setPacket(packet).setChannelId("LongFast").setGatewayId(gateway).build()
        .toByteArray();
  }
}
