package org.meshflow.jobs.sink;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.meshflow.records.Alert;
import org.meshflow.records.DeviceMetrics;
import org.meshflow.records.HeardBy;
import org.meshflow.records.MeshPacket;
import org.meshflow.records.NodePosition;
import org.meshflow.records.NodeState;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Position;
import org.meshflow.records.Reception;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterState;
import org.meshflow.records.RouterStatus;
import org.meshflow.records.Telemetry;
import org.meshflow.records.TextMessage;
import org.meshflow.records.UserInfo;

/**
 * A small mesh whose history is known by heart: two routers (one with a ten-minute outage), two
 * nodes, three unique packets uploaded six times. Records are what the jobs write to their topics.
 */
final class KnownMesh {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final String HILL = "!0000aaaa";
  static final String TOWER = "!0000bbbb";
  static final String SENSOR = "!1111aaaa";
  static final String HANDHELD = "!2222bbbb";
  static final Instant OUTAGE_START = T0.plus(Duration.ofMinutes(2));
  static final Instant OUTAGE_END = T0.plus(Duration.ofMinutes(12));

  /** One record for one topic. */
  record Output(String topic, String key, SpecificRecord value) {}

  private KnownMesh() {}

  static List<Output> outputs(SinkConfig topics) {
    final var out = new ArrayList<Output>();
    final MeshPacket telemetry = packet(SENSOR, 1, at(10), HILL, Telemetry.newBuilder().setTime(0)
        .setDeviceMetrics(DeviceMetrics.newBuilder().setBatteryLevel(80).setVoltage(3.9f).setChannelUtilization(12.5f)
            .setAirUtilTx(1.5f).setUptimeSeconds(3600).build()).build(), "TELEMETRY_APP");
    final MeshPacket position = packet(SENSOR, 2, at(70), HILL,
        Position.newBuilder().setLatitude(47.1).setLongitude(8.5).setAltitude(500).setTime(0).build(), "POSITION_APP");
    final MeshPacket text = packet(HANDHELD, 3, at(75), TOWER, TextMessage.newBuilder().setText("hello").build(),
        "TEXT_MESSAGE_APP");
    for (MeshPacket packet : List.of(telemetry, position, text)) {
      out.add(new Output(topics.packetsTopic(), packet.getPacketKey(), packet));
    }
    out.add(reception(topics, telemetry, HILL, at(10), -80, 6.5f, 0));
    out.add(reception(topics, telemetry, TOWER, at(11), -110, -3f, 1));
    out.add(reception(topics, position, HILL, at(70), -82, 6f, 0));
    out.add(reception(topics, text, TOWER, at(75), -95, 2f, 0));
    out.add(reception(topics, text, HILL, at(76), -105, -1f, 1));
    out.add(reception(topics, text, HILL, at(77), -105, -1f, 1));
    out.add(heardBy(topics, telemetry, List.of(copy(HILL, -80, 6.5f, 0, 1, at(10)), copy(TOWER, -110, -3f, 1, 1, at(11)))));
    out.add(heardBy(topics, position, List.of(copy(HILL, -82, 6f, 0, 1, at(70)))));
    out.add(heardBy(topics, text, List.of(copy(TOWER, -95, 2f, 0, 1, at(75)), copy(HILL, -105, -1f, 1, 2, at(76)))));
    out.add(status(topics, HILL, RouterState.ONLINE, T0.minus(Duration.ofHours(1)), T0.minus(Duration.ofHours(1))));
    out.add(status(topics, HILL, RouterState.ONLINE, T0.minus(Duration.ofHours(1)), T0.plus(Duration.ofMinutes(1))));
    out.add(status(topics, HILL, RouterState.OFFLINE, OUTAGE_START, OUTAGE_START));
    out.add(status(topics, HILL, RouterState.ONLINE, OUTAGE_END, OUTAGE_END));
    out.add(status(topics, TOWER, RouterState.ONLINE, T0.minus(Duration.ofHours(1)), T0.minus(Duration.ofHours(1))));
    out.add(new Output(topics.outagesTopic(), HILL, RouterOutage.newBuilder().setRouterId(HILL)
        .setOutageId(HILL + "/" + OUTAGE_START.toEpochMilli()).setStartedAt(OUTAGE_START).setEndedAt(OUTAGE_END)
        .setDurationSeconds(600).setCause("CONNECTION_LOST").setAlerted(true).build()));
    out.add(alert(topics, "ROUTER_OFFLINE", "CRITICAL", OUTAGE_START.plus(Duration.ofMinutes(2)), null));
    out.add(alert(topics, "ROUTER_RECOVERED", "INFO", OUTAGE_END, 600L));
    out.add(node(topics, SENSOR, "Hilltop sensor", at(70)));
    out.add(node(topics, HANDHELD, "Handheld", at(75)));
    return out;
  }

