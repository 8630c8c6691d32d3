package org.meshflow.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.meshtastic.NodeId;

/**
 * Meshflow as a client written only from the contract meets it: Python's paho publishes as a gateway
 * and subscribes as Home Assistant; Confluent's Python Kafka client reads the topics through the
 * registry (src/test/python/outside_check.py); an MCP-over-MQTT client written from the transport's
 * specification discovers, initializes and calls the meshflow/mesh tools (src/test/python/mcp_outside_check.py).
 * .ci/run installs python3-paho-mqtt,
 * python3-confluent-kafka and python3-avro; elsewhere the test is skipped when they are missing.
 */
class OutsideClientTest {
  private static final Path SCRIPT = Path.of("src", "test", "python", "outside_check.py");
  private static final Path MCP_SCRIPT = Path.of("src", "test", "python", "mcp_outside_check.py");
  private static final String GATEWAY = "!00002001";
  private static final int NODE = 0x0000bbbb;

  @Test
  void pahoAndConfluentsPythonClientSeeWhatTheContractPromises(@TempDir Path data) throws Exception {
    final String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    assumeTrue(modulesPresent(python) || "true".equals(System.getenv("CI")),
        "python3 with paho-mqtt, confluent-kafka and avro is not installed (.ci/run installs them)");

    try (var meshflow = RunningMeshflow.start(data)) {
      final var args = new ArrayList<>(List.of(SCRIPT.toString(), String.valueOf(meshflow.mqtt),
          String.valueOf(meshflow.kafka), String.valueOf(meshflow.registry), meshflow.password("gateway"),
          meshflow.password("homeassistant"), GATEWAY));
      IntStream.rangeClosed(1, 3)
          .forEach(id -> args.add(HexFormat.of().formatHex(TextUplinks.envelope(NODE, id, GATEWAY))));
      final JsonNode seen = runPython(python, data, "outside-check", args.toArray(String[]::new));
      assertThat(seen.get("acked").asInt()).isEqualTo(3);
      assertThat(seen.get("packetKeys")).extracting(JsonNode::asText)
          .containsExactly(NodeId.of(NODE) + "/1", NodeId.of(NODE) + "/2", NodeId.of(NODE) + "/3");
      assertThat(seen.get("packetFroms")).extracting(JsonNode::asText).containsExactly(NodeId.of(NODE));
      assertThat(seen.get("routerState").asText()).isEqualTo("ONLINE");
      final JsonNode homeAssistant = seen.get("homeAssistant");
      assertThat(homeAssistant.get("state").asText()).isEqualTo("online");
      assertThat(homeAssistant.get("stateRetained").asBoolean()).isTrue();
      assertThat(homeAssistant.get("discovery").get("device_class").asText()).isEqualTo("connectivity");
      assertThat(homeAssistant.get("discovery").get("state_topic").asText())
          .isEqualTo("meshflow/routers/" + GATEWAY + "/state");

      // an MCP client written from the transport's specification alone, as Home Assistant's user
      final JsonNode mcp = runPython(python, data, "mcp-outside-check", MCP_SCRIPT.toString(),
          String.valueOf(meshflow.mqtt), "homeassistant", meshflow.password("homeassistant"), GATEWAY);
      assertThat(mcp.get("serverName").asText()).isEqualTo("meshflow/mesh");
      assertThat(mcp.get("presenceRetained").asBoolean()).isTrue();
      assertThat(mcp.get("presenceMethod").asText()).isEqualTo("notifications/server/online");
      assertThat(mcp.get("description").asText()).isNotBlank();
      assertThat(mcp.get("protocolVersion").asText()).isEqualTo("2025-06-18");
      assertThat(mcp.get("responseProperties").get("MCP-COMPONENT-TYPE").asText()).isEqualTo("mcp-server");
      assertThat(mcp.get("responseProperties").get("MCP-MQTT-CLIENT-ID").asText())
          .isEqualTo(mcp.get("serverId").asText());
      assertThat(mcp.get("tools")).extracting(JsonNode::asText).containsExactly("list_routers", "node_info",
          "packet_heard_by", "recent_alerts", "router_outages");
      // the gateway of the first check uplinked, then left when its script ended (which the health job may
      // or may not have heard yet): known, with its last uplink
      assertThat(mcp.get("router").get("router").asText()).isEqualTo(GATEWAY);
      assertThat(mcp.get("router").get("state").asText()).isIn("online", "offline");
      assertThat(Instant.parse(mcp.get("router").get("lastUplinkAt").asText())).isBefore(Instant.now());
      assertThat(mcp.get("unknownTool").asBoolean()).isTrue();
      assertThat(mcp.get("badArgumentsIsError").asBoolean()).isTrue();
      assertThat(mcp.get("ping").isObject()).isTrue();
    }
  }

  /** Runs a check script to its end and reads the one JSON object it prints. */
  private static JsonNode runPython(String python, Path data, String name, String... args) throws Exception {
    final var command = new ArrayList<>(List.of(python));
    command.addAll(List.of(args));
    final Path errors = data.resolve(name + ".err");
    final Process check = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    final String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(check.exitValue()).as("%s said: %s%s", name, output, Files.readString(errors)).isZero();
    return new ObjectMapper().readTree(output);
  }

  private static boolean modulesPresent(String python) {
    try {
      final Process probe = new ProcessBuilder(python, "-c", "import paho.mqtt.client, confluent_kafka.avro")
          .redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
