package org.meshflow.meshtastic;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.meshflow.meshtastic.wire.RouteDiscovery;
import org.meshflow.records.DeviceMetrics;
import org.meshflow.records.EnvironmentMetrics;
import org.meshflow.records.MapReport;
import org.meshflow.records.Neighbor;
import org.meshflow.records.NeighborInfo;
import org.meshflow.records.Position;
import org.meshflow.records.Routing;
import org.meshflow.records.Telemetry;
import org.meshflow.records.TextMessage;
import org.meshflow.records.Traceroute;
import org.meshflow.records.UserInfo;

/** Application payloads (Data.payload) to the Avro payload records, by port number. */
final class PayloadDecoder {
  private PayloadDecoder() {}

  /**
   * @return the payload record, or null for ports Meshflow does not decode
   * @throws InvalidProtocolBufferException when the bytes do not parse as the port's message
   */
  static Object decode(int portnum, ByteString payload) throws InvalidProtocolBufferException {
    return switch (portnum) {
      case PortNum.TEXT_MESSAGE_APP -> new TextMessage(payload.toStringUtf8());
      case PortNum.POSITION_APP -> position(org.meshflow.meshtastic.wire.Position.parseFrom(payload));
      case PortNum.NODEINFO_APP -> user(org.meshflow.meshtastic.wire.User.parseFrom(payload));
      case PortNum.TELEMETRY_APP -> telemetry(org.meshflow.meshtastic.wire.Telemetry.parseFrom(payload));
      case PortNum.NEIGHBORINFO_APP -> neighborInfo(org.meshflow.meshtastic.wire.NeighborInfo.parseFrom(payload));
      case PortNum.MAP_REPORT_APP -> mapReport(org.meshflow.meshtastic.wire.MapReport.parseFrom(payload));
      case PortNum.TRACEROUTE_APP -> traceroute(RouteDiscovery.parseFrom(payload));
      case PortNum.ROUTING_APP -> routing(org.meshflow.meshtastic.wire.Routing.parseFrom(payload));
      default -> null;
    };
  }

  private static Position position(org.meshflow.meshtastic.wire.Position p) {
    final var position = new Position();
    position.setLatitude(degrees(p.getLatitudeI()));
    position.setLongitude(degrees(p.getLongitudeI()));
    position.setAltitude(p.getAltitude());
    position.setTime(Integer.toUnsignedLong(p.getTime()));
    return position;
  }

  private static UserInfo user(org.meshflow.meshtastic.wire.User u) {
    final var user = new UserInfo();
    user.setId(u.getId());
    user.setLongName(u.getLongName());
    user.setShortName(u.getShortName());
    user.setHwModel(u.getHwModel());
    user.setRole(MeshEnums.role(u.getRole()));
    return user;
  }

  private static Telemetry telemetry(org.meshflow.meshtastic.wire.Telemetry t) {
    final var telemetry = new Telemetry();
    telemetry.setTime(Integer.toUnsignedLong(t.getTime()));
    if (t.hasDeviceMetrics()) {
      telemetry.setDeviceMetrics(deviceMetrics(t.getDeviceMetrics()));
    }
    if (t.hasEnvironmentMetrics()) {
      telemetry.setEnvironmentMetrics(environmentMetrics(t.getEnvironmentMetrics()));
    }
    return telemetry;
  }

  private static DeviceMetrics deviceMetrics(org.meshflow.meshtastic.wire.DeviceMetrics d) {
    final var metrics = new DeviceMetrics();
    metrics.setBatteryLevel(d.getBatteryLevel());
    metrics.setVoltage(d.getVoltage());
    metrics.setChannelUtilization(d.getChannelUtilization());
    metrics.setAirUtilTx(d.getAirUtilTx());
    metrics.setUptimeSeconds(Integer.toUnsignedLong(d.getUptimeSeconds()));
    return metrics;
  }