  /** Rows per table once every output of {@link #outputs} is written. */
  static Map<String, Long> expectedCounts() {
    final var expected = new java.util.LinkedHashMap<String, Long>();
    expected.put("packets", 3L);
    expected.put("receptions", 6L);
    expected.put("heard_by", 5L);
    expected.put("router_status", 4L);
    expected.put("router_outages", 1L);
    expected.put("alerts", 2L);
    expected.put("nodes", 2L);
    expected.put("telemetry", 1L);
    expected.put("positions", 1L);
    return expected;
  }

  /** Rows per table of {@link #expectedCounts} now in {@code db}. */
  static Map<String, Long> counts(String db) {
    final var counts = new java.util.LinkedHashMap<String, Long>();
    expectedCounts().keySet().forEach(table -> counts.put(table, TestPostgres.count(db, table)));
    return counts;
  }

  static Instant at(long secondsAfterT0) {
    return T0.plusSeconds(secondsAfterT0);
  }

  static MeshPacket packet(String from, long id, Instant at, String gateway, Object payload, String portnum) {
    return MeshPacket.newBuilder().setPacketKey(from + "/" + id).setFrom(from).setTo("!ffffffff").setPacketId(id)
        .setChannelId("LongFast").setHopStart(3).setViaMqtt(false).setEncrypted(true).setDecrypted(true)
        .setPortnum(portnum).setPayload(payload).setFirstHeardAt(at)
        .setHeardBy(List.of(copy(gateway, -80, 6f, 0, 1, at))).build();
  }

  static Output reception(SinkConfig topics, MeshPacket packet, String gateway, Instant at, int rssi, float snr,
      int hopsAway) {
    return new Output(topics.receptionsTopic(), packet.getPacketKey(), Reception.newBuilder()
        .setTopic("msh/US/2/e/LongFast/" + gateway).setRoot("msh/US").setGatewayId(gateway).setChannelId("LongFast")
        .setFrom(packet.getFrom()).setTo("!ffffffff").setPacketId(packet.getPacketId())
        .setPacketKey(packet.getPacketKey()).setHopLimit(3 - hopsAway).setHopStart(3).setHopsAway(hopsAway)
        .setRxSnr(snr).setRxRssi(rssi).setViaMqtt(false).setEncrypted(true).setDecrypted(true)
        .setPortnum(packet.getPortnum()).setReceivedAt(at).build());
  }

  static HeardBy copy(String gateway, int rssi, float snr, int hopsAway, int copies, Instant at) {
    return HeardBy.newBuilder().setGatewayId(gateway).setRxRssi(rssi).setRxSnr(snr).setHopLimit(3 - hopsAway)
        .setHopsAway(hopsAway).setReceivedAt(at).setCopies(copies).build();
  }

  private static Output heardBy(SinkConfig topics, MeshPacket packet, List<HeardBy> copies) {
    return new Output(topics.heardByTopic(), packet.getPacketKey(), PacketHeardBy.newBuilder()
        .setPacketKey(packet.getPacketKey()).setFrom(packet.getFrom()).setPacketId(packet.getPacketId())
        .setPortnum(packet.getPortnum()).setFirstHeardAt(packet.getFirstHeardAt())
        .setLastHeardAt(copies.get(copies.size() - 1).getReceivedAt())
        .setCopies(copies.stream().mapToInt(HeardBy::getCopies).sum()).setHeardBy(copies).build());
  }

  static Output status(SinkConfig topics, String router, RouterState state, Instant since, Instant updated) {
    return new Output(topics.routerStatusTopic(), router, RouterStatus.newBuilder().setRouterId(router).setState(state)
        .setSince(since).setConnected(state != RouterState.OFFLINE).setUplinks(3).setOutageCount(0)
        .setUpdatedAt(updated).build());
  }

  private static Output alert(SinkConfig topics, String type, String severity, Instant at, Long outageSeconds) {
    return new Output(topics.alertsTopic(), HILL, Alert.newBuilder().setAlertId(type + "/" + HILL + "/"
        + at.toEpochMilli()).setType(type).setSubject(HILL).setSeverity(severity).setAt(at)
        .setMessage(HILL + " " + type.toLowerCase()).setOutageSeconds(outageSeconds).setDetails(Map.of()).build());
  }

  static Output node(SinkConfig topics, String node, String longName, Instant lastHeard) {
    return new Output(topics.nodesTopic(), node, NodeState.newBuilder().setNodeId(node)
        .setUser(UserInfo.newBuilder().setId(node).setLongName(longName).setShortName(longName.substring(0, 2))
            .setHwModel(9).setRole("CLIENT").build())
        .setPosition(node.equals(SENSOR) ? NodePosition.newBuilder().setLatitude(47.1).setLongitude(8.5)
            .setAltitude(500).setTime(0).setReportedAt(at(70)).build() : null)
        .setDeviceMetrics(node.equals(SENSOR) ? DeviceMetrics.newBuilder().setBatteryLevel(80).setVoltage(3.9f)
            .setChannelUtilization(12.5f).setAirUtilTx(1.5f).setUptimeSeconds(3600).build() : null)
        .setFirstHeardAt(T0).setLastHeardAt(lastHeard).setPackets(2).build());
  }
}
