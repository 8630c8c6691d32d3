package org.meshflow.jobs.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;

/**
 * The idempotent upserts of one transaction, one JDBC batch per table. Facts that never change
 * (packets, copies, outages, alerts) are inserted once; states (router status, nodes) are replaced
 * only by a record at least as new as the stored one, so a replay never rolls them back.
 */
final class TableStatements implements AutoCloseable {
  private static final Map<SinkTable, String> SQL = new EnumMap<>(SinkTable.class);

  static {
    SQL.put(SinkTable.PACKETS, """
        INSERT INTO packets (packet_key, first_heard_at, from_node, to_node, packet_id, channel_id, portnum, hop_start,
          via_mqtt, encrypted, decrypted, first_gateway) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT DO NOTHING""");
    SQL.put(SinkTable.RECEPTIONS, """
        INSERT INTO receptions (packet_key, gateway_id, received_at, from_node, channel_id, portnum, hop_limit, hop_start,
          hops_away, rx_rssi, rx_snr) VALUES (?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT DO NOTHING""");
    SQL.put(SinkTable.HEARD_BY, """
        INSERT INTO heard_by (packet_key, first_heard_at, gateway_id, from_node, first_copy, copies, rx_rssi, rx_snr,
          hop_limit, hops_away, received_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT DO NOTHING""");
    SQL.put(SinkTable.ROUTER_STATUS, """
        INSERT INTO router_status (router_id, since, state, connected, last_uplink_at, last_disconnect_reason, uplinks,
          outage_count, updated_at) VALUES (?,?,?,?,?,?,?,?,?)
        ON CONFLICT (router_id, since, state) DO UPDATE SET connected = EXCLUDED.connected,
          last_uplink_at = EXCLUDED.last_uplink_at, last_disconnect_reason = EXCLUDED.last_disconnect_reason,
          uplinks = EXCLUDED.uplinks, outage_count = EXCLUDED.outage_count, updated_at = EXCLUDED.updated_at
        WHERE router_status.updated_at <= EXCLUDED.updated_at""");
    SQL.put(SinkTable.ROUTER_OUTAGES, """
        INSERT INTO router_outages (router_id, started_at, ended_at, duration_seconds, cause, alerted, outage_id)
        VALUES (?,?,?,?,?,?,?)
        ON CONFLICT DO NOTHING""");
    SQL.put(SinkTable.ALERTS, """
        INSERT INTO alerts (alert_id, at, type, subject, severity, message, outage_seconds) VALUES (?,?,?,?,?,?,?)
        ON CONFLICT DO NOTHING""");
    SQL.put(SinkTable.NODES, """
        INSERT INTO nodes (node_id, long_name, short_name, hw_model, role, latitude, longitude, altitude, battery_level,
          voltage, channel_utilization, air_util_tx, first_heard_at, last_heard_at, packets)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT (node_id) DO UPDATE SET long_name = EXCLUDED.long_name, short_name = EXCLUDED.short_name,
          hw_model = EXCLUDED.hw_model, role = EXCLUDED.role, latitude = EXCLUDED.latitude,
          longitude = EXCLUDED.longitude, altitude = EXCLUDED.altitude, battery_level = EXCLUDED.battery_level,
          voltage = EXCLUDED.voltage, channel_utilization = EXCLUDED.channel_utilization,
          air_util_tx = EXCLUDED.air_util_tx, first_heard_at = EXCLUDED.first_heard_at,
          last_heard_at = EXCLUDED.last_heard_at, packets = EXCLUDED.packets
        WHERE nodes.last_heard_at <= EXCLUDED.last_heard_at""");
    SQL.put(SinkTable.TELEMETRY, """
        INSERT INTO telemetry (node_id, reported_at, packet_key, battery_level, voltage, channel_utilization,
          air_util_tx, uptime_seconds, temperature, relative_humidity, barometric_pressure)
        VALUES (?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT DO NOTHING""");
    SQL.put(SinkTable.POSITIONS, """
        INSERT INTO positions (node_id, reported_at, packet_key, latitude, longitude, altitude) VALUES (?,?,?,?,?,?)
        ON CONFLICT DO NOTHING""");
  }

  private final Connection connection;
  private final Map<SinkTable, PreparedStatement> statements = new EnumMap<>(SinkTable.class);
  private final Map<SinkTable, Integer> pending = new EnumMap<>(SinkTable.class);

  TableStatements(Connection connection) {
    this.connection = connection;
  }

  /** Adds one row to {@code table}'s batch; values in column order, Instants as timestamptz. */
  void row(SinkTable table, Object... values) throws SQLException {
    PreparedStatement statement = statements.get(table);
    if (statement == null) {
      statement = connection.prepareStatement(SQL.get(table));
      statements.put(table, statement);
    }
    for (int i = 0; i < values.length; i++) {
      bind(statement, i + 1, values[i]);
    }
    statement.addBatch();
    pending.merge(table, 1, Integer::sum);
  }

  private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.NULL);
    } else if (value instanceof Instant instant) {
      statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    } else if (value instanceof CharSequence text) {
      statement.setString(index, text.toString());
    } else {
      statement.setObject(index, value);
    }
  }

  /** Runs every batch; returns the rows offered per table (rows already stored count too). */
  Map<SinkTable, Integer> execute() throws SQLException {
    for (var entry : statements.entrySet()) {
      if (pending.getOrDefault(entry.getKey(), 0) > 0) {
        entry.getValue().executeBatch();
      }
    }
    final var written = new EnumMap<>(pending);
    pending.clear();
    return written;
  }

  /** Forgets rows added since the last {@link #execute}, after a failed batch. */
  void discard() throws SQLException {
    for (PreparedStatement statement : statements.values()) {
      statement.clearBatch();
    }
    pending.clear();
  }

  @Override
  public void close() {
    for (PreparedStatement statement : statements.values()) {
      try {
        statement.close();
      } catch (SQLException e) {
        // the connection is going away anyway
      }
    }
    statements.clear();
  }
}
