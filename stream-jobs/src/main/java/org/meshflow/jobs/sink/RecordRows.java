package org.meshflow.jobs.sink;

import java.sql.SQLException;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.meshflow.records.Alert;
import org.meshflow.records.DeviceMetrics;
import org.meshflow.records.EnvironmentMetrics;
import org.meshflow.records.HeardBy;
import org.meshflow.records.MeshPacket;
import org.meshflow.records.NodeState;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Position;
import org.meshflow.records.Reception;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterStatus;
import org.meshflow.records.Telemetry;

/** The table rows one Kafka record becomes. */
final class RecordRows {
  private RecordRows() {}

  static void add(SpecificRecord record, TableStatements rows) throws SQLException {
    if (record instanceof MeshPacket packet) {
      packet(packet, rows);
    } else if (record instanceof Reception reception) {
      rows.row(SinkTable.RECEPTIONS, reception.getPacketKey(), reception.getGatewayId(), receivedAt(reception),
          reception.getFrom(), reception.getChannelId(), reception.getPortnum(), reception.getHopLimit(),
          reception.getHopStart(), reception.getHopsAway(), reception.getRxRssi(), reception.getRxSnr());
    } else if (record instanceof PacketHeardBy heard) {
      boolean first = true;
      for (HeardBy copy : heard.getHeardBy()) {
        rows.row(SinkTable.HEARD_BY, heard.getPacketKey(), heard.getFirstHeardAt(), copy.getGatewayId(),
            heard.getFrom(), first, copy.getCopies(), copy.getRxRssi(), copy.getRxSnr(), copy.getHopLimit(),
            copy.getHopsAway(), copy.getReceivedAt());
        first = false;
      }
    } else if (record instanceof RouterStatus status) {
      rows.row(SinkTable.ROUTER_STATUS, status.getRouterId(), status.getSince(), status.getState().name(),
          status.getConnected(), status.getLastUplinkAt(), status.getLastDisconnectReason(), status.getUplinks(),
          status.getOutageCount(), status.getUpdatedAt());
    } else if (record instanceof RouterOutage outage) {
      rows.row(SinkTable.ROUTER_OUTAGES, outage.getRouterId(), outage.getStartedAt(), outage.getEndedAt(),
          outage.getDurationSeconds(), outage.getCause(), outage.getAlerted(), outage.getOutageId());
    } else if (record instanceof Alert alert) {
      rows.row(SinkTable.ALERTS, alert.getAlertId(), alert.getAt(), alert.getType(), alert.getSubject(),
          alert.getSeverity(), alert.getMessage(), alert.getOutageSeconds());
    } else if (record instanceof NodeState node) {
      node(node, rows);
    } else {
      throw new IllegalArgumentException("the sink does not store " + record.getSchema().getName() + " records");
    }
  }

  private static void packet(MeshPacket packet, TableStatements rows) throws SQLException {
    final String firstGateway = packet.getHeardBy().isEmpty() ? null : packet.getHeardBy().get(0).getGatewayId();
    rows.row(SinkTable.PACKETS, packet.getPacketKey(), packet.getFirstHeardAt(), packet.getFrom(), packet.getTo(),
        packet.getPacketId(), packet.getChannelId(), packet.getPortnum(), packet.getHopStart(), packet.getViaMqtt(),
        packet.getEncrypted(), packet.getDecrypted(), firstGateway);
    if (packet.getPayload() instanceof Telemetry telemetry
        && (telemetry.getDeviceMetrics() != null || telemetry.getEnvironmentMetrics() != null)) {
      final DeviceMetrics device = telemetry.getDeviceMetrics();
      final EnvironmentMetrics environment = telemetry.getEnvironmentMetrics();
      rows.row(SinkTable.TELEMETRY, packet.getFrom(), packet.getFirstHeardAt(), packet.getPacketKey(),
          device == null ? null : device.getBatteryLevel(), device == null ? null : device.getVoltage(),
          device == null ? null : device.getChannelUtilization(), device == null ? null : device.getAirUtilTx(),
          device == null ? null : device.getUptimeSeconds(), environment == null ? null : environment.getTemperature(),
          environment == null ? null : environment.getRelativeHumidity(),
          environment == null ? null : environment.getBarometricPressure());
    } else if (packet.getPayload() instanceof Position position
        && (position.getLatitude() != 0 || position.getLongitude() != 0)) {
      rows.row(SinkTable.POSITIONS, packet.getFrom(), packet.getFirstHeardAt(), packet.getPacketKey(),
          position.getLatitude(), position.getLongitude(), position.getAltitude());
    }
  }

  private static void node(NodeState node, TableStatements rows) throws SQLException {
    final var user = node.getUser();
    final var position = node.getPosition();
    final var device = node.getDeviceMetrics();
    rows.row(SinkTable.NODES, node.getNodeId(), user == null ? null : user.getLongName(),
        user == null ? null : user.getShortName(), user == null ? null : user.getHwModel(),
        user == null ? null : user.getRole(), position == null ? null : position.getLatitude(),
        position == null ? null : position.getLongitude(), position == null ? null : position.getAltitude(),
        device == null ? null : device.getBatteryLevel(), device == null ? null : device.getVoltage(),
        device == null ? null : device.getChannelUtilization(), device == null ? null : device.getAirUtilTx(),
        node.getFirstHeardAt(), node.getLastHeardAt(), node.getPackets());
  }

  /** Broker time of the copy; copies from before the field existed fall back to the gateway's clock. */
  private static Instant receivedAt(Reception reception) {
    if (reception.getReceivedAt() != null) {
      return reception.getReceivedAt();
    }
    return reception.getRxTime() == null ? Instant.EPOCH : Instant.ofEpochSecond(reception.getRxTime());
  }
}
