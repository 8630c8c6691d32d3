package org.meshflow.meshtastic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import org.meshflow.meshtastic.DecodeOutcome.Decoded;
import org.meshflow.meshtastic.DecodeOutcome.RejectKind;
import org.meshflow.meshtastic.DecodeOutcome.Rejected;
import org.meshflow.records.DeviceMetrics;
import org.meshflow.records.EnvironmentMetrics;
import org.meshflow.records.Neighbor;
import org.meshflow.records.NeighborInfo;
import org.meshflow.records.Position;
import org.meshflow.records.Reception;
import org.meshflow.records.Telemetry;
import org.meshflow.records.TextMessage;
import org.meshflow.records.UserInfo;

/**
 * The 2.7.x JSON mirror ({@code <root>/2/json/<channel>/<gateway>}, MESHTASTIC.md section 3) to a
 * {@link Reception}. Lossy by nature: no relay node, via_mqtt, bitfield, and traceroutes name nodes
 * by long name, so their payload is left out.
 */
final class JsonUplinkDecoder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Map<String, Integer> PORT_BY_TYPE = Map.ofEntries(Map.entry("text", PortNum.TEXT_MESSAGE_APP),
      Map.entry("telemetry", PortNum.TELEMETRY_APP), Map.entry("nodeinfo", PortNum.NODEINFO_APP),
      Map.entry("position", PortNum.POSITION_APP), Map.entry("waypoint", 8),
      Map.entry("neighborinfo", PortNum.NEIGHBORINFO_APP), Map.entry("traceroute", PortNum.TRACEROUTE_APP),
      Map.entry("detection", 10), Map.entry("paxcounter", 34), Map.entry("gpios_changed", 2),
      Map.entry("gpios_read_reply", 2));

  private static final String[] DEVICE_KEYS = {"battery_level", "channel_utilization", "air_util_tx", "uptime_seconds"};

  private JsonUplinkDecoder() {}

  static DecodeOutcome decode(String topic, MeshTopic meshTopic, byte[] payload, Instant receivedAt) {
    final JsonNode root;
    try {
      root = JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      return malformed("payload is not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      return malformed("payload is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      return malformed("JSON uplink must be an object");
    }
    for (String required : new String[] {"from", "id", "sender"}) {
      if (!root.hasNonNull(required)) {
        return malformed("JSON uplink has no '" + required + "'");
      }
    }
    if (!root.get("from").canConvertToLong() || !root.get("id").canConvertToLong()) {
      return malformed("JSON uplink 'from' and 'id' must be numbers");
    }
    final String sender = root.get("sender").asText();
    if (!NodeId.isValid(sender)) {
      return malformed("JSON 'sender' '" + EnvelopeDecoder.printable(sender) + "' is not a gateway id like !abcd1234");
    }
    if (meshTopic.gateway() != null && !meshTopic.gateway().equals(sender)) {
      return new Rejected(RejectKind.GATEWAY_MISMATCH, "the topic names gateway "
          + EnvelopeDecoder.printable(meshTopic.gateway()) + " but the JSON sender is " + sender);
    }
    return new Decoded(reception(topic, meshTopic, root, sender, receivedAt));
  }

  private static Reception reception(String topic, MeshTopic meshTopic, JsonNode root, String sender, Instant at) {
    final int from = (int) root.get("from").asLong();
    final int id = (int) root.get("id").asLong();
    final int hopStart = root.path("hop_start").asInt(0);
    final var r = new Reception();
    r.setTopic(topic);
    r.setRoot(meshTopic.root());
    r.setGatewayId(sender);
    r.setChannelId(meshTopic.channel() == null ? "" : meshTopic.channel());
    r.setFrom(NodeId.of(from));
    r.setTo(NodeId.of((int) root.path("to").asLong(NodeId.BROADCAST & 0xffffffffL)));
    r.setPacketId(Integer.toUnsignedLong(id));
    r.setPacketKey(PacketKey.of(from, id));
    r.setHopStart(hopStart);
    if (root.hasNonNull("hops_away") && hopStart > 0) {
      final int hopsAway = root.get("hops_away").asInt();
      r.setHopLimit(Math.max(0, hopStart - hopsAway));
      r.setHopsAway(HopsAway.of(hopStart, hopStart - hopsAway));
    }
    final long timestamp = root.path("timestamp").asLong(0);
    r.setRxTime(timestamp != 0 ? timestamp : null);
    r.setRxSnr((float) root.path("snr").asDouble(0));
    r.setRxRssi(root.path("rssi").asInt(0));
    r.setReceivedAt(at);
    final Integer portnum = PORT_BY_TYPE.get(root.path("type").asText(""));
    if (portnum != null) {
      r.setPortnum(PortNum.name(portnum));
      r.setPayload(payload(portnum, root.path("payload")));
    }
    return r;
  }

  private static Object payload(int portnum, JsonNode p) {
    if (!p.isObject()) {
      return null;
    }
    return switch (portnum) {
      // a text whose body was itself JSON arrives parsed; give it back as the text it was
      case PortNum.TEXT_MESSAGE_APP -> new TextMessage(p.size() == 1 && p.path("text").isTextual()
          ? p.get("text").asText() : p.toString());
      case PortNum.POSITION_APP -> position(p);
      case PortNum.NODEINFO_APP -> user(p);
      case PortNum.TELEMETRY_APP -> telemetry(p);
      case PortNum.NEIGHBORINFO_APP -> neighborInfo(p);
      default -> null;
    };
  }

  private static Position position(JsonNode p) {
    final var position = new Position();
    position.setLatitude(p.path("latitude_i").asInt(0) / 1e7);
    position.setLongitude(p.path("longitude_i").asInt(0) / 1e7);
    position.setAltitude(p.path("altitude").asInt(0));
    position.setTime(p.path("time").asLong(0));
    return position;
  }

  private static UserInfo user(JsonNode p) {
    final var user = new UserInfo();
    user.setId(p.path("id").asText(""));
    user.setLongName(p.path("longname").asText(""));
    user.setShortName(p.path("shortname").asText(""));
    user.setHwModel(p.path("hardware").asInt(0));
    user.setRole(MeshEnums.role(p.path("role").asInt(0)));
    return user;
  }

  private static Telemetry telemetry(JsonNode p) {
    final var telemetry = new Telemetry();
    telemetry.setTime(p.path("time").asLong(0));
    boolean device = false;
    for (String key : DEVICE_KEYS) {
      device |= p.has(key);
    }
    if (device) {
      final var d = new DeviceMetrics();
      d.setBatteryLevel(p.path("battery_level").asInt(0));
      d.setVoltage((float) p.path("voltage").asDouble(0));
      d.setChannelUtilization((float) p.path("channel_utilization").asDouble(0));
      d.setAirUtilTx((float) p.path("air_util_tx").asDouble(0));
      d.setUptimeSeconds(p.path("uptime_seconds").asLong(0));
      telemetry.setDeviceMetrics(d);
    } else {
      final var e = new EnvironmentMetrics();
      e.setTemperature(floatOrNull(p, "temperature"));
      e.setRelativeHumidity(floatOrNull(p, "relative_humidity"));
      e.setBarometricPressure(floatOrNull(p, "barometric_pressure"));
      e.setGasResistance(floatOrNull(p, "gas_resistance"));
      e.setVoltage(floatOrNull(p, "voltage"));
      e.setCurrent(floatOrNull(p, "current"));
      e.setIaq(intOrNull(p, "iaq"));
      e.setDistance(floatOrNull(p, "distance"));
      e.setLux(floatOrNull(p, "lux"));
      e.setWhiteLux(floatOrNull(p, "white_lux"));
      e.setIrLux(floatOrNull(p, "ir_lux"));
      e.setUvLux(floatOrNull(p, "uv_lux"));
      e.setWindDirection(intOrNull(p, "wind_direction"));
      e.setWindSpeed(floatOrNull(p, "wind_speed"));
      e.setWeight(floatOrNull(p, "weight"));
      e.setWindGust(floatOrNull(p, "wind_gust"));
      e.setWindLull(floatOrNull(p, "wind_lull"));
      e.setRadiation(floatOrNull(p, "radiation"));
      e.setRainfall1h(floatOrNull(p, "rainfall_1h"));
      e.setRainfall24h(floatOrNull(p, "rainfall_24h"));
      e.setSoilMoisture(intOrNull(p, "soil_moisture"));
      e.setSoilTemperature(floatOrNull(p, "soil_temperature"));
      telemetry.setEnvironmentMetrics(e);
    }
    return telemetry;
  }

  private static NeighborInfo neighborInfo(JsonNode p) {
    final var neighbors = new ArrayList<Neighbor>();
    for (JsonNode n : p.path("neighbors")) {
      neighbors.add(new Neighbor(NodeId.of((int) n.path("node_id").asLong(0)), (float) n.path("snr").asDouble(0)));
    }
    final var info = new NeighborInfo();
    info.setNodeId(NodeId.of((int) p.path("node_id").asLong(0)));
    info.setLastSentById(NodeId.of((int) p.path("last_sent_by_id").asLong(0)));
    info.setNodeBroadcastIntervalSecs(p.path("node_broadcast_interval_secs").asInt(0));
    info.setNeighbors(neighbors);
    return info;
  }

  private static Float floatOrNull(JsonNode p, String key) {
    return p.path(key).isNumber() ? (float) p.get(key).asDouble() : null;
  }

  private static Integer intOrNull(JsonNode p, String key) {
    return p.path(key).isNumber() ? p.get(key).asInt() : null;
  }

  private static Rejected malformed(String reason) {
    return new Rejected(RejectKind.MALFORMED_JSON, reason);
  }
}
