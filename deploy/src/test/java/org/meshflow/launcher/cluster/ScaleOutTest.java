package org.meshflow.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.jobs.StreamJobs;
import org.meshflow.jobs.decode.DecodeTopology;
import org.meshflow.jobs.dedup.DedupTopology;
import org.meshflow.jobs.health.HealthTopology;
import org.meshflow.jobs.insight.InsightTopology;
import org.meshflow.jobs.mqtt.MqttOutputConfig;
import org.meshflow.jobs.nodes.NodesTopology;
import org.meshflow.jobs.state.MeshState;
import org.meshflow.jobs.state.MeshStateTopology;
import org.meshflow.launcher.Meshflow;
import org.meshflow.records.Alert;
import org.meshflow.records.GatewayDuplicates;
import org.meshflow.records.NodeState;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Rejected;
import org.meshflow.records.RouterOutage;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.RegistryHttpServer;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;

/**
 * Two {@code ./meshflow jobs} instances, every job in each, with one application id on a three-broker
 * cluster (three replicas, two in sync). One instance is a process of its own that is killed with SIGKILL
 * mid-stream, and a Kafka broker stops at the same moment: the survivor takes over every partition of
 * every job, and what users read comes out exactly once: packets, heard-by lists, outages, alerts, the
 * MQTT alert events and retained router views, each node's final state, the closed duplicate-count windows,
 * and the state job's answers (what the MCP tools serve).
 */
class ScaleOutTest {
  private static final int PARTITIONS = 4;
  private static final int PACKETS = 600;
  private static final int ROUTERS = 4;
  private static final Duration INSIGHT_WINDOW = Duration.ofMinutes(2);
  private static final Duration INSIGHT_ADVANCE = Duration.ofMinutes(1);
  private static final String PACKETS_TOPIC = "mesh.packets.v1";
  private static final String HEARD_BY = "mesh.heard-by.v1";
  private static final String OUTAGES = "mesh.router-outages.v1";
  private static final String ALERTS = "mesh.alerts.v1";
  private static final String NODES = "mesh.nodes.v1";
  private static final String DUPLICATES = "mesh.gateway-duplicates.v1";
  private static final String MQTT_EVENTS = "mesh.mqtt-events.v1";
  private static final String MQTT_RETAINED = "mesh.mqtt-retained.v1";
  private static final List<String> OUTPUTS = List.of(PACKETS_TOPIC, HEARD_BY, OUTAGES, ALERTS, "mesh.dlq.v1",
      NODES, DUPLICATES, MQTT_EVENTS, MQTT_RETAINED);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The consumer group (application id) of each job. */
  private static final Map<String, String> GROUPS = Map.of("decode", DecodeTopology.APPLICATION_ID,
      "dedup", DedupTopology.APPLICATION_ID, "health", HealthTopology.APPLICATION_ID,
      "nodes", NodesTopology.APPLICATION_ID, "insight", InsightTopology.APPLICATION_ID,
      "mqtt", MqttOutputConfig.defaults().applicationId(), "state", MeshStateTopology.APPLICATION_ID);

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final UploadWindows uploadWindows = new UploadWindows(INSIGHT_WINDOW, INSIGHT_ADVANCE);

