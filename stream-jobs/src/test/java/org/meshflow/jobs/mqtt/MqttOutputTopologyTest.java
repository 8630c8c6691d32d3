package org.meshflow.jobs.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.meshflow.records.Alert;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterState;
import org.meshflow.records.RouterStatus;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.serde.AvroSerde;

class MqttOutputTopologyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTER = "!abcd1234";
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private final MqttOutputConfig config = MqttOutputConfig.defaults();
  private TopologyTestDriver driver;
  private TestInputTopic<String, Alert> alerts;
  private TestInputTopic<String, RouterStatus> status;
  private TestInputTopic<String, RouterOutage> outages;
  private TestOutputTopic<String, byte[]> events;
  private TestOutputTopic<String, byte[]> retained;

  @BeforeEach
  void start() {
    final var registry = new InMemorySchemaRegistry();
    final var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(MqttOutputTopology.build(config, registry), props);
    final var strings = Serdes.String();
    alerts = driver.createInputTopic(config.alertsTopic(), strings.serializer(),
        AvroSerde.specific(registry, Alert.class).serializer());
    status = driver.createInputTopic(config.statusTopic(), strings.serializer(),
        AvroSerde.specific(registry, RouterStatus.class).serializer());
    outages = driver.createInputTopic(config.outagesTopic(), strings.serializer(),
        AvroSerde.specific(registry, RouterOutage.class).serializer());
    events = driver.createOutputTopic(config.eventsOutTopic(), strings.deserializer(), Serdes.ByteArray().deserializer());
    retained = driver.createOutputTopic(config.retainedOutTopic(), strings.deserializer(), Serdes.ByteArray().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void aRecoveredAlertIsOneJsonEventOnTheRoutersAlertTopic() throws Exception {
    alerts.pipeInput(ROUTER, Alert.newBuilder().setAlertId("ROUTER_RECOVERED/!abcd1234/1").setType("ROUTER_RECOVERED")
        .setSubject(ROUTER).setSeverity("INFO").setAt(T0).setMessage("Router !abcd1234 is back after 5m 0s")
        .setOutageSeconds(300L).setDetails(Map.of("cause", "KEEPALIVE_TIMEOUT")).build(), T0);

    final var event = events.readKeyValue();
    assertThat(event.key).isEqualTo("meshflow/alerts/!abcd1234");
    final JsonNode json = JSON.readTree(event.value);
    assertThat(json.path("type").asText()).isEqualTo("ROUTER_RECOVERED");
    assertThat(json.path("router").asText()).isEqualTo(ROUTER);
    assertThat(json.path("at").asText()).isEqualTo("2026-11-22T10:00:00Z");
    assertThat(json.path("severity").asText()).isEqualTo("INFO");
    assertThat(json.path("outageSeconds").asLong()).isEqualTo(300);
    assertThat(json.path("message").asText()).contains("back");
    assertThat(events.isEmpty()).isTrue();
  }

  @Test
  void aNewRouterGetsDiscoveryStateAndAttributesRetained() throws Exception {
    status.pipeInput(ROUTER, status(RouterState.OFFLINE, T0), T0);

    final Map<String, byte[]> out = drain();
    final JsonNode discovery = JSON.readTree(out.get("homeassistant/binary_sensor/meshflow_abcd1234/connectivity/config"));
    assertThat(discovery.path("device_class").asText()).isEqualTo("connectivity");
    assertThat(discovery.path("unique_id").asText()).isEqualTo("meshflow_abcd1234_connectivity");
    assertThat(discovery.path("state_topic").asText()).isEqualTo("meshflow/routers/!abcd1234/state");
    assertThat(discovery.path("availability_topic").asText()).isEqualTo("meshflow/status");
    assertThat(discovery.path("device").path("identifiers").get(0).asText()).isEqualTo("meshflow_abcd1234");
    assertThat(new String(out.get("meshflow/routers/!abcd1234/state"), StandardCharsets.UTF_8)).isEqualTo("offline");
    final JsonNode attributes = JSON.readTree(out.get("meshflow/routers/!abcd1234/attributes"));
    assertThat(attributes.path("since").asText()).isEqualTo("2026-11-22T10:00:00Z");
    assertThat(attributes.path("outagesToday").asLong()).isZero();

    status.pipeInput(ROUTER, status(RouterState.ONLINE, T0.plusSeconds(60)), T0.plusSeconds(60));
    final Map<String, byte[]> next = drain();
    assertThat(next).doesNotContainKey("homeassistant/binary_sensor/meshflow_abcd1234/connectivity/config");
    assertThat(new String(next.get("meshflow/routers/!abcd1234/state"), StandardCharsets.UTF_8)).isEqualTo("online");
  }

  @Test
  void outagesCountTowardsTodayAndResetTheNextDay() throws Exception {
    status.pipeInput(ROUTER, status(RouterState.ONLINE, T0), T0);
    drain();
    outages.pipeInput(ROUTER, outage(T0.plusSeconds(100), T0.plusSeconds(160)), T0.plusSeconds(160));
    outages.pipeInput(ROUTER, outage(T0.plusSeconds(200), T0.plusSeconds(230)), T0.plusSeconds(230));
    final Map<String, byte[]> out = drain();
    assertThat(JSON.readTree(out.get("meshflow/routers/!abcd1234/attributes")).path("outagesToday").asLong()).isEqualTo(2);

    final Instant tomorrow = Instant.parse("2026-11-23T08:00:00Z");
    status.pipeInput(ROUTER, status(RouterState.ONLINE, tomorrow), tomorrow);
    assertThat(JSON.readTree(drain().get("meshflow/routers/!abcd1234/attributes")).path("outagesToday").asLong()).isZero();
  }

  @Test
  void aDeletedRouterIsRemovedFromHomeAssistant() {
    status.pipeInput(ROUTER, status(RouterState.ONLINE, T0), T0);
    drain();
    status.pipeInput(ROUTER, null, T0.plusSeconds(1));
    final Map<String, byte[]> out = drain();
    assertThat(out.get("homeassistant/binary_sensor/meshflow_abcd1234/connectivity/config")).isEmpty();
    assertThat(out.get("meshflow/routers/!abcd1234/state")).isEmpty();
  }

  private Map<String, byte[]> drain() {
    final var out = new LinkedHashMap<String, byte[]>();
    retained.readKeyValuesToList().forEach(kv -> out.put(kv.key, kv.value));
    return out;
  }

  private static RouterStatus status(RouterState state, Instant at) {
    return RouterStatus.newBuilder().setRouterId(ROUTER).setState(state).setSince(at)
        .setConnected(state != RouterState.OFFLINE).setUpdatedAt(at).build();
  }

  private static RouterOutage outage(Instant start, Instant end) {
    return RouterOutage.newBuilder().setRouterId(ROUTER).setOutageId(ROUTER + "/" + start.toEpochMilli())
        .setStartedAt(start).setEndedAt(end).setDurationSeconds(end.getEpochSecond() - start.getEpochSecond())
        .setCause("CONNECTION_LOST").setAlerted(false).build();
  }
}
