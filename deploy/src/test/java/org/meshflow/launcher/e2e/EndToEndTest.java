package org.meshflow.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.meshflow.launcher.e2e.HomeAssistant.alerts;
import static org.meshflow.launcher.e2e.HomeAssistant.states;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.launcher.e2e.HomeAssistant.Message;
import org.meshflow.launcher.simulate.SimulateCommand;

/**
 * The whole product as a user meets it: ./meshflow run on free ports with generated credentials, a
 * simulated mesh with a dropped link and a clean disconnect, a router that stays silent, a spoofing
 * gateway; what Home Assistant sees on MQTT and what a Kafka consumer sees in mesh.packets.v1.
 */
class EndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void routersPacketsAlertsAndDiscoveryAsAUserSeesThem(@TempDir Path data) throws Exception {
    try (var meshflow = RunningMeshflow.start(data, "--offline-grace", "2s", "--silence-threshold", "3s")) {
      final int mqtt = meshflow.mqtt;
      final String gatewayPassword = meshflow.password("gateway");
      final List<Message> seen = new CopyOnWriteArrayList<>();
      final var homeAssistant = HomeAssistant.connect(mqtt, "homeassistant", meshflow.password("homeassistant"), seen);

      // a gateway may not publish as another
      final Mqtt5BlockingClient spoofer = MqttClient.builder().useMqttVersion5().identifier("!0000beef")
          .serverHost("127.0.0.1").serverPort(mqtt).simpleAuth().username("gateway")
          .password(gatewayPassword.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
      spoofer.connect();
      Mqtt5PubAckReasonCode spoofResult;
      try {
        spoofResult = ((com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result) spoofer
            .publishWith().topic("msh/US/2/e/LongFast/!0000cafe").qos(MqttQos.AT_LEAST_ONCE)
            .payload(new byte[] {0x1a, 0x09, '!', '0', '0', '0', '0', 'c', 'a', 'f', 'e'}).send())
            .getPubAck().getReasonCode();
      } catch (Mqtt5PubAckException e) {
        spoofResult = e.getMqttMessage().getReasonCode();
      }
      assertThat(spoofResult).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
      // and a router that connects but uplinks nothing goes silent; it stays connected to the end
      final String silentRouter = "!0000beef";

      final Path truthFile = data.resolve("truth.json");
      final int code = new SimulateCommand(new PrintStream(new ByteArrayOutputStream()), System.err).run(new String[] {
          "--mqtt", "tcp://127.0.0.1:" + mqtt, "--username", "gateway", "--password", gatewayPassword,
          "--routers", "3", "--nodes", "20", "--rate", "40", "--duration", "12s", "--seed", "7",
          "--outage", "2@2s+6s", "--outage", "3@3s+5s:clean", "--truth", truthFile.toString()});
      assertThat(code).isZero();
      final JsonNode truth = JSON.readTree(Files.readString(truthFile));
      final String dropped = truth.get("routers").get(1).asText();
      final String cleanlyLeft = truth.get("routers").get(2).asText();

      // each packet once in mesh.packets.v1
      final Set<String> packets = PacketKeys.readUntil(meshflow.bootstrapServers(), truth.get("uniquePackets").asInt());
      assertThat(packets.size()).isBetween(truth.get("uniquePackets").asInt(),
          truth.get("uniquePackets").asInt() + truth.get("unconfirmedPackets").asInt());

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        // (when the simulation ends its routers leave cleanly: more OFFLINE alerts may follow these)
        assertThat(alerts(seen, dropped, "ROUTER_OFFLINE")).first()
            .satisfies(a -> assertThat(a.get("details").get("cause").asText()).isEqualTo("CONNECTION_LOST"));
        assertThat(alerts(seen, dropped, "ROUTER_RECOVERED")).hasSize(1);
        assertThat(alerts(seen, cleanlyLeft, "ROUTER_OFFLINE")).first()
            .satisfies(a -> assertThat(a.get("details").get("cause").asText()).isEqualTo("GRACEFUL"));
        assertThat(alerts(seen, cleanlyLeft, "ROUTER_RECOVERED")).hasSize(1);
        assertThat(alerts(seen, silentRouter, "ROUTER_SILENT")).isNotEmpty();
      });
      final JsonNode recovered = alerts(seen, dropped, "ROUTER_RECOVERED").get(0);
      assertThat(recovered.get("outageSeconds").asLong()).isBetween(4L, 10L);
      assertThat(recovered.get("at").asText()).endsWith("Z");
      assertThat(recovered.get("severity").asText()).isNotBlank();

      assertThat(states(seen, dropped)).contains("offline", "online");
      assertThat(states(seen, silentRouter)).contains("silent");
      for (JsonNode router : truth.get("routers")) {
        final var config = HomeAssistant.discovery(seen, router.asText());
        assertThat(config).as("discovery of %s", router).isPresent();
        assertThat(config.get().retained()).isFalse(); // live delivery; a late subscriber gets it retained
        assertThat(JSON.readTree(config.get().payload()).get("device_class").asText()).isEqualTo("connectivity");
      }
      assertThat(seen).as("Meshflow's availability, which every discovered entity names")
          .contains(new Message("meshflow/status", "online", true));

      // Home Assistant restarted: its birth message brings every discovery config again
      final long configsBefore = seen.stream().filter(m -> m.topic().endsWith("/connectivity/config")).count();
      homeAssistant.client().publishWith().topic("homeassistant/status").payload("online".getBytes(StandardCharsets.UTF_8))
          .qos(MqttQos.AT_LEAST_ONCE).send();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        for (JsonNode router : truth.get("routers")) {
          assertThat(seen.stream().filter(m -> m.topic().equals("homeassistant/binary_sensor/meshflow_"
              + router.asText().substring(1) + "/connectivity/config")).count()).as("%s announced again", router)
              .isGreaterThanOrEqualTo(2);
        }
      });
      assertThat(seen.stream().filter(m -> m.topic().endsWith("/connectivity/config")).count())
          .isGreaterThan(configsBefore);
      spoofer.disconnect();
      homeAssistant.close();
    }
  }
}
