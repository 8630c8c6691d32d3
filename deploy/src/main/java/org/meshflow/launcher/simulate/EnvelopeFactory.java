package org.meshflow.launcher.simulate;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.meshflow.meshtastic.ChannelHash;
import org.meshflow.meshtastic.ChannelKey;
import org.meshflow.meshtastic.NodeId;
import org.meshflow.meshtastic.PacketCipher;
import org.meshflow.meshtastic.PortNum;
import org.meshflow.meshtastic.wire.Data;
import org.meshflow.meshtastic.wire.DeviceMetrics;
import org.meshflow.meshtastic.wire.MapReport;
import org.meshflow.meshtastic.wire.MeshPacket;
import org.meshflow.meshtastic.wire.Position;
import org.meshflow.meshtastic.wire.ServiceEnvelope;
import org.meshflow.meshtastic.wire.Telemetry;
import org.meshflow.meshtastic.wire.User;

/** Builds uplinks the way firmware does: Data encrypted with the default key on LongFast, one envelope per gateway. */
public final class EnvelopeFactory {
  static final String ROOT = "msh/US";
  static final String CHANNEL = "LongFast";
  private static final int HOP_START = 3;
  private static final int CHANNEL_HASH = ChannelHash.of(CHANNEL, ChannelKey.DEFAULT);

  /** One RF packet before any gateway heard it: who sent it and its encrypted body. */
  public record RfPacket(int from, int id, byte[] encrypted) {}

  private final Random random;

  public EnvelopeFactory(Random random) {
    this.random = random;
  }

  public RfPacket packet(SyntheticMesh.Place sender, int id, long nowSeconds) {
    final int roll = random.nextInt(100);
    final Data data;
    if (roll < 10) {
      data = data(PortNum.TEXT_MESSAGE_APP, ("hello from " + NodeId.of(sender.nodeNum())).getBytes(StandardCharsets.UTF_8));
    } else if (roll < 40) {
      data = data(PortNum.POSITION_APP, Position.newBuilder()
          .setLatitudeI((int) Math.round(sender.lat() * 1e7)).setLongitudeI((int) Math.round(sender.lon() * 1e7))
          .setAltitude(250 + random.nextInt(100)).setTime((int) nowSeconds).setPrecisionBits(32).build().toByteArray());
    } else if (roll < 80) {
      data = data(PortNum.TELEMETRY_APP, Telemetry.newBuilder().setTime((int) nowSeconds)
          .setDeviceMetrics(DeviceMetrics.newBuilder().setBatteryLevel(20 + random.nextInt(81))
              .setVoltage(3.3f + random.nextFloat()).setChannelUtilization(random.nextFloat() * 30)
              .setAirUtilTx(random.nextFloat() * 5).setUptimeSeconds(random.nextInt(1_000_000)))
          .build().toByteArray());
    } else {
      final String nodeId = NodeId.of(sender.nodeNum());
      data = data(PortNum.NODEINFO_APP, User.newBuilder().setId(nodeId).setLongName("Sim node " + nodeId.substring(5))
          .setShortName(nodeId.substring(5)).setHwModel(9).build().toByteArray());
    }
    return new RfPacket(sender.nodeNum(), id,
        PacketCipher.apply(ChannelKey.DEFAULT, id, sender.nodeNum(), data.toByteArray()));
  }

  /** The envelope one gateway uplinks for a packet it heard {@code hopsAway} hops from the sender. */
  public byte[] uplink(RfPacket packet, int gateway, int hopsAway, long nowSeconds) {
    final MeshPacket mesh = MeshPacket.newBuilder().setFrom(packet.from()).setTo(NodeId.BROADCAST)
        .setChannel(CHANNEL_HASH).setEncrypted(ByteString.copyFrom(packet.encrypted())).setId(packet.id())
        .setRxTime((int) nowSeconds).setRxSnr(-15 + random.nextInt(80) / 4f).setRxRssi(-130 + random.nextInt(90))
        .setHopLimit(HOP_START - hopsAway).setHopStart(HOP_START)
        .setRelayNode(hopsAway == 0 ? 0 : random.nextInt(256)).build();
    return envelope(mesh, gateway);
  }

  /** A map report: sent decoded, id 0, on the map topic, as firmware does. */
  public byte[] mapReport(SyntheticMesh.Place router, long nowSeconds) {
    final String id = NodeId.of(router.nodeNum());
    final var report = MapReport.newBuilder().setLongName("Sim router " + id.substring(5)).setShortName(id.substring(5))
        .setRole(2).setHwModel(43).setFirmwareVersion("2.7.15.sim").setRegion(1).setModemPreset(0)
        .setHasDefaultChannel(true).setLatitudeI((int) Math.round(router.lat() * 1e7))
        .setLongitudeI((int) Math.round(router.lon() * 1e7)).setAltitude(300).setPositionPrecision(14)
        .setNumOnlineLocalNodes(10).build();
    final MeshPacket mesh = MeshPacket.newBuilder().setFrom(router.nodeNum()).setTo(NodeId.BROADCAST)
        .setDecoded(data(PortNum.MAP_REPORT_APP, report.toByteArray())).setRxTime((int) nowSeconds).build();
    return envelope(mesh, router.nodeNum());
  }

  public static String topic(int gateway) {
    return ROOT + "/2/e/" + CHANNEL + "/" + NodeId.of(gateway);
  }

  static String mapTopic() {
    return ROOT + "/2/map/";
  }

  private static Data data(int portnum, byte[] payload) {
    return Data.newBuilder().setPortnum(portnum).setPayload(ByteString.copyFrom(payload)).setBitfield(1).build();
  }

  private static byte[] envelope(MeshPacket packet, int gateway) {
    return ServiceEnvelope.newBuilder().setPacket(packet).setChannelId(CHANNEL).setGatewayId(NodeId.of(gateway))
        .build().toByteArray();
  }
}
