package org.meshflow.jobs.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshflow.jobs.testing.JobHarness.T0;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.jobs.testing.JobHarness;
import org.meshflow.jobs.testing.Receptions;
import org.meshflow.records.DeviceMetrics;
import org.meshflow.records.DirectHearing;
import org.meshflow.records.EnvironmentMetrics;
import org.meshflow.records.MapReport;
import org.meshflow.records.NodeState;
import org.meshflow.records.Position;
import org.meshflow.records.Reception;
import org.meshflow.records.Rejected;
import org.meshflow.records.Telemetry;
import org.meshflow.records.UserInfo;

class NodesTopologyTest {
  private static final String NODE = "!a1b2c3d4";
  private JobHarness job;
  private TestInputTopic<String, Reception> receptions;
  private TestOutputTopic<String, NodeState> nodes;
  private TestOutputTopic<String, Rejected> dlq;
  private long nextId = 1;

  private void start(Path dir, NodesConfig config) {
    job = new JobHarness(dir, registry -> NodesTopology.build(config, registry));
    receptions = job.input("mesh.receptions.v1", Reception.class);
    nodes = job.output("mesh.nodes.v1", NodeState.class);
    dlq = job.output("mesh.dlq.v1", Rejected.class);
  }

  @AfterEach
  void stop() {
    job.close();
  }

  private void send(Reception copy) {
    receptions.pipeInput(copy.getPacketKey(), copy, copy.getReceivedAt());
  }

  private Reception heard(String gateway, Instant at, Integer hopsAway, int rssi, Object payload, String portnum) {
    return Receptions.base(NODE, nextId++, gateway, at).setHopsAway(hopsAway).setRxRssi(rssi).setPayload(payload)
        .setPortnum(portnum).build();
  }

  /** The last state published once held-back changes are out. */
  private NodeState latest() {
    job.advance(Duration.ofMinutes(1));
    final var all = nodes.readValuesToList();
    assertThat(all).isNotEmpty();
    return all.get(all.size() - 1);
  }

  @Test
  void userPositionAndMetricsAccumulateIntoOneNodeState(@TempDir Path dir) {
    start(dir, NodesConfig.defaults());
    final var user = UserInfo.newBuilder().setId(NODE).setLongName("Hilltop Router").setShortName("HILL")
        .setHwModel(9).setRole("ROUTER").build();
    send(heard("!00000001", T0, 1, -90, user, "NODEINFO_APP"));
    send(heard("!00000001", T0.plusSeconds(10), 1, -90,
        Position.newBuilder().setLatitude(45.5).setLongitude(-122.6).setAltitude(120).setTime(1).build(), "POSITION_APP"));
    send(heard("!00000001", T0.plusSeconds(20), 1, -90, Telemetry.newBuilder().setTime(2)
        .setDeviceMetrics(DeviceMetrics.newBuilder().setBatteryLevel(87).setVoltage(4.05f).build()).build(), "TELEMETRY_APP"));
    send(heard("!00000001", T0.plusSeconds(30), 1, -90, Telemetry.newBuilder().setTime(3)
        .setEnvironmentMetrics(EnvironmentMetrics.newBuilder().setTemperature(21.5f).build()).build(), "TELEMETRY_APP"));
    send(heard("!00000001", T0.plusSeconds(40), null, -90, MapReport.newBuilder().setLongName("Hilltop Router")
        .setShortName("HILL").setRole("ROUTER").setHwModel(9).setFirmwareVersion("2.6.11").setRegion("US")
        .setModemPreset("LONG_FAST").setHasDefaultChannel(true).setLatitude(45.5).setLongitude(-122.6).setAltitude(120)
        .setPositionPrecision(13).setNumOnlineLocalNodes(12).build(), "MAP_REPORT_APP"));

    final NodeState node = latest();
    assertThat(node.getNodeId()).isEqualTo(NODE);
    assertThat(node.getUser().getLongName()).isEqualTo("Hilltop Router");
    assertThat(node.getPosition().getLatitude()).isEqualTo(45.5);
    assertThat(node.getPosition().getReportedAt()).isEqualTo(T0.plusSeconds(10));
    assertThat(node.getDeviceMetrics().getBatteryLevel()).isEqualTo(87);
    assertThat(node.getDeviceMetricsAt()).isEqualTo(T0.plusSeconds(20));
    assertThat(node.getEnvironmentMetrics().getTemperature()).isEqualTo(21.5f);
    assertThat(node.getMapReport().getNumOnlineLocalNodes()).isEqualTo(12);
    assertThat(node.getFirstHeardAt()).isEqualTo(T0);
    assertThat(node.getLastHeardAt()).isEqualTo(T0.plusSeconds(40));
    assertThat(node.getPackets()).isEqualTo(5);
  }

