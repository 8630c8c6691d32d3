package org.meshflow.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.jobs.common.InvalidSettingsException;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.NodeState;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;
import org.meshflow.testing.MeshVectors;

class StreamJobsTest {

  @Test
  void everyBadSettingOfEveryJobIsReportedAtOnce(@TempDir Path dir) {
    assertThatThrownBy(() -> StreamJobs.start("unused:9092", dir, new InMemorySchemaRegistry(), new SimpleMeterRegistry(),
        Map.of("dedup.window", "ten minutes", "health.offline-grace", "0s", "nodes.max-direct-gateways", "0"), Map.of()))
        .isInstanceOf(InvalidSettingsException.class)
        .satisfies(e -> assertThat(((InvalidSettingsException) e).problems()).hasSize(3))
        .hasMessageContaining("dedup.window").hasMessageContaining("health.offline-grace")
        .hasMessageContaining("nodes.max-direct-gateways");
  }

  @Test
  void anUnknownJobOrABadApplicationIdPrefixIsReportedWithTheRest(@TempDir Path dir) {
    assertThatThrownBy(() -> StreamJobs.start("unused:9092", dir, new InMemorySchemaRegistry(), new SimpleMeterRegistry(),
        Map.of("jobs.enabled", "decode,sink", "jobs.application-id-prefix", "re play", "dedup.window", "ten minutes"), Map.of()))
        .isInstanceOf(InvalidSettingsException.class)
        .satisfies(e -> assertThat(((InvalidSettingsException) e).problems()).hasSize(3))
        .hasMessageContaining("jobs.enabled 'decode,sink'").hasMessageContaining("jobs.application-id-prefix 're play'")
        .hasMessageContaining("dedup.window");
  }

  @Test
  void theSampleSettingsAreValidAndMatchTheDefaults() throws Exception {
    final var sample = new java.util.Properties();
    try (var in = StreamJobs.class.getResourceAsStream("/jobs-sample.properties")) {
      sample.load(in);
    }
    final var settings = new HashMap<String, String>();
    sample.stringPropertyNames().forEach(key -> settings.put(key, sample.getProperty(key)));
    assertThat(org.meshflow.jobs.dedup.DedupConfig.from(settings)).isEqualTo(org.meshflow.jobs.dedup.DedupConfig.defaults());
    assertThat(org.meshflow.jobs.decode.DecodeConfig.from(settings)).isEqualTo(org.meshflow.jobs.decode.DecodeConfig.defaults());
    assertThat(org.meshflow.jobs.nodes.NodesConfig.from(settings)).isEqualTo(org.meshflow.jobs.nodes.NodesConfig.defaults());
    assertThat(org.meshflow.jobs.insight.InsightConfig.from(settings))
        .isEqualTo(org.meshflow.jobs.insight.InsightConfig.defaults());
    assertThat(org.meshflow.jobs.state.MeshStateConfig.from(settings))
        .isEqualTo(org.meshflow.jobs.state.MeshStateConfig.defaults());
    final var health = org.meshflow.jobs.health.HealthConfig.from(settings);
    assertThat(health.routerIds().pattern()).isEqualTo("![0-9a-f]{8}");
    assertThat(health.offlineGrace()).isEqualTo(Duration.ofMinutes(2));
    assertThat(health.silenceThreshold()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void decodeAndDedupCommitEvery50msUnlessSetOtherwise(@TempDir Path dir) {
    final var registry = new InMemorySchemaRegistry();
    assertThat(org.meshflow.jobs.decode.DecodeTopology.streamsConfig(org.meshflow.jobs.decode.DecodeConfig.defaults(),
        "unused:9092", dir, registry).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(50L);
    final var dedup = org.meshflow.jobs.dedup.DedupConfig.from(Map.of("dedup.commit-interval", "20ms"));
    assertThat(org.meshflow.jobs.dedup.DedupTopology.streamsConfig(dedup, "unused:9092", dir, registry)
        .get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(20L);
    assertThatThrownBy(() -> StreamJobs.start("unused:9092", dir, registry, new SimpleMeterRegistry(),
        Map.of("decode.commit-interval", "0s", "dedup.commit-interval", "soon"), Map.of()))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining("decode.commit-interval").hasMessageContaining("dedup.commit-interval");
  }

  @Test
  void uplinksFlowThroughDecodeDedupAndNodesOnARealKafka(@TempDir Path dir) {
    final var registry = new InMemorySchemaRegistry();
    try (var kafka = EmbeddedKafka.start()) {
      for (String topic : List.of("mesh.uplink.v1", "mesh.sessions.v1", "mesh.legacy-status.v1", "mesh.receptions.v1",
          "mesh.packets.v1", "mesh.heard-by.v1", "mesh.router-status.v1", "mesh.router-outages.v1", "mesh.alerts.v1",
          "mesh.nodes.v1", "mesh.gateway-duplicates.v1", "mesh.dlq.v1")) {
        kafka.createTopic(topic, 1);
      }
      final var vectors = MeshVectors.fixtures();
      final Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      final var uplinks = AvroSerde.specific(registry, MqttUplink.class);
      try (var producer = new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
        for (var vector : vectors) {
          final String client = vector.expect().path("gatewayId").asText("!00000000");
          producer.send(new ProducerRecord<>("mesh.uplink.v1", client, uplinks.serialize("mesh.uplink.v1",
              MqttUplink.newBuilder().setTopic(vector.topic()).setPayload(ByteBuffer.wrap(vector.payload())).setQos(0)
                  .setRetain(false).setClientId(client).setUserProperties(List.of()).setReceivedAt(at).build())));
        }
      }
      final Map<String, Object> overrides = Map.of(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
      try (var jobs = StreamJobs.start(kafka.bootstrapServers(), dir, registry, new SimpleMeterRegistry(), Map.of(),
          overrides); var consumer = consumer(kafka)) {
        final var seen = new HashMap<String, List<byte[]>>();
        final long unique = vectors.stream().filter(v -> !v.bad())
            .map(v -> v.expect().path("from").asText() + "/" + v.expect().path("packetId").asText()).distinct().count();
        final long senders = vectors.stream().filter(v -> !v.bad()).map(v -> v.expect().path("from").asText())
            .distinct().count();
        final long bad = vectors.stream().filter(MeshVectors.Vector::bad).count();
        await().atMost(Duration.ofSeconds(120)).pollInSameThread().untilAsserted(() -> {
          consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.computeIfAbsent(r.topic(), t -> new ArrayList<>())
              .add(r.value()));
          assertThat(seen.getOrDefault("mesh.packets.v1", List.of())).hasSize((int) unique);
          assertThat(seen.getOrDefault("mesh.dlq.v1", List.of())).hasSize((int) bad);
          final var nodeStates = AvroSerde.specific(registry, NodeState.class);
          assertThat(seen.getOrDefault("mesh.nodes.v1", List.of()).stream()
              .map(bytes -> nodeStates.deserialize("mesh.nodes.v1", bytes).getNodeId()).distinct()).hasSize((int) senders);
        });
        assertThat(jobs.states()).containsOnlyKeys("decode", "dedup", "health", "nodes", "insight", "mqtt", "state")
            .allSatisfy((job, state) -> assertThat(state).isEqualTo(KafkaStreams.State.RUNNING));
      }
    }
  }

  private static KafkaConsumer<String, byte[]> consumer(EmbeddedKafka kafka) {
    final var props = kafka.clientProperties();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader");
    final var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of("mesh.packets.v1", "mesh.nodes.v1", "mesh.dlq.v1"));
    return consumer;
  }
}
