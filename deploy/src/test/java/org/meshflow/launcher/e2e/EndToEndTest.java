package org.meshflow.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.launcher.run.RunCommand;
import org.meshflow.launcher.simulate.SimulateCommand;

/**
 * The whole product as a user meets it: ./meshflow run on free ports with generated credentials, a
 * simulated mesh with a dropped link and a clean disconnect, a router that stays silent, a spoofing
 * gateway; what Home Assistant sees on MQTT and what a Kafka consumer sees in mesh.packets.v1.
 */
class EndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern READY = Pattern.compile("meshflow ready mqtt=(\\d+) kafka=(\\d+) registry=(\\d+) http=(\\d+)");

  private record Message(String topic, String payload, boolean retained) {}

  @Test
  void routersPacketsAlertsAndDiscoveryAsAUserSeesThem(@TempDir Path data) throws Exception {
    final var out = new ByteArrayOutputStream();
    final var err = new ByteArrayOutputStream();
    final var run = new RunCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      run.run(new String[] {"--data", data.toString(), "--mqtt-port", "0", "--kafka-port", "0", "--registry-port", "0",
          "--http-port", "0", "--offline-grace", "2s", "--silence-threshold", "3s"}, false);
      final Matcher ready = READY.matcher(out.toString(StandardCharsets.UTF_8));
      assertThat(ready.find()).as("ready line in %s", out).isTrue();
      final int mqtt = Integer.parseInt(ready.group(1));
      final int kafka = Integer.parseInt(ready.group(2));
      final String log = err.toString(StandardCharsets.UTF_8);
      final String gatewayPassword = password(log, "gateway");
      final String readerPassword = password(log, "homeassistant");

      final List<Message> seen = new CopyOnWriteArrayList<>();
      final Mqtt5BlockingClient homeAssistant = MqttClient.builder().useMqttVersion5().identifier("home-assistant")
          .serverHost("127.0.0.1").serverPort(mqtt).simpleAuth().username("homeassistant")
          .password(readerPassword.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
      homeAssistant.connect();
      for (String filter : List.of("meshflow/#", "homeassistant/#")) {
        homeAssistant.toAsync().subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
            .callback(p -> seen.add(new Message(p.getTopic().toString(),
                new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8), p.isRetain()))).send().join();
      }

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
      final Set<String> packets = new HashSet<>();
      try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", "127.0.0.1:" + kafka,
          "group.id", "e2e-check", "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
          new StringDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of("mesh.packets.v1"));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          consumer.poll(Duration.ofMillis(300)).forEach(r -> assertThat(packets.add(r.key())).as("duplicate %s", r.key()).isTrue());
          return packets.size() >= truth.get("uniquePackets").asInt();
        });
        consumer.poll(Duration.ofSeconds(2)).forEach(r -> assertThat(packets.add(r.key())).as("duplicate %s", r.key()).isTrue());
      }
      assertThat(packets.size()).isBetween(truth.get("uniquePackets").asInt(),
          truth.get("uniquePackets").asInt() + truth.get("unconfirmedPackets").asInt());

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(alerts(seen, dropped, "ROUTER_OFFLINE")).hasSize(1);
        assertThat(alerts(seen, dropped, "ROUTER_RECOVERED")).hasSize(1);
        assertThat(alerts(seen, cleanlyLeft, "ROUTER_OFFLINE")).hasSize(1);
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
        final String hex = router.asText().substring(1);
        final var config = seen.stream().filter(m -> m.topic()
            .equals("homeassistant/binary_sensor/meshflow_" + hex + "/connectivity/config")).findFirst();
        assertThat(config).as("discovery of %s", router).isPresent();
        assertThat(config.get().retained()).isFalse(); // live delivery; a late subscriber gets it retained
        assertThat(JSON.readTree(config.get().payload()).get("device_class").asText()).isEqualTo("connectivity");
      }
      spoofer.disconnect();
      homeAssistant.disconnect();
    } finally {
      run.stop();
    }
  }

  private static String password(String log, String user) {
    final Matcher m = Pattern.compile("user name '" + user + "' and password '([^']+)'").matcher(log);
    assertThat(m.find()).as("password of %s printed in %s", user, log).isTrue();
    return m.group(1);
  }

  private static List<JsonNode> alerts(List<Message> seen, String router, String type) {
    return seen.stream().filter(m -> m.topic().equals("meshflow/alerts/" + router)).map(m -> {
      try {
        return JSON.readTree(m.payload());
      } catch (Exception e) {
        throw new AssertionError("alert is not JSON: " + m.payload(), e);
      }
    }).filter(a -> a.get("type").asText().equals(type)).toList();
  }

  private static List<String> states(List<Message> seen, String router) {
    return seen.stream().filter(m -> m.topic().equals("meshflow/routers/" + router + "/state")).map(Message::payload)
        .toList();
  }

}