  private static EnvironmentMetrics environmentMetrics(org.meshflow.meshtastic.wire.EnvironmentMetrics e) {
    final var m = new EnvironmentMetrics();
    m.setTemperature(e.hasTemperature() ? e.getTemperature() : null);
    m.setRelativeHumidity(e.hasRelativeHumidity() ? e.getRelativeHumidity() : null);
    m.setBarometricPressure(e.hasBarometricPressure() ? e.getBarometricPressure() : null);
    m.setGasResistance(e.hasGasResistance() ? e.getGasResistance() : null);
    m.setVoltage(e.hasVoltage() ? e.getVoltage() : null);
    m.setCurrent(e.hasCurrent() ? e.getCurrent() : null);
    m.setIaq(e.hasIaq() ? e.getIaq() : null);
    m.setDistance(e.hasDistance() ? e.getDistance() : null);
    m.setLux(e.hasLux() ? e.getLux() : null);
    m.setWhiteLux(e.hasWhiteLux() ? e.getWhiteLux() : null);
    m.setIrLux(e.hasIrLux() ? e.getIrLux() : null);
    m.setUvLux(e.hasUvLux() ? e.getUvLux() : null);
    m.setWindDirection(e.hasWindDirection() ? e.getWindDirection() : null);
    m.setWindSpeed(e.hasWindSpeed() ? e.getWindSpeed() : null);
    m.setWeight(e.hasWeight() ? e.getWeight() : null);
    m.setWindGust(e.hasWindGust() ? e.getWindGust() : null);
    m.setWindLull(e.hasWindLull() ? e.getWindLull() : null);
    m.setRadiation(e.hasRadiation() ? e.getRadiation() : null);
    m.setRainfall1h(e.hasRainfall1H() ? e.getRainfall1H() : null);
    m.setRainfall24h(e.hasRainfall24H() ? e.getRainfall24H() : null);
    m.setSoilMoisture(e.hasSoilMoisture() ? e.getSoilMoisture() : null);
    m.setSoilTemperature(e.hasSoilTemperature() ? e.getSoilTemperature() : null);
    return m;
  }

  private static NeighborInfo neighborInfo(org.meshflow.meshtastic.wire.NeighborInfo n) {
    final var neighbors = new ArrayList<Neighbor>(n.getNeighborsCount());
    for (var neighbor : n.getNeighborsList()) {
      neighbors.add(new Neighbor(NodeId.of(neighbor.getNodeId()), neighbor.getSnr()));
    }
    final var info = new NeighborInfo();
    info.setNodeId(NodeId.of(n.getNodeId()));
    info.setLastSentById(NodeId.of(n.getLastSentById()));
    info.setNodeBroadcastIntervalSecs(n.getNodeBroadcastIntervalSecs());
    info.setNeighbors(neighbors);
    return info;
  }

  private static MapReport mapReport(org.meshflow.meshtastic.wire.MapReport r) {
    final var report = new MapReport();
    report.setLongName(r.getLongName());
    report.setShortName(r.getShortName());
    report.setRole(MeshEnums.role(r.getRole()));
    report.setHwModel(r.getHwModel());
    report.setFirmwareVersion(r.getFirmwareVersion());
    report.setRegion(MeshEnums.region(r.getRegion()));
    report.setModemPreset(MeshEnums.modemPreset(r.getModemPreset()));
    report.setHasDefaultChannel(r.getHasDefaultChannel());
    report.setLatitude(degrees(r.getLatitudeI()));
    report.setLongitude(degrees(r.getLongitudeI()));
    report.setAltitude(r.getAltitude());
    report.setPositionPrecision(r.getPositionPrecision());
    report.setNumOnlineLocalNodes(r.getNumOnlineLocalNodes());
    return report;
  }

  private static Traceroute traceroute(RouteDiscovery d) {
    final var route = new Traceroute();
    route.setRoute(nodeIds(d.getRouteList()));
    route.setSnrTowards(decibels(d.getSnrTowardsList()));
    route.setRouteBack(nodeIds(d.getRouteBackList()));
    route.setSnrBack(decibels(d.getSnrBackList()));
    return route;
  }

  private static Routing routing(org.meshflow.meshtastic.wire.Routing r) {
    final var routing = new Routing();
    switch (r.getVariantCase()) {
      case ERROR_REASON -> routing.setErrorReason(MeshEnums.routingError(r.getErrorReason()));
      case ROUTE_REQUEST -> routing.setRouteRequest(traceroute(r.getRouteRequest()));
      case ROUTE_REPLY -> routing.setRouteReply(traceroute(r.getRouteReply()));
      default -> { }
    }
    return routing;
  }

  /** Fixed-point degrees ({@code x 1e7}); dividing keeps 38.9429308 exact where multiplying by 1e-7 would not. */
  private static double degrees(int fixedPoint) {
    return fixedPoint / 1e7;
  }

  private static List<String> nodeIds(List<Integer> nodes) {
    final var ids = new ArrayList<String>(nodes.size());
    for (int node : nodes) {
      ids.add(NodeId.of(node));
    }
    return ids;
  }

  /** RouteDiscovery SNRs are dB x 4. */
  private static List<Float> decibels(List<Integer> quarterDb) {
    final var snr = new ArrayList<Float>(quarterDb.size());
    for (int q : quarterDb) {
      snr.add(q / 4f);
    }
    return snr;
  }
}
