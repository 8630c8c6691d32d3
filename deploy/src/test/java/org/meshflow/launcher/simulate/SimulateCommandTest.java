package org.meshflow.launcher.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.launcher.embedded.EmbeddedMqttBroker;
import org.meshflow.launcher.embedded.FreePorts;
import org.meshflow.meshtastic.ChannelKeys;
import org.meshflow.meshtastic.DecodeOutcome;
import org.meshflow.meshtastic.MeshtasticCodec;

class SimulateCommandTest {

  @Test
  void whatTheBrokerReceivesMatchesTheGroundTruth(@TempDir Path home) throws Exception {
    final int port = FreePorts.pick();
    try (var broker = EmbeddedMqttBroker.start(home, "127.0.0.1", port, false, null)) {
      final Mqtt5BlockingClient subscriber = MqttClient.builder().useMqttVersion5().identifier("observer")
          .serverHost("127.0.0.1").serverPort(port).buildBlocking();
      subscriber.connect();
      final var codec = new MeshtasticCodec(ChannelKeys.defaults());
      final Set<String> packetKeys = ConcurrentHashMap.newKeySet();
      final Map<String, AtomicLong> copies = new ConcurrentHashMap<>();
      final AtomicLong uplinks = new AtomicLong();
      final AtomicLong undecryptable = new AtomicLong();
      subscriber.toAsync().subscribeWith().topicFilter("msh/#").qos(MqttQos.AT_LEAST_ONCE).callback(publish -> {
        uplinks.incrementAndGet();
        final var outcome = codec.decode(publish.getTopic().toString(), publish.getPayloadAsBytes(), Instant.now());
        if (outcome instanceof DecodeOutcome.Decoded decoded) {
          packetKeys.add(decoded.reception().getPacketKey());
          copies.computeIfAbsent(decoded.reception().getPacketKey(), k -> new AtomicLong()).incrementAndGet();
          if (decoded.reception().getEncrypted() && !decoded.reception().getDecrypted()) {
            undecryptable.incrementAndGet();
          }
        }
      }).send().join();

      final Path truthFile = home.resolve("truth.json");
      final var out = new ByteArrayOutputStream();
      final int code = new SimulateCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err).run(new String[] {
          "--mqtt", "tcp://127.0.0.1:" + port, "--routers", "4", "--nodes", "30", "--rate", "300",
          "--duration", "3s", "--seed", "42", "--outage", "2@1s+1s", "--truth", truthFile.toString()});

      assertThat(code).isZero();
      final JsonNode truth = new ObjectMapper().readTree(Files.readString(truthFile));
      await().atMost(Duration.ofSeconds(20)).until(() -> uplinks.get() >= truth.get("uplinks").asLong());
      assertThat(uplinks.get()).isEqualTo(truth.get("uplinks").asLong());
      // a copy in flight when a link drops may reach the broker without its PUBACK coming back
      assertThat(truth.get("acknowledged").asLong()).isBetween(truth.get("uplinks").asLong() - 64, truth.get("uplinks").asLong());
      assertThat(packetKeys.size()).isBetween(truth.get("uniquePackets").asInt(),
          truth.get("uniquePackets").asInt() + truth.get("unconfirmedPackets").asInt());
      assertThat(undecryptable.get()).isZero();
      assertThat(copies.values()).anyMatch(n -> n.get() > 1);
      assertThat(truth.get("outages")).hasSize(1);
      assertThat(truth.get("outages").get(0).get("router").asText()).isEqualTo(truth.get("routers").get(1).asText());
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("unique packets").contains("outage");
      subscriber.disconnect();
    }
  }
}