  @Test
  void anOlderPositionArrivingLateDoesNotReplaceANewerOne(@TempDir Path dir) {
    start(dir, NodesConfig.defaults());
    send(heard("!00000001", T0.plusSeconds(60), 1, -90,
        Position.newBuilder().setLatitude(2).setLongitude(2).setAltitude(0).setTime(0).build(), "POSITION_APP"));
    send(heard("!00000002", T0, 1, -90,
        Position.newBuilder().setLatitude(1).setLongitude(1).setAltitude(0).setTime(0).build(), "POSITION_APP"));

    final NodeState node = latest();
    assertThat(node.getPosition().getLatitude()).isEqualTo(2);
    assertThat(node.getFirstHeardAt()).isEqualTo(T0);
    assertThat(node.getLastHeardAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void gatewaysThatHearTheNodeDirectlyAreKeptMostRecentFirstAndBounded(@TempDir Path dir) {
    start(dir, NodesConfig.from(Map.of("nodes.max-direct-gateways", "2")));
    send(heard("!00000001", T0, 0, -60, null, null));
    send(heard("!00000002", T0.plusSeconds(1), 0, -70, null, null));
    send(heard("!00000003", T0.plusSeconds(2), 2, -120, null, null));
    send(heard("!00000004", T0.plusSeconds(3), 0, -80, null, null));
    send(heard("!00000002", T0.plusSeconds(4), 0, -75, null, null));

    assertThat(latest().getHeardDirectlyBy()).extracting(DirectHearing::getGatewayId, DirectHearing::getRxRssi)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("!00000002", -75),
            org.assertj.core.groups.Tuple.tuple("!00000004", -80));
  }

  @Test
  void copiesWithoutNewsArePublishedAtMostOncePerInterval(@TempDir Path dir) {
    start(dir, NodesConfig.defaults());
    for (int i = 0; i < 10; i++) {
      send(heard("!00000001", T0.plusSeconds(i), 2, -90, null, null));
    }
    send(heard("!00000001", T0.plus(Duration.ofMinutes(2)), 2, -90, null, null));

    assertThat(nodes.readValuesToList()).extracting(NodeState::getPackets).containsExactly(1L, 11L);
    send(heard("!00000001", T0.plus(Duration.ofMinutes(2)).plusSeconds(1), 2, -90, null, null));
    assertThat(nodes.isEmpty()).isTrue();
    job.advance(Duration.ofMinutes(1));
    assertThat(nodes.readValuesToList()).extracting(NodeState::getPackets).containsExactly(12L);
  }

  @Test
  void aReceptionWhoseSenderIsNoNodeIdIsDeadLettered(@TempDir Path dir) {
    start(dir, NodesConfig.defaults());
    send(Receptions.base("garbage", 1, "!00000001", T0).build());

    assertThat(nodes.isEmpty()).isTrue();
    assertThat(dlq.readValuesToList()).singleElement().satisfies(r -> {
      assertThat(r.getStage()).isEqualTo("nodes");
      assertThat(r.getReason()).contains("not a node id");
    });
  }
}
