package org.meshflow.launcher.cluster;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.meshflow.meshtastic.ChannelHash;
import org.meshflow.meshtastic.ChannelKey;
import org.meshflow.meshtastic.NodeId;
import org.meshflow.meshtastic.PacketCipher;
import org.meshflow.meshtastic.PacketKey;
import org.meshflow.meshtastic.PortNum;
import org.meshflow.meshtastic.wire.Data;
import org.meshflow.meshtastic.wire.MeshPacket;
import org.meshflow.meshtastic.wire.ServiceEnvelope;
import org.meshflow.records.ClientSession;
import org.meshflow.records.DisconnectReason;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.SessionEvent;

/**
 * What the broker bridge writes to Kafka for a small mesh, in time order: three gateways that stay
 * connected and hear every packet (real encrypted envelopes on LongFast), and routers that each lose
 * their link once for four minutes (an alerted outage) and once for 30 seconds (a blip without alert),
 * uploading their own packets while connected. A {@link #tail} of later packets, heard by the three
 * gateways, moves stream time past the last dedup window: they come out as packets, but their windows
 * stay open, so no heard-by list yet. The {@link #closingTail}, as much later again, closes the tail's
 * windows in turn. Send each tail once what came before is through, as time would pass live: sent with a
 * backlog, it may reach dedup before copies whose decode partition runs behind, and close their windows early.
 */
final class MeshTraffic {
  static final int GATEWAYS = 3;
  private static final int CHANNEL_HASH = ChannelHash.of("LongFast", ChannelKey.DEFAULT);

  record Input(String topic, String key, SpecificRecord value, Instant at) {}

  /** One gateway's upload of a packet sent by {@code node}. */
  record Copy(String gateway, String node, Instant at) {}

  final List<Input> inputs = new ArrayList<>();
  final List<Input> tail = new ArrayList<>();
  final List<Input> closingTail = new ArrayList<>();
  /** Every upload, tails included: what the node state job counts. */
  final List<Copy> copies = new ArrayList<>();
  /** Every packet: what mesh.packets.v1 holds once each. */
  final Set<String> expectedPackets = new LinkedHashSet<>();
  /** The packets whose dedup window closes with the tail: what mesh.heard-by.v1 holds once each. */
  final Set<String> closedPackets = new LinkedHashSet<>();
  /** The tail's packets, whose dedup windows the closing tail closes. */
  final Set<String> tailPackets = new LinkedHashSet<>();
  final Set<String> threeCopyPackets = new LinkedHashSet<>();
  final int routers;

  /** @param closeAfter how long after the last packet the tail comes: longer than the dedup window */
  MeshTraffic(Instant base, int packets, int routers, Duration closeAfter) {
    this.routers = routers;
    for (int g = 0; g < GATEWAYS; g++) {
      session(connected(gateway(g), "g", base.minusSeconds(1)));
    }
    for (int i = 0; i < packets; i++) {
      final Instant at = base.plusMillis(480L * i);
      final int from = 0xa0000000 + i % 50;
      for (int g = 0; g < GATEWAYS; g++) {
        uplink(gateway(g), from, 1000 + i, at.plusMillis(40L * g));
      }
      expectedPackets.add(PacketKey.of(from, 1000 + i));
      threeCopyPackets.add(PacketKey.of(from, 1000 + i));
    }
    for (int r = 0; r < routers; r++) {
      final int node = 0x10000000 + r;
      final String router = NodeId.of(node);
      final Instant t = base.plusSeconds(r);
      session(connected(router, "c0", t));
      session(disconnected(router, "c0", DisconnectReason.CONNECTION_LOST, t.plusSeconds(60)));
      session(connected(router, "c1", t.plusSeconds(300)));
      session(disconnected(router, "c1", DisconnectReason.KEEPALIVE_TIMEOUT, t.plusSeconds(400)));
      session(connected(router, "c2", t.plusSeconds(430)));
      for (int s = 5; s < 440; s += 30) {
        if (s < 60 || (s > 300 && s < 400) || s > 430) {
          uplink(router, node, 500_000 + s, t.plusSeconds(s));
          expectedPackets.add(PacketKey.of(node, 500_000 + s));
        }
      }
    }
    closedPackets.addAll(expectedPackets);
    inputs.sort(Comparator.comparing(Input::at));
    final Instant later = base.plus(Duration.ofMillis(Math.max(480L * packets, 450_000L))).plus(closeAfter);
    tail.addAll(heardByAll(later, 40, 900_000));
    tailPackets.addAll(expectedPackets);
    tailPackets.removeAll(closedPackets);
    closingTail.addAll(heardByAll(later.plus(closeAfter), 40, 950_000));
  }