  @Test
  void aKilledInstanceAndAStoppedBrokerLoseAndRepeatNothing(@TempDir Path dir) throws Exception {
    final var traffic = new MeshTraffic(Instant.now().minus(Duration.ofMinutes(40)).truncatedTo(ChronoUnit.MILLIS),
        PACKETS, ROUTERS, Duration.ofMinutes(11));
    final Path jobsConfig = dir.resolve("jobs.properties");
    // insight's grace covers the main traffic's span (heard-by lists reach it in any order within that), and
    // the tail's heard-by lists, 11 minutes later, close every window of the main traffic
    Files.writeString(jobsConfig, """
        dedup.window=10m
        dedup.max-lateness=1h
        dedup.idle-after=10m
        dedup.close-interval=200ms
        dedup.node-packet-limit=1000000
        health.idle-after=10m
        health.check-interval=500ms
        nodes.publish-interval=1s
        insight.window=%s
        insight.advance=%s
        insight.grace=8m
        kafka.commit.interval.ms=100
        kafka.consumer.session.timeout.ms=6000
        kafka.consumer.heartbeat.interval.ms=1000
        """.formatted(INSIGHT_WINDOW.toMinutes() + "m", INSIGHT_ADVANCE.toMinutes() + "m"));
    try (var kafka = EmbeddedKafka.startReplicated();
        var registryServer = RegistryHttpServer.start(registry, "127.0.0.1", 0, "");
        var admin = Admin.create(kafka.clientProperties())) {
      final List<String> args = List.of("--kafka", kafka.bootstrapServers(), "--registry", registryServer.url(),
          "--partitions", String.valueOf(PARTITIONS), "--replication-factor", "3", "--http-port", "0",
          "--silence-threshold", "2h", "--jobs-config", jobsConfig.toString());
      final var survivor = new JobsCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
          System.err);
      Process doomed = null;
      try (var producer = producer(kafka)) {
        survivor.run(with(args, "--state-dir", dir.resolve("a").toString()), false);
        doomed = startInstance(args, dir);
        final StreamJobs jobs = survivor.jobs();
        final Map<String, Long> partitions = new HashMap<>();
        await("the second instance takes its share of every job").atMost(Duration.ofSeconds(120)).pollInSameThread()
            .until(() -> jobs.states().keySet().stream().allMatch(job -> running(jobs, job)
                && activeInputPartitions(jobs, job) < partitions.compute(job, (j, n) -> inputPartitions(admin, j))));
        assertThat(partitions).hasSize(7);

        final int half = traffic.inputs.size() / 2;
        produce(producer, traffic.inputs.subList(0, half));
        try (var outputs = new OutputTopics(kafka, registry, OUTPUTS)) {
          await().atMost(Duration.ofSeconds(90)).pollInSameThread().until(() -> outputs.count(PACKETS_TOPIC) >= 150);
          produce(producer, traffic.inputs.subList(half, traffic.inputs.size()));
          doomed.destroyForcibly().waitFor();
          kafka.stopBroker(2);
          System.out.println("killed one instance and broker 2 with " + outputs.count(PACKETS_TOPIC) + " packets out");

          final var allPartitions = new TreeMap<String, String>();
          partitions.forEach((job, n) -> allPartitions.put(job, "RUNNING " + n + "/" + n));
          await("the survivor holds every partition").atMost(Duration.ofSeconds(90)).pollInSameThread()
              .untilAsserted(() -> assertThat(holding(jobs, partitions)).isEqualTo(allPartitions));
          final int tails = traffic.tail.size() / MeshTraffic.GATEWAYS + traffic.closingTail.size() / MeshTraffic.GATEWAYS;
          await("every packet before the tail").atMost(Duration.ofSeconds(120)).pollInSameThread()
              .untilAsserted(() -> {
                assertThat(outputs.count(PACKETS_TOPIC)).isGreaterThanOrEqualTo(traffic.expectedPackets.size() - tails);
                assertThat(undecoded(admin)).as("uplinks not yet decoded").isZero();
              });
          System.out.println("scale-out: every packet before the tail is out; sending the tail");
          produce(producer, traffic.tail);
          await("heard-by lists of the packets before the tail, counted by insight").atMost(Duration.ofSeconds(120))
              .pollInSameThread().ignoreExceptions().until(() -> {
                final var lists = outputs.decode(HEARD_BY, PacketHeardBy.class);
                return outputs.count(HEARD_BY) >= traffic.closedPackets.size() && undecoded(admin) == 0
                    && countedByInsight(jobs).equals(gatewayUploads(lists));
              });
          System.out.println("scale-out: insight counted the heard-by lists; sending the closing tail");
          produce(producer, traffic.closingTail);
          try {
            await("every output").atMost(Duration.ofSeconds(120)).pollInSameThread().ignoreExceptions().until(() -> {
              final var seen = outputs.poll();
              return seen.get(PACKETS_TOPIC).size() >= traffic.expectedPackets.size()
                  && seen.get(HEARD_BY).size() >= traffic.closedPackets.size() + traffic.tailPackets.size()
                  && seen.get(OUTAGES).size() >= 2 * ROUTERS && seen.get(ALERTS).size() >= 2 * ROUTERS
                  && seen.get(MQTT_EVENTS).size() >= 2 * ROUTERS
                  && nodeView(outputs).equals(expectedNodeView(traffic))
                  && uploadsReported(outputs).keySet().containsAll(
                      gatewayUploads(outputs.decode(HEARD_BY, PacketHeardBy.class), traffic.closedPackets).keySet())
                  && MeshState.local(jobs::job).alerts(null, 1000).size() >= 2 * ROUTERS
                  && stateHeardBy(jobs).size() >= traffic.closedPackets.size() + traffic.tailPackets.size();
            });
          } catch (ConditionTimeoutException e) {
            // the assertions below say what is missing
            System.out.println("outputs incomplete after 2 minutes; the survivor's jobs: " + jobs.states());
          }
          outputs.poll();
          assertThat(outputs.decode("mesh.dlq.v1", Rejected.class))
              .extracting(r -> r.getStage() + ": " + r.getReason()).isEmpty();
          assertPacketsAndHeardBy(outputs, traffic);
          final List<Alert> alerts = assertOutagesAndAlerts(outputs);
          assertMqttOutboxes(outputs, alerts);
          assertThat(nodeView(outputs)).as("each node's final state on " + NODES).isEqualTo(expectedNodeView(traffic));
          assertInsight(outputs, traffic);
          assertStateJob(MeshState.local(jobs::job), jobs, traffic, alerts);
        }
      } catch (AssertionError | RuntimeException e) {
        System.out.println(Files.exists(dir.resolve("b.log")) ? Files.readString(dir.resolve("b.log")) : "");
        throw e;
      } finally {
        if (doomed != null) {
          doomed.destroyForcibly().waitFor();
        }
        survivor.stop();
      }
    }
  }

  private static void assertPacketsAndHeardBy(OutputTopics outputs, MeshTraffic traffic) {
    final var packetKeys = outputs.poll().get(PACKETS_TOPIC).stream().map(ConsumerRecord::key).toList();
    assertThat(packetKeys).doesNotHaveDuplicates();
    assertThat(difference(packetKeys, traffic.expectedPackets)).as("packets missing").isEmpty();
    assertThat(difference(traffic.expectedPackets, packetKeys)).as("packets not sent").isEmpty();
    final var heardBy = outputs.decode(HEARD_BY, PacketHeardBy.class);
    final var heardKeys = heardBy.stream().map(PacketHeardBy::getPacketKey).toList();
    final var closed = new TreeSet<>(traffic.closedPackets);
    closed.addAll(traffic.tailPackets);
    assertThat(heardKeys).doesNotHaveDuplicates();
    assertThat(difference(heardKeys, closed)).as("heard-by lists missing").isEmpty();
    assertThat(difference(closed, heardKeys)).as("heard-by lists of open packets").isEmpty();
    assertThat(heardBy).filteredOn(h -> traffic.threeCopyPackets.contains(h.getPacketKey()))
        .hasSize(PACKETS).allSatisfy(h -> assertThat(h.getCopies()).isEqualTo(MeshTraffic.GATEWAYS));
  }

  private static List<Alert> assertOutagesAndAlerts(OutputTopics outputs) {
    final var outages = outputs.decode(OUTAGES, RouterOutage.class);
    assertThat(outages.stream().map(RouterOutage::getOutageId).distinct()).hasSize(2 * ROUTERS);
    assertThat(outages).filteredOn(RouterOutage::getAlerted).hasSize(ROUTERS)
        .allSatisfy(o -> assertThat(o.getDurationSeconds()).isEqualTo(240));
    final var alerts = outputs.decode(ALERTS, Alert.class);
    assertThat(alerts.stream().map(Alert::getAlertId).distinct()).hasSize(2 * ROUTERS);
    final Map<String, Long> byType = alerts.stream()
        .collect(Collectors.groupingBy(a -> a.getType().toString(), Collectors.counting()));
    assertThat(byType).containsExactlyInAnyOrderEntriesOf(
        Map.of("ROUTER_OFFLINE", (long) ROUTERS, "ROUTER_RECOVERED", (long) ROUTERS));
    return alerts;
  }

  /** What Home Assistant and Node-RED would receive: each alert once, and every router's retained view. */
  private static void assertMqttOutboxes(OutputTopics outputs, List<Alert> alerts) throws IOException {
    final var events = new ArrayList<JsonNode>();
    for (var record : outputs.poll().get(MQTT_EVENTS)) {
      final JsonNode event = JSON.readTree(record.value());
      assertThat(record.key()).isEqualTo("meshflow/alerts/" + event.path("router").asText());
      events.add(event);
    }
    final var eventIds = events.stream().map(e -> e.path("id").asText()).toList();
    assertThat(eventIds).as("alert events on MQTT").doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(alerts.stream().map(a -> a.getAlertId().toString()).toList());

    final var retained = outputs.latestBytes(MQTT_RETAINED);
    final var routers = new TreeSet<String>();
    IntStream.range(0, MeshTraffic.GATEWAYS).forEach(g -> routers.add(MeshTraffic.gateway(g)));
    IntStream.range(0, ROUTERS).forEach(r -> routers.add(org.meshflow.meshtastic.NodeId.of(0x10000000 + r)));
    for (String router : routers) {
      assertThat(new String(retained.get("meshflow/routers/" + router + "/state"), StandardCharsets.UTF_8))
          .as("retained state of %s", router).isEqualTo("online");
      final JsonNode attributes = JSON.readTree(retained.get("meshflow/routers/" + router + "/attributes"));
      assertThat(attributes.path("outageCount").asInt()).as("outages of %s", router)
          .isEqualTo(router.startsWith("!1") ? 2 : 0);
    }
    final Map<String, Long> discoveries = outputs.poll().get(MQTT_RETAINED).stream().map(ConsumerRecord::key)
        .filter(topic -> topic.startsWith("homeassistant/"))
        .collect(Collectors.groupingBy(topic -> topic, TreeMap::new, Collectors.counting()));
    assertThat(discoveries).as("Home Assistant discovery, once per router").hasSize(routers.size())
        .allSatisfy((topic, count) -> assertThat(count).as(topic).isEqualTo(1));
  }

  /** Every window of the gateways' main traffic closed, each reported once with exactly its uploads. */
  private void assertInsight(OutputTopics outputs, MeshTraffic traffic) {
    final var reported = outputs.decode(DUPLICATES, GatewayDuplicates.class);
    assertThat(reported.stream().map(w -> UploadWindows.key(w.getGatewayId(), w.getWindowStart().toEpochMilli())))
        .as("closed windows reported twice").doesNotHaveDuplicates();
    final var lists = outputs.decode(HEARD_BY, PacketHeardBy.class);
    final Map<String, Long> expected = uploadWindows.uploads(lists);
    final Map<String, Long> counted = UploadWindows.uploadsReported(reported);
    assertThat(counted).as("uploads per gateway and window").isNotEmpty()
        .allSatisfy((window, uploads) -> assertThat(uploads).as(window).isEqualTo(expected.get(window)));
    assertThat(counted).containsAllEntriesOf(gatewayUploads(lists, traffic.closedPackets));
  }

  /** What the MCP tools answer from: every alert once, both outages of each router, every closed heard-by list. */
  private static void assertStateJob(MeshState state, StreamJobs jobs, MeshTraffic traffic, List<Alert> alerts) {
    assertThat(state.alerts(null, 1000)).extracting(a -> a.getAlertId().toString()).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(alerts.stream().map(a -> a.getAlertId().toString()).toList());
    for (int r = 0; r < ROUTERS; r++) {
      final String router = org.meshflow.meshtastic.NodeId.of(0x10000000 + r);
      assertThat(state.outages(router, Instant.EPOCH, Instant.now())).as("outages of %s", router).hasSize(2);
    }
    final var closed = new TreeSet<>(traffic.closedPackets);
    closed.addAll(traffic.tailPackets);
    assertThat(stateHeardBy(jobs)).isEqualTo(closed);
    assertThat(state.heardBy(traffic.threeCopyPackets.iterator().next()))
        .hasValueSatisfying(h -> assertThat(h.getCopies()).isEqualTo(MeshTraffic.GATEWAYS));
  }

  /** Uploads per window of the three gateways that hear everything, from the lists of {@code packets} only. */
  private Map<String, Long> gatewayUploads(List<PacketHeardBy> lists, Collection<String> packets) {
    return gatewayUploads(lists.stream().filter(l -> packets.contains(l.getPacketKey().toString())).toList());
  }

  private Map<String, Long> gatewayUploads(List<PacketHeardBy> lists) {
    final var uploads = new TreeMap<>(uploadWindows.uploads(lists));
    uploads.keySet().removeIf(window -> !window.startsWith("!c"));
    return uploads;
  }

  private static Map<String, Long> uploadsReported(OutputTopics outputs) {
    return UploadWindows.uploadsReported(outputs.decode(DUPLICATES, GatewayDuplicates.class));
  }

  /** The three gateways' uploads per window in the insight job's store (this instance holds every partition). */
  private static Map<String, Long> countedByInsight(StreamJobs jobs) {
    final var store = jobs.job("insight").store(StoreQueryParameters.fromNameAndType("gateway-upload-counts",
        QueryableStoreTypes.<String, GatewayDuplicates>windowStore()));
    final var counted = new ArrayList<GatewayDuplicates>();
    for (int g = 0; g < MeshTraffic.GATEWAYS; g++) {
      try (var windows = store.fetch(MeshTraffic.gateway(g), Instant.EPOCH, Instant.now())) {
        windows.forEachRemaining(w -> counted.add(GatewayDuplicates.newBuilder(w.value)
            .setWindowStart(Instant.ofEpochMilli(w.key)).build()));
      }
    }
    return UploadWindows.uploadsReported(counted);
  }

  private static Set<String> stateHeardBy(StreamJobs jobs) {
    final var store = jobs.job("state").store(StoreQueryParameters.fromNameAndType(MeshStateTopology.HEARD_BY_STORE,
        QueryableStoreTypes.<String, PacketHeardBy>windowStore()));
    final var keys = new TreeSet<String>();
    try (var all = store.all()) {
      all.forEachRemaining(entry -> keys.add(entry.key.key()));
    }
    return keys;
  }

  /** Each node's last state on the compacted topic, as "packets first-heard last-heard". */
  private static Map<String, String> nodeView(OutputTopics outputs) {
    final var view = new TreeMap<String, String>();
    outputs.latest(NODES, NodeState.class).forEach((node, state) ->
        view.put(node, state.getPackets() + " " + state.getFirstHeardAt() + " " + state.getLastHeardAt()));
    return view;
  }

  private static Map<String, String> expectedNodeView(MeshTraffic traffic) {
    final var view = new TreeMap<String, String>();
    traffic.copies.stream().collect(Collectors.groupingBy(MeshTraffic.Copy::node)).forEach((node, copies) -> {
      final var times = copies.stream().map(MeshTraffic.Copy::at).sorted().toList();
      view.put(node, copies.size() + " " + times.get(0) + " " + times.get(times.size() - 1));
    });
    return view;
  }

  /**
   * How many uplinks the decode job has not committed yet: once none, its receptions are committed too, and
   * what comes next reaches dedup after them.
   */
  private static long undecoded(Admin admin) throws ExecutionException, InterruptedException {
    final Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(DecodeTopology.APPLICATION_ID).partitionsToOffsetAndMetadata().get();
    final var latest = new HashMap<TopicPartition, OffsetSpec>();
    for (int p = 0; p < PARTITIONS; p++) {
      latest.put(new TopicPartition("mesh.uplink.v1", p), OffsetSpec.latest());
    }
    long behind = 0;
    for (var end : admin.listOffsets(latest).all().get().entrySet()) {
      final OffsetAndMetadata done = committed.get(end.getKey());
      behind += end.getValue().offset() - (done == null ? 0 : done.offset());
    }
    return behind;
  }

  /** What {@code wanted} holds that {@code have} does not. */
  private static Set<String> difference(Collection<String> have, Collection<String> wanted) {
    final var missing = new TreeSet<>(wanted);
    missing.removeAll(have);
    return missing;
  }

  private static String[] with(List<String> args, String... more) {
    final var all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static Process startInstance(List<String> args, Path dir) throws IOException {
    final String java = ProcessHandle.current().info().command().orElse("java");
    final var command = new ArrayList<>(List.of(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
        Meshflow.class.getName(), "jobs"));
    command.addAll(List.of(with(args, "--state-dir", dir.resolve("b").toString())));
    final Path log = dir.resolve("b.log");
    final var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    await().atMost(Duration.ofSeconds(120)).until(() -> !process.isAlive()
        || Files.readString(log).contains("meshflow ready jobs"));
    assertThat(process.isAlive()).as(() -> read(log)).isTrue();
    return process;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Each job's state and how many of its input partitions this instance processes, of all there are. */
  private static Map<String, String> holding(StreamJobs jobs, Map<String, Long> partitions) {
    final var holding = new TreeMap<String, String>();
    jobs.states().forEach((job, state) ->
        holding.put(job, state + " " + activeInputPartitions(jobs, job) + "/" + partitions.get(job)));
    return holding;
  }

  private static boolean running(StreamJobs jobs, String job) {
    return jobs.job(job).state() == KafkaStreams.State.RUNNING;
  }

  /** Partitions of the job's input topics (not its internal ones) that this instance processes. */
  private static long activeInputPartitions(StreamJobs jobs, String job) {
    return jobs.job(job).metadataForLocalThreads().stream().flatMap(t -> t.activeTasks().stream())
        .flatMap(task -> task.topicPartitions().stream()).filter(tp -> tp.topic().startsWith("mesh.")).count();
  }

  /** All partitions of the job's input topics: those assigned to any member of its consumer group. */
  private static long inputPartitions(Admin admin, String job) {
    final String group = GROUPS.get(job);
    try {
      final long assigned = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().members()
          .stream().flatMap(member -> member.assignment().topicPartitions().stream())
          .filter(tp -> tp.topic().startsWith("mesh.")).distinct().count();
      return assigned == 0 ? Long.MAX_VALUE : assigned;
    } catch (ExecutionException | InterruptedException e) {
      throw new IllegalStateException("cannot describe group " + group + ": " + e, e);
    }
  }

  private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
    final var props = kafka.clientProperties();
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void produce(KafkaProducer<String, byte[]> producer, List<MeshTraffic.Input> inputs) throws Exception {
    final var serdes = new HashMap<Class<?>, AvroSerde>();
    for (var input : inputs) {
      final AvroSerde serde = serdes.computeIfAbsent(input.value().getClass(),
          type -> AvroSerde.specific(registry, (Class<SpecificRecord>) type));
      producer.send(new ProducerRecord<>(input.topic(), null, input.at().toEpochMilli(), input.key(),
          serde.serialize(input.topic(), input.value())));
    }
    producer.flush();
  }
}
