package org.meshflow.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.launcher.UsageException;
import org.meshflow.launcher.run.Lifecycle;
import org.meshflow.launcher.run.MeshTopics;
import org.meshflow.records.MqttUplink;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.RegistryHttpServer;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;

/** {@code ./meshflow broker} and {@code ./meshflow jobs} against an external Kafka, as an operator runs them. */
class BrokerCommandTest {
  private static final Pattern READY = Pattern.compile("meshflow ready broker mqtt=(\\d+) kafka=\\S+ http=(\\d+)");

  @Test
  void aGatewaysPublishReachesKafkaThroughTheBrokerCommand(@TempDir Path data) throws Exception {
    final var registry = new InMemorySchemaRegistry();
    try (var kafka = EmbeddedKafka.start(); var server = RegistryHttpServer.start(registry, "127.0.0.1", 0, "")) {
      MeshTopics.createMissing(kafka.bootstrapServers(), 1, (short) 1, new Lifecycle(System.out, System.err));
      final var out = new ByteArrayOutputStream();
      final var broker = new BrokerCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
      try {
        broker.run(new String[] {"--kafka", kafka.bootstrapServers(), "--registry", server.url(), "--mqtt-port", "0",
            "--http-port", "0", "--data", data.toString(), "--allow-anonymous"}, false);
        final var ready = READY.matcher(out.toString(StandardCharsets.UTF_8));
        assertThat(ready.find()).as("ready line in %s", out).isTrue();

        final var gateway = MqttClient.builder().useMqttVersion5().identifier("!0000beef").serverHost("127.0.0.1")
            .serverPort(Integer.parseInt(ready.group(1))).buildBlocking();
        gateway.connect();
        gateway.publishWith().topic(MeshTraffic.topic("!0000beef")).qos(MqttQos.AT_LEAST_ONCE)
            .payload(MeshTraffic.envelope("!0000beef", 0xa0000001, 7, java.time.Instant.now())).send();
        gateway.disconnect();

        final var uplinks = new ArrayList<MqttUplink>();
        try (var consumer = new KafkaConsumer<>(kafka.clientProperties(), new StringDeserializer(),
            new ByteArrayDeserializer())) {
          final var partition = new TopicPartition("mesh.uplink.v1", 0);
          consumer.assign(List.of(partition));
          consumer.seekToBeginning(List.of(partition));
          final var serde = AvroSerde.specific(registry, MqttUplink.class);
          await().atMost(Duration.ofSeconds(30)).pollInSameThread().until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> uplinks.add(serde.deserialize(r.topic(), r.value())));
            return !uplinks.isEmpty();
          });
        }
        assertThat(uplinks).singleElement().satisfies(u -> {
          assertThat(u.getClientId()).isEqualTo("!0000beef");
          assertThat(u.getTopic()).isEqualTo("msh/US/2/e/LongFast/!0000beef");
        });
        final var http = HttpClient.newHttpClient();
        final var health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ready.group(2) + "/health"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"broker\":\"UP\"");
      } finally {
        broker.stop();
      }
    }
  }

  @Test
  void everyMissingOrContradictorySettingIsReportedAtOnce() {
    assertThatThrownBy(() -> new BrokerCommand(System.out, System.err).run(new String[] {"--auth", "a.xml",
        "--allow-anonymous"}, false)).isInstanceOf(UsageException.class).hasMessage(
            "--kafka HOST:PORT[,HOST:PORT...] is required; --registry URL is required; "
                + "--auth and --allow-anonymous exclude each other");
    assertThatThrownBy(() -> new JobsCommand(System.out, System.err).run(new String[] {"--kafka", "nowhere",
        "--registry", "http://r:8080", "--replication-factor", "0"}, false)).isInstanceOf(UsageException.class)
        .hasMessage("--kafka 'nowhere' is not HOST:PORT[,HOST:PORT...]; "
            + "--replication-factor must be a whole number from 1 to 7, not '0'");
  }
}
