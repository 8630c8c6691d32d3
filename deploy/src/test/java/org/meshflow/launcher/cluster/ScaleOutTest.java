package org.meshflow.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.jobs.StreamJobs;
import org.meshflow.launcher.Meshflow;
import org.meshflow.records.Alert;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Rejected;
import org.meshflow.records.RouterOutage;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.RegistryHttpServer;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;

/**
 * Two {@code ./meshflow jobs} instances with one application id on a three-broker cluster (three
 * replicas, two in sync). One instance is a process of its own that is killed with SIGKILL mid-stream,
 * and a Kafka broker stops at the same moment: the survivor takes over every partition, and every packet,
 * outage and alert comes out exactly once. Only the jobs those come from run (decode, dedup, health):
 * this machine has two cores for three brokers and two instances.
 */
class ScaleOutTest {
  private static final int PARTITIONS = 4;
  private static final int PACKETS = 600;
  private static final int ROUTERS = 4;
  private static final List<String> OUTPUTS = List.of("mesh.packets.v1", "mesh.heard-by.v1", "mesh.router-outages.v1",
      "mesh.alerts.v1", "mesh.dlq.v1");

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  @Test
  void aKilledInstanceAndAStoppedBrokerLoseAndRepeatNothing(@TempDir Path dir) throws Exception {
    final var traffic = new MeshTraffic(Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MILLIS),
        PACKETS, ROUTERS, Duration.ofMinutes(11));
    final Path jobsConfig = dir.resolve("jobs.properties");
    Files.writeString(jobsConfig, """
        jobs.enabled=decode,dedup,health
        dedup.window=10m
        dedup.max-lateness=1h
        dedup.idle-after=10m
        dedup.close-interval=200ms
        dedup.node-packet-limit=1000000
        health.idle-after=10m
        health.check-interval=500ms
        kafka.commit.interval.ms=100
        kafka.consumer.session.timeout.ms=6000
        kafka.consumer.heartbeat.interval.ms=1000
        """);
    try (var kafka = EmbeddedKafka.startReplicated();
        var registryServer = RegistryHttpServer.start(registry, "127.0.0.1", 0, "")) {
      final List<String> args = List.of("--kafka", kafka.bootstrapServers(), "--registry", registryServer.url(),
          "--partitions", String.valueOf(PARTITIONS), "--replication-factor", "3", "--http-port", "0",
          "--jobs-config", jobsConfig.toString());
      final var survivor = new JobsCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
          System.err);
      Process doomed = null;
      try (var producer = producer(kafka)) {
        survivor.run(with(args, "--state-dir", dir.resolve("a").toString()), false);
        doomed = startInstance(args, dir);
        final StreamJobs jobs = survivor.jobs();
        await("the second instance takes its share").atMost(Duration.ofSeconds(90)).pollInSameThread()
            .until(() -> jobs.states().keySet().stream().allMatch(job -> running(jobs, job)
                && activeInputPartitions(jobs, job) < inputPartitions(jobs, job)));

        final int half = traffic.inputs.size() / 2;
        produce(producer, traffic.inputs.subList(0, half));
        try (var outputs = new Outputs(kafka)) {
          await().atMost(Duration.ofSeconds(90)).pollInSameThread()
              .until(() -> outputs.poll().get("mesh.packets.v1").size() >= 150);
          produce(producer, traffic.inputs.subList(half, traffic.inputs.size()));
          doomed.destroyForcibly().waitFor();
          kafka.stopBroker(2);
          System.out.println("killed one instance and broker 2 with "
              + outputs.poll().get("mesh.packets.v1").size() + " packets out");

          await("the survivor holds every partition").atMost(Duration.ofSeconds(90)).pollInSameThread()
              .until(() -> jobs.states().keySet().stream().allMatch(job -> running(jobs, job)
                  && activeInputPartitions(jobs, job) == inputPartitions(jobs, job)));
          await("every packet before the tail").atMost(Duration.ofSeconds(120)).pollInSameThread().until(() ->
              outputs.poll().get("mesh.packets.v1").size() >= traffic.expectedPackets.size() - traffic.tail.size());
          produce(producer, traffic.tail);
          try {
            await("every packet, outage and alert").atMost(Duration.ofSeconds(120)).pollInSameThread().until(() -> {
              final var seen = outputs.poll();
              return seen.get("mesh.packets.v1").size() >= traffic.expectedPackets.size()
                  && seen.get("mesh.heard-by.v1").size() >= traffic.closedPackets.size()
                  && seen.get("mesh.router-outages.v1").size() >= 2 * ROUTERS
                  && seen.get("mesh.alerts.v1").size() >= 2 * ROUTERS;
            });
          } catch (ConditionTimeoutException e) {
            // the assertions below say what is missing
            System.out.println("outputs incomplete after 2 minutes; the survivor's jobs: " + jobs.states());
          }
          final var seen = outputs.poll();
          assertThat(outputs.decode("mesh.dlq.v1", Rejected.class))
              .extracting(r -> r.getStage() + ": " + r.getReason()).isEmpty();
          final var packetKeys = seen.get("mesh.packets.v1").stream().map(ConsumerRecord::key).toList();
          assertThat(packetKeys).doesNotHaveDuplicates();
          assertThat(difference(packetKeys, traffic.expectedPackets)).as("packets missing").isEmpty();
          assertThat(difference(traffic.expectedPackets, packetKeys)).as("packets not sent").isEmpty();
          final var heardBy = outputs.decode("mesh.heard-by.v1", PacketHeardBy.class);
          final var heardKeys = heardBy.stream().map(PacketHeardBy::getPacketKey).toList();
          assertThat(heardKeys).doesNotHaveDuplicates();
          assertThat(difference(heardKeys, traffic.closedPackets)).as("heard-by lists missing").isEmpty();
          assertThat(difference(traffic.closedPackets, heardKeys)).as("heard-by lists of open packets").isEmpty();
          assertThat(heardBy).filteredOn(h -> traffic.threeCopyPackets.contains(h.getPacketKey()))
              .hasSize(PACKETS).allSatisfy(h -> assertThat(h.getCopies()).isEqualTo(MeshTraffic.GATEWAYS));
          final var outages = outputs.decode("mesh.router-outages.v1", RouterOutage.class);
          assertThat(outages.stream().map(RouterOutage::getOutageId).distinct()).hasSize(2 * ROUTERS);
          assertThat(outages).filteredOn(RouterOutage::getAlerted).hasSize(ROUTERS)
              .allSatisfy(o -> assertThat(o.getDurationSeconds()).isEqualTo(240));
          final var alerts = outputs.decode("mesh.alerts.v1", Alert.class);
          assertThat(alerts.stream().map(Alert::getAlertId).distinct()).hasSize(2 * ROUTERS);
          final Map<String, Long> byType = alerts.stream()
              .collect(Collectors.groupingBy(a -> a.getType().toString(), Collectors.counting()));
          assertThat(byType).containsExactlyInAnyOrderEntriesOf(
              Map.of("ROUTER_OFFLINE", (long) ROUTERS, "ROUTER_RECOVERED", (long) ROUTERS));
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

  /** What {@code wanted} holds that {@code have} does not. */
  private static Set<String> difference(java.util.Collection<String> have, java.util.Collection<String> wanted) {
    final var missing = new java.util.TreeSet<>(wanted);
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

  private static boolean running(StreamJobs jobs, String job) {
    return jobs.job(job).state() == KafkaStreams.State.RUNNING;
  }

  /** Partitions of the job's input topics (not its internal ones) that this instance processes. */
  private static long activeInputPartitions(StreamJobs jobs, String job) {
    return jobs.job(job).metadataForLocalThreads().stream().flatMap(t -> t.activeTasks().stream())
        .flatMap(task -> task.topicPartitions().stream()).filter(tp -> tp.topic().startsWith("mesh.")).count();
  }

  /** All partitions of the job's input topics: as many per input topic as the cluster has. */
  private static long inputPartitions(StreamJobs jobs, String job) {
    final Set<String> topics = new HashSet<>();
    jobs.job(job).metadataForLocalThreads().stream().flatMap(t -> t.activeTasks().stream())
        .flatMap(task -> task.topicPartitions().stream()).filter(tp -> tp.topic().startsWith("mesh."))
        .forEach(tp -> topics.add(tp.topic()));
    return topics.isEmpty() ? Long.MAX_VALUE : (long) topics.size() * PARTITIONS;
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

  /** Everything committed to the output topics so far, read with read_committed. */
  private final class Outputs implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, List<ConsumerRecord<String, byte[]>>> seen = new HashMap<>();

    Outputs(EmbeddedKafka kafka) {
      final var props = kafka.clientProperties();
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
      final var partitions = new ArrayList<TopicPartition>();
      for (String topic : OUTPUTS) {
        seen.put(topic, new ArrayList<>());
        consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    Map<String, List<ConsumerRecord<String, byte[]>>> poll() {
      consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.get(r.topic()).add(r));
      return seen;
    }

    <T extends SpecificRecord> List<T> decode(String topic, Class<T> type) {
      final var serde = AvroSerde.specific(registry, type);
      return seen.get(topic).stream().map(r -> serde.deserialize(topic, r.value())).toList();
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
