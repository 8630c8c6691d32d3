package org.meshflow.meshtastic;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.meshflow.meshtastic.DecodeOutcome.Decoded;
import org.meshflow.meshtastic.DecodeOutcome.RejectKind;
import org.meshflow.meshtastic.DecodeOutcome.Rejected;
import org.meshflow.meshtastic.wire.Data;
import org.meshflow.meshtastic.wire.MeshPacket;
import org.meshflow.meshtastic.wire.ServiceEnvelope;
import org.meshflow.records.Reception;

/** A binary {@code ServiceEnvelope} (topics {@code /2/e/}, {@code /2/c/}, {@code /2/map/}) to a {@link Reception}. */
final class EnvelopeDecoder {
  /** Hop counts travel in 3 bits of the LoRa header. */
  private static final int HOP_MAX = 7;

  private final PacketDecryptor decryptor;

  EnvelopeDecoder(PacketDecryptor decryptor) {
    this.decryptor = decryptor;
  }

  /** @param meshTopic the parsed topic, null when the envelope came without one */
  DecodeOutcome decode(String topic, MeshTopic meshTopic, byte[] payload, Instant receivedAt) {
    if (payload.length == 0) {
      return malformed("empty payload");
    }
    final ServiceEnvelope envelope;
    try {
      envelope = ServiceEnvelope.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      return malformed(payload[0] == '{'
          ? notAnEnvelope(payload)
          : notAnEnvelope(payload) + " (" + firstSentence(e.getMessage()) + ")");
    }
    if (!envelope.hasPacket()) {
      return new Rejected(RejectKind.MISSING_PACKET,
          payload[0] == '{' ? notAnEnvelope(payload) : "the envelope carries no mesh packet");
    }
    final String gatewayId = envelope.getGatewayId();
    if (gatewayId.isEmpty()) {
      return malformed("the envelope has no gateway id");
    }
    if (!NodeId.isValid(gatewayId)) {
      return malformed("gateway id '" + printable(gatewayId) + "' is not a node id like !abcd1234");
    }
    if (meshTopic != null && meshTopic.gateway() != null && !meshTopic.gateway().equals(gatewayId)) {
      return new Rejected(RejectKind.GATEWAY_MISMATCH, "the topic names gateway " + printable(meshTopic.gateway())
          + " but the envelope was uplinked by " + gatewayId);
    }
    final MeshPacket packet = envelope.getPacket();
    final String insane = insanity(packet);
    if (insane != null) {
      return malformed(insane);
    }
    return reception(topic, meshTopic, envelope, receivedAt);
  }

  private DecodeOutcome reception(String topic, MeshTopic meshTopic, ServiceEnvelope envelope, Instant receivedAt) {
    final MeshPacket packet = envelope.getPacket();
    final var r = new Reception();
    r.setTopic(topic == null ? "" : topic);
    r.setRoot(meshTopic == null ? null : meshTopic.root());
    r.setGatewayId(envelope.getGatewayId());
    r.setChannelId(envelope.getChannelId());
    r.setFrom(NodeId.of(packet.getFrom()));
    r.setTo(NodeId.of(packet.getTo()));
    r.setPacketId(Integer.toUnsignedLong(packet.getId()));
    r.setHopLimit(packet.getHopLimit());
    r.setHopStart(packet.getHopStart());
    r.setHopsAway(HopsAway.of(packet.getHopStart(), packet.getHopLimit()));
    r.setRxTime(packet.hasRxTime() && packet.getRxTime() != 0 ? Integer.toUnsignedLong(packet.getRxTime()) : null);
    r.setRxSnr(packet.getRxSnr());
    r.setRxRssi(packet.getRxRssi());
    r.setViaMqtt(packet.getViaMqtt());
    r.setWantAck(packet.getWantAck());
    r.setPriority(packet.getPriority());
    r.setRelayNode(packet.getRelayNode());
    r.setNextHop(packet.getNextHop());
    r.setReceivedAt(receivedAt);
    r.setEncrypted(packet.hasEncrypted());
    final Data data;
    if (packet.hasEncrypted()) {
      r.setChannelHash(packet.getChannel());
      final Optional<Data> decrypted = decryptor.decrypt(packet, envelope.getChannelId());
      r.setDecrypted(decrypted.isPresent());
      data = decrypted.orElse(null);
    } else {
      data = packet.getDecoded();
    }
    String payloadProblem = null;
    if (data != null) {
      r.setPortnum(PortNum.name(data.getPortnum()));
      r.setPayloadBytes(ByteBuffer.wrap(data.getPayload().toByteArray()));
      r.setRequestId(Integer.toUnsignedLong(data.getRequestId()));
      r.setOkToMqtt(data.hasBitfield() ? (data.getBitfield() & 1) != 0 : null);
      payloadProblem = decodePayload(r, data.getPortnum(), data.getPayload());
    }
    final boolean mapReport = (data != null && data.getPortnum() == PortNum.MAP_REPORT_APP)
        || (packet.getId() == 0 && meshTopic != null && meshTopic.kind() == MeshTopic.Kind.MAP);
    r.setPacketKey(mapReport ? PacketKey.mapReport(packet.getFrom()) : PacketKey.of(packet.getFrom(), packet.getId()));
    return new Decoded(r, payloadProblem);
  }

  /** Sets the payload record; returns why it could not, or null. */
  private static String decodePayload(Reception r, int portnum, ByteString payload) {
    try {
      r.setPayload(PayloadDecoder.decode(portnum, payload));
      return null;
    } catch (InvalidProtocolBufferException e) {
      return PortNum.name(portnum) + " payload does not parse (" + firstSentence(e.getMessage()) + ")";
    }
  }

  /** What makes a parsed packet impossible for firmware to have sent, or null. */
  private static String insanity(MeshPacket packet) {
    if (packet.getPayloadVariantCase() == MeshPacket.PayloadVariantCase.PAYLOADVARIANT_NOT_SET) {
      return "the mesh packet has neither a decoded nor an encrypted payload";
    }
    if (packet.getHopLimit() > HOP_MAX || packet.getHopStart() > HOP_MAX) {
      return "hop limit " + Integer.toUnsignedString(packet.getHopLimit()) + " / hop start "
          + Integer.toUnsignedString(packet.getHopStart()) + " out of range 0-" + HOP_MAX;
    }
    if (packet.hasEncrypted() && Integer.compareUnsigned(packet.getChannel(), 0xff) > 0) {
      return "channel hash " + Integer.toUnsignedString(packet.getChannel()) + " of an encrypted packet is not 8-bit";
    }
    return null;
  }

  private static String notAnEnvelope(byte[] payload) {
    return payload[0] == '{'
        ? "payload looks like JSON, but protobuf topics (/2/e/, /2/map/) carry a binary ServiceEnvelope"
        : "payload is not a Meshtastic ServiceEnvelope";
  }

  private static String firstSentence(String message) {
    if (message == null) {
      return "protobuf error";
    }
    final int end = message.indexOf(". ");
    return end < 0 ? message : message.substring(0, end);
  }

  private static Rejected malformed(String reason) {
    return new Rejected(RejectKind.MALFORMED_ENVELOPE, reason);
  }

  /** At most 40 characters with control characters escaped, so a hostile id cannot flood a log line. */
  static String printable(String text) {
    final var out = new StringBuilder();
    for (int i = 0; i < text.length() && i < 40; i++) {
      final char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return text.length() > 40 ? out.append("...").toString() : out.toString();
  }
}
