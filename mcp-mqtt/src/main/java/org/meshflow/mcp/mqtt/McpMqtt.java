package org.meshflow.mcp.mqtt;

/** Names the MCP-over-MQTT specification fixes: user properties, component types, transport-level methods. */
public final class McpMqtt {
  /** CONNECT and every PUBLISH: {@code mcp-server} or {@code mcp-client}. */
  public static final String COMPONENT_TYPE = "MCP-COMPONENT-TYPE";
  /** Every PUBLISH: the sender's MQTT client id. */
  public static final String MQTT_CLIENT_ID = "MCP-MQTT-CLIENT-ID";
  /** CONNECT: a JSON object describing the component. */
  public static final String META = "MCP-META";
  /** CONNACK (optional): the server name the broker wants this server to use. */
  public static final String SERVER_NAME = "MCP-SERVER-NAME";
  public static final String SERVER = "mcp-server";
  public static final String CLIENT = "mcp-client";
  public static final String SERVER_ONLINE = "notifications/server/online";
  public static final String DISCONNECTED = "notifications/disconnected";

  private McpMqtt() {}
}
