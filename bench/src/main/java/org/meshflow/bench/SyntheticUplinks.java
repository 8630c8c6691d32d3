package org.meshflow.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
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
 * packets heard by every router in range (about 8 copies a packet), spaced evenly in broker time. One
 * instance is an endless stream, taken in batches ({@link #next}), so an hour of traffic need not fit in memory.
 */
public final class SyntheticUplinks {
  private final SyntheticMesh mesh;
  private final Random random;
  private final EnvelopeFactory factory;
  private final Instant firstAt;
  private final long spacingNanos;
  private final ArrayDeque<Copy> pending = new ArrayDeque<>();
  private long made;

  private record Copy(EnvelopeFactory.RfPacket packet, SyntheticMesh.Hearing hearing, Instant sentAt) {}

  /**
   * @param firstAt broker receive time of the first uplink
   * @param spacing broker time between two uplinks
   */
  public SyntheticUplinks(SyntheticMesh mesh, Instant firstAt, Duration spacing, long seed) {
    TrustedRecords.install();
    this.mesh = mesh;
    this.random = new Random(seed);
    this.factory = new EnvelopeFactory(random);
    this.firstAt = firstAt;
    this.spacingNanos = spacing.toNanos();
  }

  /** {@code count} uplinks of a city mesh (the last packet may be cut short). */
  public static List<MqttUplink> uplinks(int routers, int nodes, int count, Instant firstAt, long spacingMs, long seed) {
    return new SyntheticUplinks(new SyntheticMesh(routers, nodes, seed), firstAt, Duration.ofMillis(spacingMs), seed)
        .next(count);
  }

  /** The next {@code count} uplinks; a packet's copies may continue in the next batch. */
  public List<MqttUplink> next(int count) {
    final var uplinks = new ArrayList<MqttUplink>(count);
    while (uplinks.size() < count) {
      if (pending.isEmpty()) {
        final int node = random.nextInt(mesh.nodes().size());
        final Instant at = receivedAt(made);
        final var packet = factory.packet(mesh.nodes().get(node), random.nextInt() | 1, at.getEpochSecond());
        mesh.hearers(node).forEach(hearing -> pending.add(new Copy(packet, hearing, at)));
      }
      final Copy copy = pending.poll();
      final int gateway = mesh.routers().get(copy.hearing().router()).nodeNum();
      final long sentSeconds = copy.sentAt().getEpochSecond();
      uplinks.add(MqttUplink.newBuilder().setTopic(EnvelopeFactory.topic(gateway))
          .setPayload(ByteBuffer.wrap(factory.uplink(copy.packet(), gateway, copy.hearing().hopsAway(), sentSeconds)))
          .setQos(1).setRetain(false).setClientId(NodeId.of(gateway)).setReceivedAt(receivedAt(made)).build());
      made++;
    }
    return uplinks;
  }

  /** Broker receive time of the next uplink {@link #next} makes. */
  public Instant nextAt() {
    return receivedAt(made);
  }

  private Instant receivedAt(long index) {
    return firstAt.plusNanos(index * spacingNanos);
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
