package org.meshflow.launcher.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.bridge.security.PasswordHasher;
import org.meshflow.jobs.StreamJobs;
import org.meshflow.jobs.health.HealthTopology;
import org.meshflow.jobs.nodes.NodesTopology;
import org.meshflow.jobs.state.MeshStateTopology;
import org.meshflow.launcher.cluster.BrokerCommand;
import org.meshflow.launcher.cluster.JobsCommand;
import org.meshflow.launcher.embedded.SelfSignedKeyStore;
import org.meshflow.launcher.embedded.FreePorts;
import org.meshflow.records.Alert;
import org.meshflow.records.ClientSession;
import org.meshflow.records.HeardBy;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.SessionEvent;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.RegistryHttpServer;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;

/**
 * Two {@code ./meshflow jobs --mqtt ...} instances with one application id share four partitions, so
 * each holds only part of the mesh; the broker ({@code ./meshflow broker}) starts after them, as in the
 * Compose file. Either instance's {@code meshflow/mesh} MCP server answers for the whole mesh: keys it
 * does not hold it asks the owner for, lists it merges from both. When one instance stops, the other
 * takes its partitions and still answers for everything.
 */
class McpAcrossInstancesTest {
  private static final int PARTITIONS = 4;
  private static final String NAME = "meshflow/mesh";
  private static final String SECRET = "mcp-secret";
  private static final String READER = "reader-secret";
  // recent, so the routers are still online (not silent) while the test runs
  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(2));
  private static final List<String> JOBS = List.of("health", "nodes", "state");

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  /** One key per partition, so each instance holds some of them. */
  private final List<String> routers = keysInEveryPartition(i -> String.format("!0000a%03x", i));
  private final List<String> nodes = keysInEveryPartition(i -> String.format("!0000c%03x", i));
  private final List<String> packets = keysInEveryPartition(i -> "!0000b002/" + (100 + i));

  @Test
  void eitherInstanceAnswersForTheWholeMesh(@TempDir Path dir) throws Exception {
    final Path jobsConfig = dir.resolve("jobs.properties");
    Files.writeString(jobsConfig, """
        jobs.enabled=health,nodes,state
        kafka.commit.interval.ms=100
        kafka.consumer.session.timeout.ms=6000
        kafka.consumer.heartbeat.interval.ms=1000
        """);
    final Path users = dir.resolve("users.xml");
    Files.writeString(users, "<credentials><user name=\"assistant\" roles=\"reader\" password=\"%s\"/></credentials>"
        .formatted(PasswordHasher.hash(READER.toCharArray())));
    final int mqtt = FreePorts.pick();
    final int mqtts = FreePorts.pick();
    final var certificates = SelfSignedKeyStore.create(dir, "store-pw");
    final var quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    try (var kafka = EmbeddedKafka.start(); var registryServer = RegistryHttpServer.start(registry, "127.0.0.1", 0, "")) {
      final List<String> args = List.of("--kafka", kafka.bootstrapServers(), "--registry", registryServer.url(),
          "--partitions", String.valueOf(PARTITIONS), "--replication-factor", "1", "--http-port", "0",
          "--jobs-config", jobsConfig.toString(), "--mqtt", "tcp://127.0.0.1:" + mqtt, "--mcp-password", SECRET,
          "--state-secret", "state-s3cret");
      final var a = new JobsCommand(quiet, System.err);
      final var b = new JobsCommand(quiet, System.err);
      final var broker = new BrokerCommand(quiet, System.err);
      try {
        a.run(with(args, "--state-dir", dir.resolve("a").toString()), false);
        // b's MCP server reaches the broker over TLS, trusting the operator's certificate
        b.run(with(args, "--state-dir", dir.resolve("b").toString(), "--mqtt", "ssl://127.0.0.1:" + mqtts,
            "--mqtt-ca", certificates.certificate().toString()), false);
        broker.run(new String[] {"--kafka", kafka.bootstrapServers(), "--registry", registryServer.url(),
            "--mqtt-port", String.valueOf(mqtt), "--http-port", "0", "--data", dir.resolve("broker").toString(),
            "--auth", users.toString(), "--mcp-password", SECRET, "--mqtt-tls-port", String.valueOf(mqtts),
            "--mqtt-tls-keystore", certificates.keyStore().toString(), "--mqtt-tls-keystore-password",
            certificates.password()}, false);
        await("both instances hold a share of every job").atMost(Duration.ofSeconds(120)).pollInSameThread()
            .until(() -> holdsAShare(a.jobs()) && holdsAShare(b.jobs()));
        produceTheMesh(kafka);
        assertThat(owners(a.jobs())).as("instances owning the keys").hasSize(2);
        for (HostInfo owner : owners(a.jobs())) {
          // the instances show each other the state secret; whoever does not, learns nothing
          final var asked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + owner.host()
              + ":" + owner.port() + "/state/routers")).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(asked.statusCode()).as(asked.body()).isEqualTo(401);
          assertThat(asked.body()).doesNotContain(routers.get(0));
        }

        try (var observer = client(mqtt)) {
          observer.subscribe("$mcp-server/presence/+/" + NAME, false);
          await("both MCP servers online").atMost(Duration.ofSeconds(60)).until(() -> online(observer).size() == 2);
          for (String sid : online(observer)) {
            answersForTheWholeMesh(mqtt, sid);
          }
          b.stop();
          await("the stopped instance's presence is cleared").atMost(Duration.ofSeconds(60))
              .until(() -> online(observer).size() == 1);
          answersForTheWholeMesh(mqtt, online(observer).iterator().next());
        }
      } finally {
        b.stop();
        a.stop();
        broker.stop();
      }
    }
  }

  private void answersForTheWholeMesh(int mqtt, String sid) throws Exception {
    try (var client = client(mqtt)) {
      final String rpc = SpecClient.rpc(client.clientId, sid, NAME);
      client.sendInitialize(sid, NAME, "init", "2025-06-18");
      await().atMost(Duration.ofSeconds(30)).until(() -> !client.responses(rpc, "init").isEmpty());
      client.publish(rpc, SpecClient.notification("notifications/initialized"), true, MqttQos.AT_LEAST_ONCE);

      final var routersSeen = answer(client, sid, "list_routers", "{}",
          result -> assertThat(result.at("/routers").findValuesAsText("router")).containsAll(routers));
      assertThat(routersSeen.at("/routers").findValuesAsText("state")).containsOnly("online");
      answer(client, sid, "recent_alerts", "{\"limit\":50}", result -> assertThat(
          result.at("/alerts").findValuesAsText("alertId")).containsExactlyInAnyOrderElementsOf(alertIds()));
      for (String router : routers) {
        answer(client, sid, "router_outages", "{\"router\":\"" + router + "\",\"since\":\"" + T0.minusSeconds(3600) + "\"}",
            result -> assertThat(result.at("/outages/0/durationSeconds").asLong()).isEqualTo(300));
        answer(client, sid, "recent_alerts", "{\"router\":\"" + router + "\"}",
            result -> assertThat(result.at("/alerts").findValuesAsText("alertId")).containsExactly("alert-" + router));
      }
      for (String node : nodes) {
        answer(client, sid, "node_info", "{\"node\":\"" + node + "\"}",
            result -> assertThat(result.at("/nodeId").asText()).isEqualTo(node));
      }
      for (String packet : packets) {
        answer(client, sid, "packet_heard_by", "{\"packetKey\":\"" + packet + "\"}",
            result -> assertThat(result.at("/heardBy").findValuesAsText("gatewayId")).containsExactly(routers.get(0)));
      }
    }
  }

  /** Calls a tool until its answer (structuredContent) passes {@code check}: the jobs take a while to catch up. */
  private static JsonNode answer(SpecClient client, String sid, String tool, String arguments,
      java.util.function.Consumer<JsonNode> check) throws Exception {
    final String rpc = SpecClient.rpc(client.clientId, sid, NAME);
    final ObjectNode params = SpecClient.JSON.createObjectNode().put("name", tool);
    params.set("arguments", SpecClient.JSON.readTree(arguments));
    final var last = new AtomicReference<JsonNode>();
    await(tool + " " + arguments + " from " + sid).atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      final String id = "t-" + UUID.randomUUID();
      client.publish(rpc, SpecClient.request(id, "tools/call", params), true, MqttQos.AT_LEAST_ONCE);
      await().atMost(Duration.ofSeconds(60)).until(() -> !client.responses(rpc, id).isEmpty());
      final JsonNode result = client.responses(rpc, id).get(0).json().get("result");
      last.set(result);
      assertThat(result.path("isError").asBoolean()).as("%s", result).isFalse();
      check.accept(result.get("structuredContent"));
    });
    return last.get().get("structuredContent");
  }

  private static SpecClient client(int mqtt) {
    return new SpecClient(mqtt, "assistant", READER, "c-" + UUID.randomUUID().toString().replace("-", ""));
  }

  /** Server ids whose latest presence message is an online one. */
  private static Set<String> online(SpecClient observer) {
    final var latest = new java.util.LinkedHashMap<String, Boolean>();
    observer.received.forEach(r -> latest.put(r.topic().split("/")[2], r.payload().length > 0));
    final var online = new HashSet<String>();
    latest.forEach((sid, up) -> {
      if (up) {
        online.add(sid);
      }
    });
    return online;
  }

  private static boolean holdsAShare(StreamJobs jobs) {
    return JOBS.stream().allMatch(job -> jobs.job(job).state() == KafkaStreams.State.RUNNING
        && jobs.job(job).metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty()));
  }

  /** The instances that own the keys of the mesh, by each job's store. */
  private Set<HostInfo> owners(StreamJobs jobs) {
    final var serializer = new StringSerializer();
    final var owners = new HashSet<HostInfo>();
    routers.forEach(r -> owners.add(jobs.job("health").queryMetadataForKey(HealthTopology.HEALTH_STORE, r, serializer)
        .activeHost()));
    nodes.forEach(n -> owners.add(jobs.job("nodes").queryMetadataForKey(NodesTopology.NODES_STORE, n, serializer)
        .activeHost()));
    packets.forEach(p -> owners.add(jobs.job("state").queryMetadataForKey(MeshStateTopology.HEARD_BY_STORE, p,
        serializer).activeHost()));
    return owners;
  }

  private List<String> alertIds() {
    return routers.stream().map(r -> "alert-" + r).toList();
  }

  private void produceTheMesh(EmbeddedKafka kafka) {
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer())) {
      for (String router : routers) {
        send(producer, "mesh.sessions.v1", router, ClientSession.newBuilder().setClientId(router)
            .setEvent(SessionEvent.CONNECTED).setAt(T0).setConnectionId("c-" + router).setKeepAliveSeconds(60)
            .setProtocolVersion("3.1.1").build());
        send(producer, "mesh.router-outages.v1", router, RouterOutage.newBuilder().setRouterId(router)
            .setOutageId(router + "@1").setStartedAt(T0.minusSeconds(600)).setEndedAt(T0.minusSeconds(300))
            .setDurationSeconds(300).setCause("CONNECTION_LOST").setAlerted(true).build());
        send(producer, "mesh.alerts.v1", router, Alert.newBuilder().setAlertId("alert-" + router)
            .setType("ROUTER_RECOVERED").setSubject(router).setSeverity("info").setAt(T0.minusSeconds(300))
            .setMessage(router + " is back").setOutageSeconds(300L).setDetails(Map.of()).build());
      }
      long id = 1;
      for (String node : nodes) {
        send(producer, "mesh.receptions.v1", node + "/" + id, Reception.newBuilder()
            .setTopic("msh/US/2/e/LongFast/" + routers.get(0)).setGatewayId(routers.get(0)).setChannelId("LongFast")
            .setFrom(node).setTo("!ffffffff").setPacketId(id).setPacketKey(node + "/" + id).setHopLimit(3)
            .setHopStart(3).setHopsAway(0).setRxSnr(5.5f).setRxRssi(-90).setViaMqtt(false).setEncrypted(true)
            .setDecrypted(true).setPortnum("TEXT_MESSAGE_APP").setReceivedAt(T0).build());
        id++;
      }
      for (String packet : packets) {
        send(producer, "mesh.heard-by.v1", packet, PacketHeardBy.newBuilder().setPacketKey(packet)
            .setFrom(packet.substring(0, 9)).setPacketId(Long.parseLong(packet.substring(10)))
            .setPortnum("TEXT_MESSAGE_APP").setFirstHeardAt(T0).setLastHeardAt(T0).setCopies(1)
            .setHeardBy(List.of(HeardBy.newBuilder().setGatewayId(routers.get(0)).setRxRssi(-80).setRxSnr(6.5f)
                .setHopLimit(3).setHopsAway(0).setRelayNode(0).setReceivedAt(T0).setCopies(1).build()))
            .build());
      }
      producer.flush();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void send(KafkaProducer<String, byte[]> producer, String topic, String key, SpecificRecord value) {
    final AvroSerde serde = AvroSerde.specific(registry, (Class) value.getClass());
    producer.send(new ProducerRecord<>(topic, key, serde.serializer().serialize(topic, value)));
  }

  /** The first key of {@code candidate(0), candidate(1), ...} in each partition, as Kafka's default partitioner places it. */
  private static List<String> keysInEveryPartition(IntFunction<String> candidate) {
    final var keys = new String[PARTITIONS];
    for (int i = 0, found = 0; found < PARTITIONS; i++) {
      final String key = candidate.apply(i);
      final int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
      if (keys[partition] == null) {
        keys[partition] = key;
        found++;
      }
    }
    return List.of(keys);
  }

  private static String[] with(List<String> args, String... more) {
    final var all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
