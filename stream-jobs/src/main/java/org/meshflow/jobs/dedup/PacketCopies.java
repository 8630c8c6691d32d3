package org.meshflow.jobs.dedup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.meshflow.records.HeardBy;
import org.meshflow.records.MeshPacket;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;

/** The copies of one packet collected so far, kept as the {@link PacketHeardBy} written when its window closes. */
final class PacketCopies {
  private PacketCopies() {}

  static PacketHeardBy first(Reception copy, long receivedAt) {
    final Instant at = Instant.ofEpochMilli(receivedAt);
    return PacketHeardBy.newBuilder().setPacketKey(copy.getPacketKey()).setFrom(copy.getFrom())
        .setPacketId(copy.getPacketId()).setPortnum(copy.getPortnum()).setFirstHeardAt(at).setLastHeardAt(at)
        .setCopies(1).setHeardBy(new ArrayList<>(List.of(heardBy(copy, receivedAt)))).build();
  }

  /** The entry with one more copy: a new gateway is appended, a repeat of a known one is counted on it. */
  static PacketHeardBy add(PacketHeardBy entry, Reception copy, long receivedAt) {
    final var heardBy = new ArrayList<>(entry.getHeardBy());
    boolean known = false;
    for (int i = 0; i < heardBy.size(); i++) {
      final HeardBy gateway = heardBy.get(i);
      if (gateway.getGatewayId().equals(copy.getGatewayId())) {
        heardBy.set(i, HeardBy.newBuilder(gateway).setCopies(gateway.getCopies() + 1).build());
        known = true;
        break;
      }
    }
    if (!known) {
      heardBy.add(heardBy(copy, receivedAt));
    }
    final Instant at = Instant.ofEpochMilli(receivedAt);
    return PacketHeardBy.newBuilder(entry).setCopies(entry.getCopies() + 1).setHeardBy(heardBy)
        .setFirstHeardAt(at.isBefore(entry.getFirstHeardAt()) ? at : entry.getFirstHeardAt())
        .setLastHeardAt(at.isAfter(entry.getLastHeardAt()) ? at : entry.getLastHeardAt())
        .setPortnum(entry.getPortnum() != null ? entry.getPortnum() : copy.getPortnum()).build();
  }

  static MeshPacket packet(Reception copy, long receivedAt) {
    return MeshPacket.newBuilder().setPacketKey(copy.getPacketKey()).setFrom(copy.getFrom()).setTo(copy.getTo())
        .setPacketId(copy.getPacketId()).setChannelId(copy.getChannelId()).setChannelHash(copy.getChannelHash())
        .setHopStart(copy.getHopStart()).setViaMqtt(copy.getViaMqtt()).setEncrypted(copy.getEncrypted())
        .setDecrypted(copy.getDecrypted()).setPortnum(copy.getPortnum()).setPayload(copy.getPayload())
        .setFirstHeardAt(Instant.ofEpochMilli(receivedAt))
        .setHeardBy(new ArrayList<>(List.of(heardBy(copy, receivedAt)))).build();
  }

  static HeardBy heardBy(Reception copy, long receivedAt) {
    return HeardBy.newBuilder().setGatewayId(copy.getGatewayId()).setRxRssi(copy.getRxRssi())
        .setRxSnr(copy.getRxSnr()).setHopLimit(copy.getHopLimit()).setHopsAway(copy.getHopsAway())
        .setRelayNode(copy.getRelayNode()).setRxTime(copy.getRxTime())
        .setReceivedAt(Instant.ofEpochMilli(receivedAt)).setCopies(1).build();
  }
}
