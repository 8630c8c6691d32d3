package org.meshflow.mcp.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class McpTopicsTest {
  private final McpTopics topics = new McpTopics("srv-1", "meshflow/mesh");

  @Test
  void laysOutTheTopicsOfTheSpecification() {
    assertThat(topics.control()).isEqualTo("$mcp-server/srv-1/meshflow/mesh");
    assertThat(topics.presence()).isEqualTo("$mcp-server/presence/srv-1/meshflow/mesh");
    assertThat(topics.capability()).isEqualTo("$mcp-server/capability/srv-1/meshflow/mesh");
    assertThat(topics.rpc("c-1")).isEqualTo("$mcp-rpc/c-1/srv-1/meshflow/mesh");
    assertThat(topics.clientPresence("c-1")).isEqualTo("$mcp-client/presence/c-1");
    assertThat(topics.clientCapability("c-1")).isEqualTo("$mcp-client/capability/c-1");
  }

  @Test
  void findsTheClientOfItsOwnRpcTopicsOnly() {
    assertThat(topics.clientOfRpc("$mcp-rpc/c-1/srv-1/meshflow/mesh")).contains("c-1");
    assertThat(topics.clientOfRpc("$mcp-rpc/c-1/srv-2/meshflow/mesh")).isEmpty();
    assertThat(topics.clientOfRpc("$mcp-rpc/a/b/srv-1/meshflow/mesh")).isEmpty();
    assertThat(McpTopics.clientOf("$mcp-client/presence/c-9", McpTopics.CLIENT_PRESENCE_ROOT)).contains("c-9");
    assertThat(McpTopics.clientOf("$mcp-client/presence/c/9", McpTopics.CLIENT_PRESENCE_ROOT)).isEmpty();
  }

  @Test
  void refusesNamesThatBreakTopics() {
    assertThat(McpTopics.serverNameProblem("mesh")).contains("levels separated by '/'");
    assertThat(McpTopics.serverNameProblem("/meshflow/mesh")).contains("not start");
    assertThat(McpTopics.serverNameProblem("meshflow/#")).contains("'+' or '#'");
    assertThatThrownBy(() -> new McpTopics("a/b", "meshflow/mesh")).hasMessageContaining("server id 'a/b'");
  }

  @Test
  void settingsReportEveryProblemAtOnce() {
    assertThatThrownBy(() -> new McpMqttServerSettings("", 0, null, null, "x+y", "mesh", " ", null,
        java.time.Duration.ofSeconds(1)))
        .hasMessageContaining("host is empty").hasMessageContaining("port 0")
        .hasMessageContaining("server id 'x+y'").hasMessageContaining("server name 'mesh'")
        .hasMessageContaining("description is empty");
  }
}
