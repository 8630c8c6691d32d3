package org.meshflow.jobs.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.meshflow.jobs.state.MeshState;
import org.meshflow.jobs.state.StateUnavailableException;
import org.meshflow.records.RouterHealthState;
import org.meshflow.records.RouterOutage;
import org.meshflow.serde.AvroJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The five tools of the {@code meshflow/mesh} MCP server, answering from {@link MeshState}. */
final class MeshTools {
  private static final Logger LOG = LoggerFactory.getLogger(MeshTools.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern NODE_ID = Pattern.compile("![0-9a-f]{8}");
  private static final Pattern PACKET_KEY = Pattern.compile("![0-9a-f]{8}/([0-9]{1,10}|map)");
  private static final String NODE_SHAPE = "a node id like !a1b2c3d4";
  static final List<String> NAMES = List.of("list_routers", "router_outages", "recent_alerts", "node_info",
      "packet_heard_by");

  private final MeshState state;
  private final McpJsonMapper json;
  private final Clock clock;

  MeshTools(MeshState state, McpJsonMapper json, Clock clock) {
    this.state = state;
    this.json = json;
    this.clock = clock;
  }

  List<SyncToolSpecification> all() {
    return List.of(
        tool("list_routers", "Every router (gateway) with its state (online, offline, silent), since when, and when it "
            + "was last seen.", """
            {"type":"object","properties":{},"additionalProperties":false}""", Set.of(), args -> listRouters()),
        tool("router_outages", "Outages of one router between two times (default: the last 7 days): closed ones with "
            + "start, end, duration and cause, and the open one if the router is down now.", """
            {"type":"object","properties":{
              "router":{"type":"string","pattern":"^![0-9a-f]{8}$","description":"router id, e.g. !a1b2c3d4"},
              "since":{"type":"string","format":"date-time","description":"ISO-8601 UTC, e.g. 2025-06-01T00:00:00Z"},
              "until":{"type":"string","format":"date-time","description":"ISO-8601 UTC; default now"}},
             "required":["router"],"additionalProperties":false}""", Set.of("router", "since", "until"),
            this::routerOutages),
        tool("recent_alerts", "The latest alerts (router offline, recovered, silent, flapping, ...), newest first.", """
            {"type":"object","properties":{
              "limit":{"type":"integer","minimum":1,"maximum":500,"description":"how many, default 20"},
              "router":{"type":"string","pattern":"^![0-9a-f]{8}$","description":"only alerts about this router"}},
             "additionalProperties":false}""", Set.of("limit", "router"), this::recentAlerts),
        tool("node_info", "What the mesh knows about one node: user info, position, device and environment metrics, "
            + "when it was heard, and which gateways hear it directly.", """
            {"type":"object","properties":{
              "node":{"type":"string","pattern":"^![0-9a-f]{8}$","description":"node id, e.g. !a1b2c3d4"}},
             "required":["node"],"additionalProperties":false}""", Set.of("node"), this::nodeInfo),
        tool("packet_heard_by", "The gateways that heard one packet, with signal (RSSI, SNR) and hops.", """
            {"type":"object","properties":{
              "packetKey":{"type":"string","pattern":"^![0-9a-f]{8}/([0-9]{1,10}|map)$",
                "description":"!sender/packet-id, e.g. !a1b2c3d4/12345"}},
             "required":["packetKey"],"additionalProperties":false}""", Set.of("packetKey"), this::packetHeardBy));
  }

  private SyncToolSpecification tool(String name, String description, String schema, Set<String> known,
      Function<ToolArguments, JsonNode> answer) {
    final var tool = McpSchema.Tool.builder().name(name).description(description).inputSchema(json, schema).build();
    return SyncToolSpecification.builder().tool(tool)
        .callHandler((exchange, request) -> call(name, new ToolArguments(request.arguments(), known), answer))
        .build();
  }

  private McpSchema.CallToolResult call(String name, ToolArguments args, Function<ToolArguments, JsonNode> answer) {
    try {
      final JsonNode result = answer.apply(args);
      return McpSchema.CallToolResult.builder().addTextContent(MAPPER.writeValueAsString(result))
          .structuredContent(MAPPER.convertValue(result, Map.class)).isError(false).build();
    } catch (ToolArguments.BadArgumentsException e) {
      return error("invalid arguments: " + e.getMessage());
    } catch (NotFoundException | StateUnavailableException e) {
      return error(e.getMessage());
    } catch (InvalidStateStoreException e) {
      return error("the state is being moved (jobs rebalancing); try again shortly");
    } catch (Exception e) {
      LOG.warn("tool {} failed: {}", name, e.toString());
      return error(name + " failed: " + e.getMessage());
    }
  }

  private static McpSchema.CallToolResult error(String message) {
    return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
  }

  private JsonNode listRouters() {
    final var routers = MAPPER.createArrayNode();
    for (RouterHealthState router : state.routers()) {
      final ObjectNode row = routers.addObject();
      row.put("router", router.getRouterId());
      row.put("state", router.getState().name().toLowerCase());
      row.put("since", iso(router.getSince()));
      row.put("connected", router.getConnected());
      row.put("lastSeen", iso(router.getLastActivityAt()));
      row.put("lastUplinkAt", iso(router.getLastUplinkAt()));
      row.put("outageCount", router.getOutageCount());
      row.put("lastOutageSeconds", router.getLastOutageSeconds());
    }
    final ObjectNode result = MAPPER.createObjectNode();
    result.put("count", routers.size());
    result.set("routers", routers);
    return result;
  }

  private JsonNode routerOutages(ToolArguments args) {
    final String router = args.text("router", NODE_ID, NODE_SHAPE, true);
    final Instant now = clock.instant();
    final Instant until = orElse(args.time("until"), now);
    final Instant since = orElse(args.time("since"), until.minus(Duration.ofDays(7)));
    args.check(!since.isAfter(until), "'since' must not be after 'until'");
    args.validate();
    final var outages = MAPPER.createArrayNode();
    long total = 0;
    // outages are stored by start: one that started earlier but ended inside the interval counts too
    for (RouterOutage outage : state.outages(router, Instant.EPOCH, until)) {
      if (outage.getEndedAt().isBefore(since)) {
        continue;
      }
      final ObjectNode row = outages.addObject();
      row.put("startedAt", outage.getStartedAt().toString());
      row.put("endedAt", outage.getEndedAt().toString());
      row.put("durationSeconds", outage.getDurationSeconds());
      row.put("cause", outage.getCause());
      row.put("open", false);
      total += outage.getDurationSeconds();
    }
    final RouterHealthState health = state.router(router).orElse(null);
    if (health != null && health.getOutageStartedAt() != null && health.getOutageStartedAt() <= until.toEpochMilli()) {
      final long seconds = Math.max(0, (now.toEpochMilli() - health.getOutageStartedAt()) / 1000);
      final ObjectNode row = outages.addObject();
      row.put("startedAt", iso(health.getOutageStartedAt()));
      row.putNull("endedAt");
      row.put("durationSeconds", seconds);
      row.put("cause", health.getOutageCause());
      row.put("open", true);
      total += seconds;
    }
    if (health == null && outages.isEmpty()) {
      throw new NotFoundException("router " + router + " is not known to the health job");
    }
    final ObjectNode result = MAPPER.createObjectNode();
    result.put("router", router);
    result.put("since", since.toString());
    result.put("until", until.toString());
    result.put("count", outages.size());
    result.put("totalSeconds", total);
    result.set("outages", outages);
    return result;
  }

  private JsonNode recentAlerts(ToolArguments args) {
    final int limit = args.whole("limit", 1, 500, 20);
    final String router = args.text("router", NODE_ID, NODE_SHAPE, false);
    args.validate();
    final var alerts = MAPPER.createArrayNode();
    state.alerts(router, limit).forEach(alert -> alerts.add(AvroJson.node(alert, alert.getSchema())));
    final ObjectNode result = MAPPER.createObjectNode();
    result.put("count", alerts.size());
    result.set("alerts", alerts);
    return result;
  }

  private JsonNode nodeInfo(ToolArguments args) {
    final String node = args.text("node", NODE_ID, NODE_SHAPE, true);
    args.validate();
    final var found = state.node(node).orElseThrow(() -> new NotFoundException("node " + node + " has not been heard"));
    return AvroJson.node(found, found.getSchema());
  }

  private JsonNode packetHeardBy(ToolArguments args) {
    final String key = args.text("packetKey", PACKET_KEY, "a packet key like !a1b2c3d4/12345", true);
    args.validate();
    final var found = state.heardBy(key).orElseThrow(() -> new NotFoundException("packet " + key
        + " is not known (not heard, still within its deduplication window, or older than the retention)"));
    return AvroJson.node(found, found.getSchema());
  }

  private static String iso(Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
  }

  private static Instant orElse(Instant value, Instant fallback) {
    return value == null ? fallback : value;
  }

  static final class NotFoundException extends RuntimeException {
    NotFoundException(String message) {
      super(message);
    }
  }
}
