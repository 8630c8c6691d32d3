package org.meshflow.mcp.mqtt;

import java.util.Optional;

/**
 * The topics of one MCP server instance ({@code serverId}) of a server name, as the MCP-over-MQTT
 * specification lays them out.
 */
public record McpTopics(String serverId, String serverName) {
  static final String SERVER_ROOT = "$mcp-server/";
  static final String PRESENCE_ROOT = "$mcp-server/presence/";
  static final String CAPABILITY_ROOT = "$mcp-server/capability/";
  static final String RPC_ROOT = "$mcp-rpc/";
  static final String CLIENT_PRESENCE_ROOT = "$mcp-client/presence/";
  static final String CLIENT_CAPABILITY_ROOT = "$mcp-client/capability/";

  public McpTopics {
    final String idProblem = idProblem("server id", serverId);
    if (idProblem != null) {
      throw new IllegalArgumentException(idProblem);
    }
    final String nameProblem = serverNameProblem(serverName);
    if (nameProblem != null) {
      throw new IllegalArgumentException(nameProblem);
    }
  }

  /** Why {@code name} cannot be a server name (hierarchical, at least one '/', no wildcards), or null. */
  public static String serverNameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return "server name is empty";
    }
    if (name.contains("+") || name.contains("#")) {
      return "server name '" + name + "' must not contain '+' or '#'";
    }
    if (!name.contains("/") || name.startsWith("/") || name.endsWith("/")) {
      return "server name '" + name + "' must have levels separated by '/' (e.g. type/name), not start or end with '/'";
    }
    return null;
  }

  /** Why {@code id} cannot be a server or client id (it becomes one topic level), or null. */
  public static String idProblem(String what, String id) {
    if (id == null || id.isEmpty()) {
      return what + " is empty";
    }
    if (id.contains("/") || id.contains("+") || id.contains("#")) {
      return what + " '" + id + "' must not contain '/', '+' or '#'";
    }
    return null;
  }

  public String control() {
    return SERVER_ROOT + serverId + "/" + serverName;
  }

  public String presence() {
    return PRESENCE_ROOT + serverId + "/" + serverName;
  }

  public String capability() {
    return CAPABILITY_ROOT + serverId + "/" + serverName;
  }

  public String rpc(String clientId) {
    return RPC_ROOT + clientId + "/" + serverId + "/" + serverName;
  }

  public String clientPresence(String clientId) {
    return CLIENT_PRESENCE_ROOT + clientId;
  }

  public String clientCapability(String clientId) {
    return CLIENT_CAPABILITY_ROOT + clientId;
  }

  /** The client id in one of this instance's RPC topics. */
  public Optional<String> clientOfRpc(String topic) {
    final String suffix = "/" + serverId + "/" + serverName;
    if (!topic.startsWith(RPC_ROOT) || !topic.endsWith(suffix)) {
      return Optional.empty();
    }
    final String clientId = topic.substring(RPC_ROOT.length(), topic.length() - suffix.length());
    return idProblem("client id", clientId) == null ? Optional.of(clientId) : Optional.empty();
  }

  /** The client id in a client presence or capability topic. */
  public static Optional<String> clientOf(String topic, String root) {
    if (!topic.startsWith(root)) {
      return Optional.empty();
    }
    final String clientId = topic.substring(root.length());
    return idProblem("client id", clientId) == null ? Optional.of(clientId) : Optional.empty();
  }
}