  /** {@code count} packets that all three gateways upload from {@code at} on, moved out of {@link #inputs}. */
  private List<Input> heardByAll(Instant at, int count, int firstId) {
    final int body = inputs.size();
    for (int i = 0; i < count; i++) {
      for (int g = 0; g < GATEWAYS; g++) {
        uplink(gateway(g), 0xa0000000 + i, firstId + i, at.plusMillis(10L * i + 2L * g));
      }
      expectedPackets.add(PacketKey.of(0xa0000000 + i, firstId + i));
    }
    final var moved = new ArrayList<>(inputs.subList(body, inputs.size()));
    inputs.subList(body, inputs.size()).clear();
    return moved;
  }

  static String gateway(int g) {
    return NodeId.of(0xc0000000 + g);
  }

  private void uplink(String gateway, int from, int id, Instant at) {
    final var uplink = MqttUplink.newBuilder().setTopic(topic(gateway))
        .setPayload(ByteBuffer.wrap(envelope(gateway, from, id, at))).setQos(0).setRetain(false).setClientId(gateway)
        .setUserProperties(List.of()).setReceivedAt(at).build();
    inputs.add(new Input("mesh.uplink.v1", gateway, uplink, at));
    copies.add(new Copy(gateway, NodeId.of(from), at));
  }

  static String topic(String gateway) {
    return "msh/US/2/e/LongFast/" + gateway;
  }

  /** A text packet as {@code gateway} uplinks it: encrypted with the default key on LongFast. */
  static byte[] envelope(String gateway, int from, int id, Instant at) {
    final Data data = Data.newBuilder().setPortnum(PortNum.TEXT_MESSAGE_APP)
        .setPayload(ByteString.copyFrom(("packet " + id).getBytes(StandardCharsets.UTF_8))).build();
    final MeshPacket packet = MeshPacket.newBuilder().setFrom(from).setTo(NodeId.BROADCAST).setChannel(CHANNEL_HASH)
        .setId(id).setEncrypted(ByteString.copyFrom(PacketCipher.apply(ChannelKey.DEFAULT, id, from, data.toByteArray())))
        .setRxTime((int) at.getEpochSecond()).setHopLimit(3).setHopStart(3).build();
    return ServiceEnvelope.newBuilder().setPacket(packet).setChannelId("LongFast").setGatewayId(gateway).build()
        .toByteArray();
  }

  private void session(ClientSession event) {
    inputs.add(new Input("mesh.sessions.v1", event.getClientId(), event, event.getAt()));
  }

  private static ClientSession connected(String client, String connection, Instant at) {
    return ClientSession.newBuilder().setClientId(client).setEvent(SessionEvent.CONNECTED).setAt(at)
        .setConnectionId(connection).setKeepAliveSeconds(60).setProtocolVersion("3.1.1").build();
  }

  private static ClientSession disconnected(String client, String connection, DisconnectReason reason, Instant at) {
    return ClientSession.newBuilder().setClientId(client).setEvent(SessionEvent.DISCONNECTED).setAt(at)
        .setConnectionId(connection).setReason(reason).build();
  }
}
