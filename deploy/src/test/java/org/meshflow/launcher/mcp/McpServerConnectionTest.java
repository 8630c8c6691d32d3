package org.meshflow.launcher.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.jobs.mcp.MeshMcpServer;
import org.meshflow.launcher.embedded.EmbeddedMqttBroker;
import org.meshflow.launcher.embedded.FreePorts;

/**
 * The parts of the conformance list (MCP-OVER-MQTT.md section 5) that need the broker to act: a server
 * whose network dies (A.4: its will clears its presence) and a broker that names the server in CONNACK
 * (G.23: the server uses that name in all its topics). A plain embedded HiveMQ whose test extension adds
 * {@code MCP-SERVER-NAME} to the CONNACK of clients whose id starts with {@code renamed-}.
 */
class McpServerConnectionTest {
  private static final String NAME = MeshMcpServer.SERVER_NAME;
  private static final String BROKER_NAME = "meshflow/renamed";

  @TempDir static Path home;
  private static EmbeddedMqttBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    final var extension = EmbeddedExtension.builder().withId("mcp-naming").withName("MCP naming").withVersion("1")
        .withPriority(0).withStartPriority(1000).withExtensionMain(new NamingExtension()).build();
    broker = EmbeddedMqttBroker.start(home, "127.0.0.1", FreePorts.pick(), false, extension);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /** Suggests a server name to the MCP servers it is meant for, as an MCP-aware broker would. */
  static final class NamingExtension implements ExtensionMain {
    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
      Services.interceptorRegistry().setConnackOutboundInterceptorProvider(provider -> (connack, out) -> {
        if (connack.getClientInformation().getClientId().startsWith("renamed-")) {
          out.getConnackPacket().getUserProperties().addUserProperty("MCP-SERVER-NAME", BROKER_NAME);
        }
      });
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}
  }

  private static SpecClient client() {
    return new SpecClient(broker.port(), "anyone", "-", "c-" + UUID.randomUUID().toString().replace("-", ""));
  }

  @Test
  void aServerWhoseConnectionDiesIsClearedByItsWill() throws Exception {
    final String crashing = "crashing-" + UUID.randomUUID().toString().substring(0, 8);
    final String topic = "$mcp-server/presence/" + crashing + "/" + NAME;
    try (var observer = client(); var relay = new TcpRelay(broker.port());
        var steady = MeshMcpServer.start(job -> null, "127.0.0.1", broker.port(), null, null, "steady-1")) {
      observer.subscribe("$mcp-server/presence/+/meshflow/#", false);
      try (var server = MeshMcpServer.start(job -> null, "127.0.0.1", relay.port(), null, null, crashing)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> observer.on(topic).size() == 1);
        relay.cut(); // no DISCONNECT: the broker publishes the server's will
        await().atMost(Duration.ofSeconds(60)).until(() -> observer.on(topic).size() == 2);
        assertThat(observer.on(topic).get(1).payload()).isEmpty();
        try (var late = client()) {
          late.subscribe("$mcp-server/presence/+/meshflow/#", false);
          await().atMost(Duration.ofSeconds(30))
              .until(() -> !late.on("$mcp-server/presence/steady-1/" + NAME).isEmpty());
          assertThat(late.on(topic)).as("retained presence of the dead server").isEmpty();
        }
      }
    }
  }

  @Test
  void aServerNamedByTheBrokerUsesThatNameInAllItsTopics() throws Exception {
    final String sid = "renamed-" + UUID.randomUUID().toString().substring(0, 8);
    try (var client = client()) {
      client.subscribe("$mcp-server/presence/" + sid + "/#", false);
      final var server = MeshMcpServer.start(job -> null, "127.0.0.1", broker.port(), null, null, sid);
      try {
        final String presence = "$mcp-server/presence/" + sid + "/" + BROKER_NAME;
        await().atMost(Duration.ofSeconds(30)).until(() -> !client.on(presence).isEmpty());
        assertThat(client.on(presence).get(0).json().at("/params/server_name").asText()).isEqualTo(BROKER_NAME);
        assertThat(client.received).extracting(SpecClient.Received::topic).containsOnly(presence);

        client.sendInitialize(sid, BROKER_NAME, "init", "2025-06-18");
        final String rpc = SpecClient.rpc(client.clientId, sid, BROKER_NAME);
        await().atMost(Duration.ofSeconds(30)).until(() -> !client.responses(rpc, "init").isEmpty());
        client.publish(rpc, SpecClient.notification("notifications/initialized"), true, MqttQos.AT_LEAST_ONCE);
        client.publish(rpc, SpecClient.request(2, "tools/list", null), true, MqttQos.AT_LEAST_ONCE);
        await().atMost(Duration.ofSeconds(30)).until(() -> !client.responses(rpc, 2).isEmpty());
        final JsonNode tools = client.responses(rpc, 2).get(0).json().at("/result/tools");
        assertThat(tools.findValuesAsText("name")).contains("list_routers");
      } finally {
        server.close();
      }
      final String presence = "$mcp-server/presence/" + sid + "/" + BROKER_NAME;
      await().atMost(Duration.ofSeconds(30)).until(() -> client.on(presence).size() == 2);
      assertThat(client.on(presence).get(1).payload()).as("cleared under the name the broker gave").isEmpty();
      assertThat(client.on("$mcp-server/presence/" + sid + "/" + NAME)).isEmpty();
    }
  }
}
