package org.meshflow.jobs.nodes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.meshflow.records.DirectHearing;
import org.meshflow.records.MapReport;
import org.meshflow.records.NodePosition;
import org.meshflow.records.NodeState;
import org.meshflow.records.Position;
import org.meshflow.records.Reception;
import org.meshflow.records.Telemetry;
import org.meshflow.records.UserInfo;

/**
 * Folds one reception into what is known about its sender. Content is taken only from receptions
 * at least as new as what it replaces, so out-of-order copies never roll a node back.
 */
final class NodeKnowledge {
  private final NodesConfig config;

  NodeKnowledge(NodesConfig config) {
    this.config = config;
  }

  /** The outcome: the new state, and whether anything but counters and times changed. */
  record Update(NodeState state, boolean news) {}

  Update apply(NodeState known, Reception copy, long at) {
    final Instant time = Instant.ofEpochMilli(at);
    final NodeState.Builder next = known == null
        ? NodeState.newBuilder().setNodeId(copy.getFrom()).setFirstHeardAt(time).setLastHeardAt(time)
            .setHeardDirectlyBy(new ArrayList<>())
        : NodeState.newBuilder(known);
    final boolean newest = known == null || !time.isBefore(known.getLastHeardAt());
    next.setPackets(next.getPackets() + 1);
    if (time.isBefore(next.getFirstHeardAt())) {
      next.setFirstHeardAt(time);
    }
    if (newest) {
      next.setLastHeardAt(time);
    }
    boolean news = known == null;
    final Object payload = copy.getPayload();
    if (payload instanceof UserInfo user && newest && !user.equals(next.getUser())) {
      next.setUser(user);
      news = true;
    } else if (payload instanceof Position position && newerThan(next.getPosition(), time)) {
      next.setPosition(NodePosition.newBuilder().setLatitude(position.getLatitude()).setLongitude(position.getLongitude())
          .setAltitude(position.getAltitude()).setTime(position.getTime()).setReportedAt(time).build());
      news = true;
    } else if (payload instanceof Telemetry telemetry) {
      if (telemetry.getDeviceMetrics() != null
          && (next.getDeviceMetricsAt() == null || !time.isBefore(next.getDeviceMetricsAt()))) {
        news |= !telemetry.getDeviceMetrics().equals(next.getDeviceMetrics()) || !time.equals(next.getDeviceMetricsAt());
        next.setDeviceMetrics(telemetry.getDeviceMetrics()).setDeviceMetricsAt(time);
      }
      if (telemetry.getEnvironmentMetrics() != null && newest) {
        news |= !telemetry.getEnvironmentMetrics().equals(next.getEnvironmentMetrics());
        next.setEnvironmentMetrics(telemetry.getEnvironmentMetrics());
      }
    } else if (payload instanceof MapReport report && newest && !report.equals(next.getMapReport())) {
      next.setMapReport(report);
      news = true;
    }
    if (copy.getHopsAway() != null && copy.getHopsAway() == 0) {
      news |= heardDirectly(next, copy, time);
    }
    return new Update(next.build(), news);
  }

  private static boolean newerThan(NodePosition position, Instant time) {
    return position == null || time.isAfter(position.getReportedAt());
  }

  private boolean heardDirectly(NodeState.Builder node, Reception copy, Instant time) {
    final var gateways = new ArrayList<DirectHearing>();
    boolean known = false;
    for (DirectHearing gateway : node.getHeardDirectlyBy()) {
      if (gateway.getGatewayId().equals(copy.getGatewayId())) {
        known = true;
        if (time.isBefore(gateway.getLastHeardAt())) {
          return false;
        }
        continue;
      }
      gateways.add(gateway);
    }
    gateways.add(DirectHearing.newBuilder().setGatewayId(copy.getGatewayId()).setRxRssi(copy.getRxRssi())
        .setRxSnr(copy.getRxSnr()).setLastHeardAt(time).build());
    final Instant oldest = time.minus(config.directHearingMaxAge());
    final List<DirectHearing> kept = gateways.stream().filter(g -> g.getLastHeardAt().isAfter(oldest))
        .sorted(Comparator.comparing(DirectHearing::getLastHeardAt).reversed())
        .limit(config.maxDirectGateways()).toList();
    node.setHeardDirectlyBy(new ArrayList<>(kept));
    return !known;
  }
}
