package org.meshflow.mcp.mqtt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where and as whom an MCP server instance connects, and what it announces.
 *
 * @param serverId this instance's MQTT client id, unique among all clients of the broker
 * @param serverName shared by all instances of the server, hierarchical ({@code meshflow/mesh})
 * @param description the short text of the presence message (what the server offers)
 * @param meta the presence message's {@code meta} object (and the CONNECT's {@code MCP-META})
 * @param username null to connect without credentials
 * @param tls null to connect over plain TCP
 */
public record McpMqttServerSettings(String host, int port, String username, String password, String serverId,
    String serverName, String description, Map<String, Object> meta, Duration timeout, Tls tls) {

  /**
   * MQTT over TLS to the broker.
   *
   * @param trust the certificates to trust, or null for the JVM's default trust store
   */
  public record Tls(TrustManagerFactory trust) {
    public static Tls withJvmTrust() {
      return new Tls(null);
    }
  }

  /** Over plain TCP. */
  public McpMqttServerSettings(String host, int port, String username, String password, String serverId,
      String serverName, String description, Map<String, Object> meta, Duration timeout) {
    this(host, port, username, password, serverId, serverName, description, meta, timeout, null);
  }

  public McpMqttServerSettings {
    meta = meta == null ? Map.of() : Map.copyOf(meta);
    final var problems = new ArrayList<String>();
    if (host == null || host.isBlank()) {
      problems.add("host is empty");
    }
    if (port < 1 || port > 65535) {
      problems.add("port " + port + " is not between 1 and 65535");
    }
    add(problems, McpTopics.idProblem("server id", serverId));
    add(problems, McpTopics.serverNameProblem(serverName));
    if (description == null || description.isBlank()) {
      problems.add("description is empty");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      problems.add("timeout must be positive");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("MCP over MQTT: " + String.join("; ", problems));
    }
  }

  private static void add(List<String> problems, String problem) {
    if (problem != null) {
      problems.add(problem);
    }
  }

  @Override
  public String toString() {
    return "McpMqttServerSettings[" + (tls == null ? "tcp://" : "ssl://") + host + ":" + port + ", user " + username + ", " + serverId + "/" + serverName + "]";
  }
}
