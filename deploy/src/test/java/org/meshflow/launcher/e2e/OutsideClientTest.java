package org.meshflow.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * registry (src/test/python/outside_check.py). .ci/run installs python3-paho-mqtt,
 * python3-confluent-kafka and python3-avro; elsewhere the test is skipped when they are missing.
 */
class OutsideClientTest {
  private static final Path SCRIPT = Path.of("src", "test", "python", "outside_check.py");
  private static final String GATEWAY = "!00002001";
  private static final int NODE = 0x0000bbbb;

  @Test
  void pahoAndConfluentsPythonClientSeeWhatTheContractPromises(@TempDir Path data) throws Exception {
    final String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    assumeTrue(modulesPresent(python) || "true".equals(System.getenv("CI")),
        "python3 with paho-mqtt, confluent-kafka and avro is not installed (.ci/run installs them)");

    try (var meshflow = RunningMeshflow.start(data)) {
      final var command = new ArrayList<>(List.of(python, SCRIPT.toString(), String.valueOf(meshflow.mqtt),
          String.valueOf(meshflow.kafka), String.valueOf(meshflow.registry), meshflow.password("gateway"),
          meshflow.password("homeassistant"), GATEWAY));
      IntStream.rangeClosed(1, 3)
          .forEach(id -> command.add(HexFormat.of().formatHex(TextUplinks.envelope(NODE, id, GATEWAY))));
      final Path errors = data.resolve("outside-check.err");
      final Process check = new ProcessBuilder(command).redirectError(errors.toFile()).start();
      final String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(check.waitFor(3, TimeUnit.MINUTES)).isTrue();
      assertThat(check.exitValue()).as("outside check said: %s%s", output, Files.readString(errors)).isZero();

      final JsonNode seen = new ObjectMapper().readTree(output);
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
    }
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
