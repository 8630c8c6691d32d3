package org.meshflow.launcher.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.embedded.Addresses;
import org.meshflow.launcher.embedded.BrokerAddress;
import org.meshflow.launcher.run.MeshflowBroker;
import org.meshflow.mcp.mqtt.McpMqttServerSettings;

/**
 * How {@code ./meshflow jobs} serves the mesh's state: the address the other instances reach its state
 * endpoint at ({@code --advertised-host}, with the HTTP port), and the broker its {@code meshflow/mesh}
 * MCP server connects to ({@code --mqtt}; no MCP server without it) as {@code --mcp-user}: over TLS for
 * {@code ssl://HOST:PORT}, trusting the certificates of {@code --mqtt-ca} or else the JVM's.
 *
 * @param mqttHost null when no MCP server runs
 */
record McpOptions(String advertisedHost, String mqttHost, int mqttPort, McpMqttServerSettings.Tls tls, String user,
    String password) {

  static final Set<String> NAMES = Set.of("advertised-host", "mqtt", "mqtt-ca", "mcp-user", "mcp-password",
      "mcp-password-file");
  /** What {@code ./meshflow broker} takes: the password of the MCP server's service user. */
  static final Set<String> BROKER_NAMES = Set.of("mcp-password", "mcp-password-file");

  boolean servesMcp() {
    return mqttHost != null;
  }

  static McpOptions parse(Settings s, String bind) {
    final BrokerAddress broker = BrokerAddress.parse(s);
    final String host = broker == null ? null : broker.host();
    final int port = broker == null ? 0 : broker.port();
    final McpMqttServerSettings.Tls tls = broker == null || !broker.overTls() ? null
        : new McpMqttServerSettings.Tls(broker.trust());
    final String user = s.string("mcp-user", MeshflowBroker.MCP_USER);
    final String password = password(s);
    if (s.string("mqtt", null) != null && password == null) {
      s.error("--mqtt needs --mcp-password or --mcp-password-file: the password of the broker user --mcp-user ("
          + user + ") with the mcp-server role");
    }
    return new McpOptions(advertisedHost(s, bind), host, port, tls, user, password);
  }

  /** {@code --mcp-password}, or the first line of {@code --mcp-password-file}; null when neither is given. */
  static String password(Settings s) {
    return s.secret("mcp-password");
  }

  /** The flag, else the bind address, else (bound to every interface) this machine's address. */
  private static String advertisedHost(Settings s, String bind) {
    final String given = s.string("advertised-host", null);
    if (given != null) {
      if (!given.matches("[0-9a-fA-F.:]+|[a-zA-Z0-9.-]+")) {
        s.error("--advertised-host '" + given + "' is not a host name or address");
      }
      return given;
    }
    if (!Addresses.isWildcard(bind)) {
      return bind;
    }
    try {
      return InetAddress.getLocalHost().getHostAddress();
    } catch (UnknownHostException e) {
      s.error("--advertised-host is needed with --bind " + bind + ": this machine's address is unknown (" + e.getMessage()
          + ")");
      return bind;
    }
  }
}
