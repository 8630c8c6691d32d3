package org.meshflow.bench;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.meshflow.launcher.simulate.EnvelopeFactory;
import org.meshflow.launcher.simulate.SyntheticMesh;
import org.meshflow.meshtastic.ChannelKeys;
import org.meshflow.meshtastic.DecodeOutcome;
import org.meshflow.meshtastic.MeshtasticCodec;
import org.meshflow.meshtastic.NodeId;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Reception;
import org.meshflow.serde.TrustedRecords;

/**
 * Benchmark input made by the simulator's mesh and envelope factory: the uplinks gateways send for
 * packets heard by every router in range (about 8 copies a packet), spaced evenly in broker time.
 */
public final class SyntheticUplinks {
  private SyntheticUplinks() {}

  /**
   * @param count uplinks to make (the last packet may be cut short)
   * @param firstAt broker receive time of the first uplink
   * @param spacingMs broker time between two uplinks
   */
  public static List<MqttUplink> uplinks(int routers, int nodes, int count, Instant firstAt, long spacingMs, long seed) {
    TrustedRecords.install();
    final var mesh = new SyntheticMesh(routers, nodes, seed);
    final var random = new Random(seed);
    final var factory = new EnvelopeFactory(random);
    final var uplinks = new ArrayList<MqttUplink>(count);
    while (uplinks.size() < count) {
      final int node = random.nextInt(nodes);
      final Instant at = firstAt.plusMillis(uplinks.size() * spacingMs);
      final var packet = factory.packet(mesh.nodes().get(node), random.nextInt() | 1, at.getEpochSecond());
      for (SyntheticMesh.Hearing hearing : mesh.hearers(node)) {
        if (uplinks.size() == count) {
          break;
        }
        final int gateway = mesh.routers().get(hearing.router()).nodeNum();
        uplinks.add(MqttUplink.newBuilder().setTopic(EnvelopeFactory.topic(gateway))
            .setPayload(ByteBuffer.wrap(factory.uplink(packet, gateway, hearing.hopsAway(), at.getEpochSecond())))
            .setQos(1).setRetain(false).setClientId(NodeId.of(gateway))
            .setReceivedAt(firstAt.plusMillis(uplinks.size() * spacingMs)).build());
      }
    }
    return uplinks;
  }

  /** What the decode job makes of the uplinks (all of them decode). */
  public static List<Reception> receptions(List<MqttUplink> uplinks) {
    final var codec = new MeshtasticCodec(ChannelKeys.defaults());
    final var receptions = new ArrayList<Reception>(uplinks.size());
    for (MqttUplink uplink : uplinks) {
      final byte[] payload = new byte[uplink.getPayload().remaining()];
      uplink.getPayload().duplicate().get(payload);
      if (codec.decode(uplink.getTopic(), payload, uplink.getReceivedAt()) instanceof DecodeOutcome.Decoded decoded) {
        receptions.add(decoded.reception());
      }
    }
    return receptions;
  }
}
