package org.meshflow.jobs.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.meshflow.jobs.StreamJobs;
import org.meshflow.jobs.state.MeshState;
import org.meshflow.mcp.mqtt.McpMqttServerSettings;
import org.meshflow.mcp.mqtt.McpMqttServerTransportProvider;

/**
 * The {@code meshflow/mesh} MCP server: the mesh's state as MCP tools over MQTT, on the broker the
 * mesh uses. Every jobs process runs one, with its own server id.
 */
public final class MeshMcpServer implements AutoCloseable {
  public static final String SERVER_NAME = "meshflow/mesh";
  static final String DESCRIPTION = "Meshtastic mesh state from Meshflow: routers and their outages, recent alerts, "
      + "nodes, and which gateways heard a packet. Tools: list_routers, router_outages, recent_alerts, node_info, "
      + "packet_heard_by.";

  private final McpMqttServerTransportProvider transport;
  private final McpSyncServer server;

  private MeshMcpServer(McpMqttServerTransportProvider transport, McpSyncServer server) {
    this.transport = transport;
    this.server = server;
  }

  /** A server id unique to this process, as the spec requires of MQTT client ids. */
  public static String newServerId() {
    return "meshflow-mcp-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Connects to the broker as the given user and serves the jobs' state (of every instance) until closed. */
  public static MeshMcpServer start(StreamJobs jobs, String host, int port, String username, String password,
      String serverId) {
    return start(create(jobs.state(), host, port, username, password, serverId));
  }

  /** @param jobs the running job of a name ({@code health}, {@code nodes}, {@code state}) in this process */
  public static MeshMcpServer start(Function<String, KafkaStreams> jobs, String host, int port, String username,
      String password, String serverId) {
    return start(create(MeshState.local(jobs), host, port, username, password, serverId));
  }

  /**
   * Like {@link #start(StreamJobs, String, int, String, String, String)}, but returns at once and goes
   * online whenever the broker answers (a broker that starts after the jobs, or restarts).
   */
  public static MeshMcpServer connectInBackground(StreamJobs jobs, String host, int port, String username,
      String password, String serverId) {
    return connectInBackground(jobs, host, port, null, username, password, serverId);
  }

  /** As above, over TLS unless {@code tls} is null. */
  public static MeshMcpServer connectInBackground(StreamJobs jobs, String host, int port,
      McpMqttServerSettings.Tls tls, String username, String password, String serverId) {
    final MeshMcpServer server = create(jobs.state(), host, port, tls, username, password, serverId);
    server.transport.startInBackground();
    return server;
  }

  private static MeshMcpServer create(MeshState state, String host, int port, String username, String password,
      String serverId) {
    return create(state, host, port, null, username, password, serverId);
  }

  private static MeshMcpServer create(MeshState state, String host, int port, McpMqttServerSettings.Tls tls,
      String username, String password, String serverId) {
    final var json = new JacksonMcpJsonMapper(new ObjectMapper());
    final var settings = new McpMqttServerSettings(host, port, username, password, serverId, SERVER_NAME, DESCRIPTION,
        Map.of("implementation", "meshflow", "version", version()), Duration.ofSeconds(30), tls);
    final var transport = new McpMqttServerTransportProvider(settings, json);
    final var tools = new MeshTools(state, json, Clock.systemUTC());
    final McpSyncServer server = McpServer.sync(transport).serverInfo("meshflow-mesh", version()).jsonMapper(json)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .requestTimeout(Duration.ofSeconds(60)).tools(tools.all())
        // the tools check their arguments against the same rules and report every problem in one message
        .validateToolInputs(false).build();
    return new MeshMcpServer(transport, server);
  }

  private static MeshMcpServer start(MeshMcpServer server) {
    try {
      server.transport.start();
    } catch (RuntimeException e) {
      server.server.close();
      throw e;
    }
    return server;
  }

  public String serverId() {
    return transport.topics().serverId();
  }

  private static String version() {
    final String version = MeshMcpServer.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  @Override
  public void close() {
    server.closeGracefully();
  }
}
