package org.meshflow.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Reception;
import org.meshflow.testing.EmbeddedKafka;

/** The embedded registry on a real Kafka: its topic, restarts, and compatibility over HTTP. */
class EmbeddedSchemaRegistryTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Schema STATION_V1 = new Schema.Parser().parse("""
      {"type":"record","name":"Station","namespace":"org.example","fields":[{"name":"id","type":"string"}]}""");
  private static final Schema STATION_NO_DEFAULT = new Schema.Parser().parse("""
      {"type":"record","name":"Station","namespace":"org.example","fields":[{"name":"id","type":"string"},
       {"name":"elevation","type":"int"}]}""");
  private static final Schema STATION_WITH_DEFAULT = new Schema.Parser().parse("""
      {"type":"record","name":"Station","namespace":"org.example","fields":[{"name":"id","type":"string"},
       {"name":"elevation","type":"int","default":0}]}""");

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  private static Map<String, Object> kafkaConfig() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }

  private static EmbeddedSchemaRegistry registryOn(String topic) {
    return EmbeddedSchemaRegistry.start(KafkaSchemaStore.open(kafkaConfig(), topic, TIMEOUT));
  }

  @Test
  void idsAndVersionsSurviveARestart() {
    final int receptionId;
    final int uplinkId;
    try (var registry = registryOn("_schemas_restart")) {
      receptionId = registry.register("mesh.receptions.v1-value", Reception.getClassSchema());
      uplinkId = registry.register("mesh.uplink.v1-value", MqttUplink.getClassSchema());
      assertThat(registry.register("copy-value", Reception.getClassSchema())).isEqualTo(receptionId);
      registry.setCompatibility("mesh.uplink.v1-value", Compatibility.FULL);
    }

    try (var restarted = registryOn("_schemas_restart")) {
      assertThat(restarted.subjects()).containsExactly("copy-value", "mesh.receptions.v1-value", "mesh.uplink.v1-value");
      assertThat(restarted.lookup("mesh.receptions.v1-value", Reception.getClassSchema())).hasValue(receptionId);
      assertThat(restarted.schemaById(uplinkId)).isEqualTo(MqttUplink.getClassSchema());
      assertThat(restarted.latest("mesh.uplink.v1-value").orElseThrow().version()).isEqualTo(1);
      assertThat(restarted.compatibility("mesh.uplink.v1-value")).isEqualTo(Compatibility.FULL);
      assertThat(restarted.compatibility("mesh.receptions.v1-value")).isEqualTo(Compatibility.BACKWARD);

      final int next = restarted.register("stations-value", STATION_V1);
      assertThat(next).isEqualTo(Math.max(receptionId, uplinkId) + 1);
      assertThat(restarted.register("mesh.receptions.v1-value", Reception.getClassSchema())).isEqualTo(receptionId);
    }
  }

  @Test
  void keepsItsStateInACompactedSinglePartitionTopicInConfluentsLayout() throws Exception {
    try (var registry = registryOn("_schemas_layout")) {
      registry.register("stations-value", STATION_V1);
      registry.setDefaultCompatibility(Compatibility.FULL);
    }
    try (var admin = Admin.create(kafka.clientProperties())) {
      final var description = admin.describeTopics(Set.of("_schemas_layout")).allTopicNames().get().get("_schemas_layout");
      assertThat(description.partitions()).hasSize(1);
      final var resource = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas_layout");
      final ConfigEntry policy = admin.describeConfigs(Set.of(resource)).all().get().get(resource).get("cleanup.policy");
      assertThat(policy.value()).isEqualTo("compact");
    }
    final var records = readAll("_schemas_layout");
    assertThat(records).hasSize(2);
    final var json = new ObjectMapper();
    assertThat(json.readTree(records.get(0).key()))
        .isEqualTo(json.readTree("{\"keytype\":\"SCHEMA\",\"subject\":\"stations-value\",\"version\":1,\"magic\":1}"));
    final var value = json.readTree(records.get(0).value());
    assertThat(value.path("subject").asText()).isEqualTo("stations-value");
    assertThat(value.path("version").asInt()).isEqualTo(1);
    assertThat(value.path("id").asInt()).isEqualTo(1);
    assertThat(new Schema.Parser().parse(value.path("schema").asText())).isEqualTo(STATION_V1);
    assertThat(json.readTree(records.get(1).key()).path("keytype").asText()).isEqualTo("CONFIG");
    assertThat(json.readTree(records.get(1).value()).path("compatibilityLevel").asText()).isEqualTo("FULL");
  }

  @Test
  void refusesAnIncompatibleSchemaOverHttpAndThroughTheClient() throws Exception {
    try (var registry = registryOn("_schemas_compat");
         var server = RegistryHttpServer.start(registry)) {
      final var client = RestSchemaRegistry.builder(server.url()).build();
      client.register("stations-value", STATION_V1);

      final var body = new ObjectMapper().createObjectNode().put("schema", STATION_NO_DEFAULT.toString()).toString();
      final HttpResponse<String> refused = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(server.url() + "/subjects/stations-value/versions"))
              .header("Content-Type", RestSchemaRegistry.CONTENT_TYPE)
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(409);
      final var error = new ObjectMapper().readTree(refused.body());
      assertThat(error.path("error_code").asInt()).isEqualTo(409);
      assertThat(error.path("message").asText()).contains("incompatible");

      assertThatThrownBy(() -> client.register("stations-value", STATION_NO_DEFAULT))
          .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(409));
      final int evolved = client.register("stations-value", STATION_WITH_DEFAULT);
      assertThat(client.version("stations-value", 2).id()).isEqualTo(evolved);

      client.setCompatibility("anything-value", Compatibility.NONE);
      client.register("anything-value", STATION_NO_DEFAULT);
      client.register("anything-value", STATION_V1);
      assertThat(client.versions("anything-value")).containsExactly(1, 2);
    }
  }

  private static List<ConsumerRecord<String, String>> readAll(String topic) {
    final var records = new ArrayList<ConsumerRecord<String, String>>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
        new StringDeserializer(), new StringDeserializer())) {
      final var partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      final long end = consumer.endOffsets(List.of(partition)).get(partition);
      final long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
