package org.meshflow.launcher.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.bridge.security.PasswordHasher;
import org.meshflow.jobs.mcp.MeshMcpServer;
import org.meshflow.launcher.run.RunCommand;
import org.meshflow.records.ClientSession;
import org.meshflow.records.DisconnectReason;
import org.meshflow.records.HeardBy;
import org.meshflow.records.Alert;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.SessionEvent;
import org.meshflow.registry.SchemaRegistries;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.MeshVectors;

/**
 * The MCP-over-MQTT conformance list (MCP-OVER-MQTT.md section 5) against ./meshflow run, driven by
 * {@link SpecClient}, which knows only the specification. Known data goes through the jobs: session
 * events make an outage, an uplink makes a node, a final heard-by list makes a packet's hearers.
 */
class McpOverMqttTest {
  private static final Pattern READY = Pattern.compile("meshflow ready mqtt=(\\d+) kafka=(\\d+) registry=(\\d+)");
  private static final Pattern SERVER_ID = Pattern.compile("MCP server meshflow/mesh online on the broker as (\\S+)");
  private static final String NAME = MeshMcpServer.SERVER_NAME;
  private static final String READER = "reader-secret";
  private static final String SERVICE = "service-secret";
  private static final String ROUTER = "!0000a001";
  // recent enough that the reconnected router is not yet silent (threshold 30 minutes)
  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(20));
  private static final List<String> VERSIONS = List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25");

  @TempDir static Path data;
  private static RunCommand run;
  private static int mqtt;
  private static String sid;
  private static MeshVectors.Vector vector;
  private static org.meshflow.registry.SchemaRegistry registry;

  @BeforeAll
  static void startMeshflowWithKnownState() throws Exception {
    final Path auth = data.resolve("users.xml");
    Files.writeString(auth, """
        <credentials>
          <user name="gateway" roles="gateway" password="%s"/>
          <user name="assistant" roles="reader" password="%s"/>
          <user name="second-server" roles="mcp-server" password="%s"/>
        </credentials>
        """.formatted(PasswordHasher.hash("gw-secret".toCharArray()), PasswordHasher.hash(READER.toCharArray()),
        PasswordHasher.hash(SERVICE.toCharArray())));
    final var out = new ByteArrayOutputStream();
    final var err = new ByteArrayOutputStream();
    run = new RunCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    run.run(new String[] {"--data", data.resolve("run").toString(), "--mqtt-port", "0", "--kafka-port", "0",
        "--registry-port", "0", "--http-port", "0", "--auth", auth.toString(), "--offline-grace", "1s"}, false);
    final Matcher ready = READY.matcher(out.toString(StandardCharsets.UTF_8));
    assertThat(ready.find()).as("ready line in %s", out).isTrue();
    mqtt = Integer.parseInt(ready.group(1));
    final Matcher server = SERVER_ID.matcher(err.toString(StandardCharsets.UTF_8));
    assertThat(server.find()).as("MCP server line in %s", err).isTrue();
    sid = server.group(1);

    registry = SchemaRegistries.fromConfig(Map.of("schema.registry.url", "http://127.0.0.1:" + ready.group(3)));
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", "127.0.0.1:" + ready.group(2)),
        new StringSerializer(), new ByteArraySerializer())) {
      send(producer, registry, "mesh.sessions.v1", ROUTER, session(SessionEvent.CONNECTED, null, T0));
      send(producer, registry, "mesh.sessions.v1", ROUTER,
          session(SessionEvent.DISCONNECTED, DisconnectReason.CONNECTION_LOST, T0.plusSeconds(60)));
      send(producer, registry, "mesh.sessions.v1", ROUTER, session(SessionEvent.CONNECTED, null, T0.plusSeconds(360)));
      // what the health job writes for such a day, fed to the state job directly so the facts are exact
      send(producer, registry, "mesh.router-outages.v1", ROUTER, RouterOutage.newBuilder().setRouterId(ROUTER)
          .setOutageId(ROUTER + "@" + T0.plusSeconds(60).toEpochMilli()).setStartedAt(T0.plusSeconds(60))
          .setEndedAt(T0.plusSeconds(360)).setDurationSeconds(300).setCause("CONNECTION_LOST").setAlerted(true).build());
      send(producer, registry, "mesh.alerts.v1", ROUTER, Alert.newBuilder().setAlertId("a-1").setType("ROUTER_RECOVERED")
          .setSubject(ROUTER).setSeverity("info").setAt(T0.plusSeconds(360)).setMessage(ROUTER + " is back")
          .setOutageSeconds(300L).setDetails(Map.of()).build());
      send(producer, registry, "mesh.alerts.v1", "!0000a009", Alert.newBuilder().setAlertId("a-2")
          .setType("ROUTER_OFFLINE").setSubject("!0000a009").setSeverity("warning").setAt(T0.plusSeconds(400))
          .setMessage("!0000a009 is down").setOutageSeconds(null).setDetails(Map.of()).build());
      send(producer, registry, "mesh.heard-by.v1", "!0000b002/77", PacketHeardBy.newBuilder().setPacketKey("!0000b002/77")
          .setFrom("!0000b002").setPacketId(77).setPortnum("TEXT_MESSAGE_APP").setFirstHeardAt(T0)
          .setLastHeardAt(T0.plusSeconds(2)).setCopies(2).setHeardBy(List.of(
              hearing("!0000a001", -80, 6.5f, 0, T0), hearing("!0000a002", -101, -3.25f, 2, T0.plusSeconds(2))))
          .build());
      producer.flush();
    }
    vector = MeshVectors.fixtures().stream().filter(v -> !v.bad() && v.expect().path("decrypted").asBoolean(true)
        && v.expect().has("from")).findFirst().orElseThrow();
    final var gateway = MqttClient.builder().useMqttVersion5().identifier(vector.expect().get("gatewayId").asText())
        .serverHost("127.0.0.1").serverPort(mqtt).simpleAuth().username("gateway")
        .password("gw-secret".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
    gateway.connect();
    gateway.publishWith().topic(vector.topic()).qos(MqttQos.AT_LEAST_ONCE).payload(vector.payload()).send();
    gateway.disconnect();
  }

  @AfterAll
  static void stop() {
    if (run != null) {
      run.stop();
    }
  }

  private static ClientSession session(SessionEvent event, DisconnectReason reason, Instant at) {
    return ClientSession.newBuilder().setClientId(ROUTER).setEvent(event).setReason(reason).setAt(at)
        .setConnectionId("c-" + at.getEpochSecond()).setKeepAliveSeconds(60).setProtocolVersion("3.1.1").build();
  }

  private static HeardBy hearing(String gateway, int rssi, float snr, int hops, Instant at) {
    return HeardBy.newBuilder().setGatewayId(gateway).setRxRssi(rssi).setRxSnr(snr).setHopLimit(3 - hops)
        .setHopsAway(hops).setRelayNode(0).setReceivedAt(at).setCopies(1).build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void send(KafkaProducer<String, byte[]> producer, org.meshflow.registry.SchemaRegistry registry,
      String topic, String key, SpecificRecord value) {
    final AvroSerde serde = AvroSerde.specific(registry, (Class) value.getClass());
    producer.send(new ProducerRecord<>(topic, key, serde.serializer().serialize(topic, value)));
  }

  private static SpecClient client() {
    return new SpecClient(mqtt, "assistant", READER, "c-" + UUID.randomUUID().toString().replace("-", ""));
  }

  /** initialize, then notifications/initialized; returns the initialize response. */
  private static JsonNode initialized(SpecClient client) {
    client.sendInitialize(sid, NAME, "init", "2025-06-18");
    final String rpc = SpecClient.rpc(client.clientId, sid, NAME);
    await().atMost(Duration.ofSeconds(30)).until(() -> !client.responses(rpc, "init").isEmpty());
    client.publish(rpc, SpecClient.notification("notifications/initialized"), true, MqttQos.AT_LEAST_ONCE);
    return client.responses(rpc, "init").get(0).json();
  }

  private static JsonNode call(SpecClient client, Object id, String method, JsonNode params) {
    final String rpc = SpecClient.rpc(client.clientId, sid, NAME);
    client.publish(rpc, SpecClient.request(id, method, params), true, MqttQos.AT_LEAST_ONCE);
    await().atMost(Duration.ofSeconds(60)).until(() -> !client.responses(rpc, id).isEmpty());
    return client.responses(rpc, id).get(0).json();
  }

  private static JsonNode tool(SpecClient client, Object id, String name, String arguments) throws Exception {
    final ObjectNode params = SpecClient.JSON.createObjectNode().put("name", name);
    params.set("arguments", SpecClient.JSON.readTree(arguments));
    return call(client, id, "tools/call", params);
  }

  @Test
  void discoveryFindsOneRetainedOnlineMessagePerInstance() {
    try (var client = client()) {
      client.subscribe("$mcp-server/presence/+/meshflow/#", false);
      final String topic = "$mcp-server/presence/" + sid + "/" + NAME;
      await().atMost(Duration.ofSeconds(30)).until(() -> !client.on(topic).isEmpty());
      final var presence = client.on(topic).get(0);
      assertThat(presence.retained()).isTrue();
      assertThat(sid).doesNotContain("/", "+", "#");
      assertThat(presence.json().has("id")).isFalse();
      assertThat(presence.json().get("jsonrpc").asText()).isEqualTo("2.0");
      assertThat(presence.json().get("method").asText()).isEqualTo("notifications/server/online");
      assertThat(presence.json().at("/params/server_name").asText()).isEqualTo(NAME);
      assertThat(presence.json().at("/params/description").asText()).contains("router_outages");
      assertThat(presence.json().at("/params/meta").isObject()).isTrue();
      assertThat(presence.properties()).containsEntry("MCP-COMPONENT-TYPE", "mcp-server")
          .containsEntry("MCP-MQTT-CLIENT-ID", sid);
    }
  }

  @Test
  void initializeAnswersOnTheClientsRpcTopicWithTheSameId() {
    for (Object id : List.of(0, 1, "init_1")) {
      try (var client = client(); var bystander = client()) {
        bystander.subscribe("$mcp-rpc/" + bystander.clientId + "/+/" + NAME, true);
        client.sendInitialize(sid, NAME, id, "2024-11-05");
        final String rpc = SpecClient.rpc(client.clientId, sid, NAME);
        await().atMost(Duration.ofSeconds(30)).until(() -> !client.responses(rpc, id).isEmpty());
        final var response = client.responses(rpc, id).get(0);
        assertThat(response.json().at("/result/protocolVersion").asText()).isEqualTo("2024-11-05");
        assertThat(response.json().at("/result/capabilities/tools").isObject()).isTrue();
        assertThat(response.json().at("/result/serverInfo/name").asText()).isNotBlank();
        assertThat(response.json().at("/result/serverInfo/version").asText()).isNotBlank();
        assertThat(response.properties()).containsEntry("MCP-COMPONENT-TYPE", "mcp-server")
            .containsEntry("MCP-MQTT-CLIENT-ID", sid);
        assertThat(client.responses(rpc, id)).hasSize(1);
        assertThat(bystander.received).isEmpty();
      }
    }
  }

  @Test
  void versionsAreNegotiated() {
    for (String version : List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "1999-01-01")) {
      try (var client = client()) {
        client.sendInitialize(sid, NAME, 7, version);
        final String rpc = SpecClient.rpc(client.clientId, sid, NAME);
        await().atMost(Duration.ofSeconds(30)).until(() -> !client.responses(rpc, 7).isEmpty());
        final JsonNode response = client.responses(rpc, 7).get(0).json();
        if (VERSIONS.contains(version)) {
          assertThat(response.at("/result/protocolVersion").asText()).isEqualTo(version);
        } else if (response.has("error")) {
          assertThat(response.at("/error/code").asInt()).isEqualTo(-32602);
        } else {
          assertThat(VERSIONS).contains(response.at("/result/protocolVersion").asText());
        }
      }
    }
  }

  @Test
  void pingToolsListAndUnknownMethodsAfterInitialized() {
    try (var client = client()) {
      initialized(client);
      assertThat(call(client, 2, "ping", null).get("result").isObject()).isTrue();
      assertThat(call(client, 3, "ping", null).get("result").size()).isZero();
      final JsonNode tools = call(client, "list_tools_1", "tools/list", null).at("/result/tools");
      assertThat(tools.findValuesAsText("name")).containsExactlyInAnyOrder("list_routers", "router_outages",
          "recent_alerts", "node_info", "packet_heard_by");
      tools.forEach(t -> assertThat(t.at("/inputSchema/type").asText()).isEqualTo("object"));
      assertThat(call(client, 4, "no/such/method", null).at("/error/code").asInt()).isEqualTo(-32601);
      // QoS 0 requests are answered too
      final String rpc = SpecClient.rpc(client.clientId, sid, NAME);
      client.publish(rpc, SpecClient.request(5, "ping", null), true, MqttQos.AT_MOST_ONCE);
      await().atMost(Duration.ofSeconds(30)).until(() -> !client.responses(rpc, 5).isEmpty());
      assertThat(client.on(rpc)).allSatisfy(r -> assertThat(r.properties())
          .containsEntry("MCP-COMPONENT-TYPE", "mcp-server").containsEntry("MCP-MQTT-CLIENT-ID", sid));
    }
  }

  @Test
  void toolsAnswerFromTheJobsState() throws Exception {
    try (var client = client()) {
      initialized(client);
      final var answer = new java.util.concurrent.atomic.AtomicReference<JsonNode>();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        answer.set(tool(client, "o-" + UUID.randomUUID(), "router_outages",
            "{\"router\":\"" + ROUTER + "\",\"since\":\"" + T0.minusSeconds(60) + "\"}").get("result"));
        assertThat(answer.get().get("isError").asBoolean()).as("%s", answer.get()).isFalse();
        assertThat(answer.get().at("/structuredContent/count").asInt()).isEqualTo(1);
      });
      final JsonNode outages = answer.get();
      final JsonNode outage = outages.at("/structuredContent/outages/0");
      assertThat(outage.get("startedAt").asText()).isEqualTo(T0.plusSeconds(60).toString());
      assertThat(outage.get("endedAt").asText()).isEqualTo(T0.plusSeconds(360).toString());
      assertThat(outage.get("durationSeconds").asLong()).isEqualTo(300);
      assertThat(outage.get("cause").asText()).isEqualTo("CONNECTION_LOST");
      assertThat(outage.get("open").asBoolean()).isFalse();
      assertThat(SpecClient.JSON.readTree(outages.at("/content/0/text").asText()))
          .isEqualTo(outages.get("structuredContent"));
      final JsonNode routers = tool(client, 10, "list_routers", "{}").at("/result/structuredContent/routers");
      assertThat(routers.findValuesAsText("router")).contains(ROUTER);
      assertThat(routers.get(routers.findValuesAsText("router").indexOf(ROUTER)).get("state").asText()).isEqualTo("online");

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        final JsonNode alerts = tool(client, "a-" + UUID.randomUUID(), "recent_alerts",
            "{\"router\":\"" + ROUTER + "\",\"limit\":5}").at("/result/structuredContent/alerts");
        assertThat(alerts.findValuesAsText("alertId")).contains("a-1").doesNotContain("a-2");
        assertThat(alerts.findValuesAsText("type")).contains("ROUTER_RECOVERED");
        assertThat(alerts.findValuesAsText("subject")).containsOnly(ROUTER);
      });

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        final JsonNode heard = tool(client, "h-" + UUID.randomUUID(), "packet_heard_by",
            "{\"packetKey\":\"!0000b002/77\"}").at("/result/structuredContent");
        assertThat(heard.path("copies").asInt()).as("%s", heard).isEqualTo(2);
        assertThat(heard.path("heardBy").findValuesAsText("gatewayId")).containsExactly("!0000a001", "!0000a002");
        assertThat(heard.at("/heardBy/1/rxSnr").asDouble()).isEqualTo(-3.25);
        assertThat(heard.at("/heardBy/1/hopsAway").asInt()).isEqualTo(2);
      });

      final String node = vector.expect().get("from").asText();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        final JsonNode info = tool(client, "n-" + UUID.randomUUID(), "node_info", "{\"node\":\"" + node + "\"}")
            .get("result");
        assertThat(info.get("isError").asBoolean()).as("%s", info).isFalse();
        assertThat(info.at("/structuredContent/nodeId").asText()).isEqualTo(node);
        assertThat(info.at("/structuredContent/packets").asLong()).isPositive();
      });
    }
  }

  @Test
  void unknownToolsAndBadArgumentsAreClearErrors() throws Exception {
    try (var client = client()) {
      initialized(client);
      final JsonNode unknown = tool(client, 20, "no_such_tool", "{}");
      assertThat(unknown.has("error") ? unknown.at("/error/code").asInt() == -32602
          : unknown.at("/result/isError").asBoolean()).as("%s", unknown).isTrue();
      final JsonNode badRouter = tool(client, 21, "router_outages", "{\"router\":\"gateway-7\",\"since\":\"yesterday\"}");
      assertThat(badRouter.at("/result/isError").asBoolean()).as("%s", badRouter).isTrue();
      assertThat(badRouter.at("/result/content/0/text").asText()).contains("router").contains("since");
      final JsonNode missing = tool(client, 22, "node_info", "{}");
      assertThat(missing.at("/result/isError").asBoolean()).isTrue();
      assertThat(missing.at("/result/content/0/text").asText()).contains("node");
      final JsonNode limit = tool(client, 23, "recent_alerts", "{\"limit\":0}");
      assertThat(limit.at("/result/isError").asBoolean()).isTrue();
      final JsonNode unknownNode = tool(client, 24, "node_info", "{\"node\":\"!00000000\"}");
      assertThat(unknownNode.at("/result/content/0/text").asText()).contains("has not been heard");
    }
  }

  @Test
  void concurrentClientsGetOnlyTheirOwnAnswers() {
    try (var a = client(); var b = client()) {
      a.sendInitialize(sid, NAME, 1, "2025-06-18");
      b.sendInitialize(sid, NAME, 1, "2025-03-26");
      final String rpcA = SpecClient.rpc(a.clientId, sid, NAME);
      final String rpcB = SpecClient.rpc(b.clientId, sid, NAME);
      await().atMost(Duration.ofSeconds(30)).until(() -> !a.responses(rpcA, 1).isEmpty() && !b.responses(rpcB, 1).isEmpty());
      a.publish(rpcA, SpecClient.notification("notifications/initialized"), true, MqttQos.AT_LEAST_ONCE);
      b.publish(rpcB, SpecClient.notification("notifications/initialized"), true, MqttQos.AT_LEAST_ONCE);
      a.publish(rpcA, SpecClient.request(2, "tools/list", null), true, MqttQos.AT_LEAST_ONCE);
      b.publish(rpcB, SpecClient.request(2, "ping", null), true, MqttQos.AT_LEAST_ONCE);
      await().atMost(Duration.ofSeconds(30)).until(() -> !a.responses(rpcA, 2).isEmpty() && !b.responses(rpcB, 2).isEmpty());
      assertThat(a.responses(rpcA, 1).get(0).json().at("/result/protocolVersion").asText()).isEqualTo("2025-06-18");
      assertThat(b.responses(rpcB, 1).get(0).json().at("/result/protocolVersion").asText()).isEqualTo("2025-03-26");
      assertThat(a.responses(rpcA, 2).get(0).json().at("/result/tools").isArray()).isTrue();
      assertThat(b.responses(rpcB, 2).get(0).json().at("/result").size()).isZero();
      assertThat(a.received).allSatisfy(r -> assertThat(r.topic()).isEqualTo(rpcA));
      assertThat(b.received).allSatisfy(r -> assertThat(r.topic()).isEqualTo(rpcB));
      // No Local on both sides: nobody hears their own requests, and each request is answered once
      assertThat(a.on(rpcA)).hasSize(2);
      assertThat(b.on(rpcB)).hasSize(2);
    }
  }

  @Test
  void aDisconnectedClientIsNoLongerServed() {
    try (var viaPresence = client(); var viaWill = client(); var viaRpc = client(); var witness = client()) {
      initialized(viaPresence);
      initialized(viaWill);
      initialized(viaRpc);
      viaPresence.publish("$mcp-client/presence/" + viaPresence.clientId, SpecClient.notification(
          "notifications/disconnected"), true, MqttQos.AT_LEAST_ONCE);
      final String rpcRpc = SpecClient.rpc(viaRpc.clientId, sid, NAME);
      viaRpc.publish(rpcRpc, SpecClient.notification("notifications/disconnected"), true, MqttQos.AT_LEAST_ONCE);
      final String willRpc = SpecClient.rpc(viaWill.clientId, sid, NAME);
      viaWill.dieWithWill();
      final String presenceRpc = SpecClient.rpc(viaPresence.clientId, sid, NAME);
      // a fresh client proves the server still serves, and its answer bounds how long we wait for the others
      initialized(witness);
      viaPresence.publish(presenceRpc, SpecClient.request(9, "ping", null), true, MqttQos.AT_LEAST_ONCE);
      viaRpc.publish(rpcRpc, SpecClient.request(9, "ping", null), true, MqttQos.AT_LEAST_ONCE);
      // the will fired: the dead client comes back (same client id) and asks on its old RPC topic without initializing
      try (var revenant = new SpecClient(mqtt, "assistant", READER, viaWill.clientId)) {
        revenant.subscribe(willRpc, true);
        revenant.publish(willRpc, SpecClient.request(9, "ping", null), true, MqttQos.AT_LEAST_ONCE);
        assertThat(call(witness, 9, "ping", null).has("result")).isTrue();
        assertThat(call(witness, 10, "tools/list", null).has("result")).isTrue();
        assertThat(revenant.responses(willRpc, 9)).isEmpty();
      }
      assertThat(viaPresence.responses(presenceRpc, 9)).isEmpty();
      assertThat(viaRpc.responses(rpcRpc, 9)).isEmpty();
    }
  }

  @Test
  void aClientMayUseOnlyItsOwnRpcAndPresenceTopics() {
    try (var intruder = client(); var victim = client()) {
      initialized(victim);
      final String victimRpc = SpecClient.rpc(victim.clientId, sid, NAME);
      assertThat(intruder.maySubscribe(SpecClient.rpc(intruder.clientId, sid, NAME))).isTrue();
      assertThat(intruder.maySubscribe(victimRpc)).isFalse();
      assertThat(intruder.maySubscribe("$mcp-rpc/+/" + sid + "/" + NAME)).isFalse();
      assertThat(intruder.mayPublish(victimRpc, SpecClient.request(99, "tools/list", null))).isFalse();
      assertThat(intruder.mayPublish("$mcp-client/presence/" + victim.clientId,
          SpecClient.notification("notifications/disconnected"))).isFalse();
      // the victim's session lives on, and nothing but the server's answers reached its RPC topic
      assertThat(call(victim, 100, "ping", null).has("result")).isTrue();
      assertThat(victim.on(victimRpc)).hasSize(2)
          .allSatisfy(r -> assertThat(r.properties()).containsEntry("MCP-MQTT-CLIENT-ID", sid));
    }
  }

  @Test
  void aClientCannotInitializeAsAnotherClient() {
    try (var intruder = client(); var victim = client()) {
      initialized(victim);
      final String control = "$mcp-server/" + sid + "/" + NAME;
      // the broker refuses a PUBLISH whose MCP-MQTT-CLIENT-ID names another client, so no server sees it
      assertThat(intruder.mayPublishAs(victim.clientId, control, SpecClient.initialize("steal", "2025-06-18")))
          .isFalse();
      assertThat(intruder.connected()).isTrue();
      assertThat(intruder.mayPublishAs(intruder.clientId, control, SpecClient.initialize("own", "2025-06-18")))
          .isTrue();
      // the victim's session goes on; its RPC topic carried the server's answers only
      assertThat(call(victim, 101, "ping", null).has("result")).isTrue();
      assertThat(victim.responses(SpecClient.rpc(victim.clientId, sid, NAME), "steal")).isEmpty();
    }
  }

  @Test
  void initializeWithoutClientIdPropertyIsIgnored() {
    try (var client = client()) {
      final String rpc = SpecClient.rpc(client.clientId, sid, NAME);
      client.subscribe(rpc, true);
      final ObjectNode params = SpecClient.JSON.createObjectNode().put("protocolVersion", "2025-06-18");
      params.putObject("capabilities");
      params.putObject("clientInfo").put("name", "spec-client").put("version", "1");
      client.publish("$mcp-server/" + sid + "/" + NAME, SpecClient.request(1, "initialize", params), false,
          MqttQos.AT_LEAST_ONCE);
      initialized(client); // the same client, now properly: answered, so the server is still up
      assertThat(client.responses(rpc, 1)).isEmpty();
    }
  }

  @Test
  void aRestartedInstanceClearsAndRestoresItsPresence() {
    final String secondId = "meshflow-mcp-second";
    final String topic = "$mcp-server/presence/" + secondId + "/" + NAME;
    try (var observer = client()) {
      observer.subscribe("$mcp-server/presence/+/meshflow/#", false);
      var second = MeshMcpServer.start(job -> null, "127.0.0.1", mqtt, "second-server", SERVICE, secondId);
      await().atMost(Duration.ofSeconds(30)).until(() -> observer.on(topic).size() == 1);
      second.close();
      await().atMost(Duration.ofSeconds(30)).until(() -> observer.on(topic).size() == 2);
      assertThat(observer.on(topic).get(1).payload()).isEmpty();
      try (var late = client()) {
        late.subscribe("$mcp-server/presence/+/meshflow/#", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> !late.on("$mcp-server/presence/" + sid + "/" + NAME).isEmpty());
        assertThat(late.on(topic)).isEmpty();
      }
      second = MeshMcpServer.start(job -> null, "127.0.0.1", mqtt, "second-server", SERVICE, secondId);
      await().atMost(Duration.ofSeconds(30)).until(() -> observer.on(topic).size() == 3);
      assertThat(observer.on(topic).get(2).json().get("method").asText()).isEqualTo("notifications/server/online");
      second.close();
    }
  }
}
