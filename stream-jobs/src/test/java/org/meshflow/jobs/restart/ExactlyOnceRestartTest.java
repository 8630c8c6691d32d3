package org.meshflow.jobs.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.jobs.dedup.DedupTopology;
import org.meshflow.jobs.health.HealthTopology;
import org.meshflow.jobs.testing.Receptions;
import org.meshflow.jobs.testing.RouterEvents;
import org.meshflow.records.Alert;
import org.meshflow.records.DisconnectReason;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterState;
import org.meshflow.records.RouterStatus;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;

/**
 * Dedup and health run exactly-once on a real Kafka in a process of their own, which is killed
 * with SIGKILL while it works through a stream and started again on the same state directory.
 * Whatever the kill interrupted, every packet comes out once, with all its copies counted once,
 * and every outage and alert exactly once.
 */
class ExactlyOnceRestartTest {
  private static final int PACKETS = 1500;
  private static final int ROUTERS = 10;
  private static final List<String> OUTPUTS = List.of("mesh.packets.v1", "mesh.heard-by.v1", "mesh.router-outages.v1",
      "mesh.alerts.v1", "mesh.dlq.v1", "mesh.router-status.v1");

  private final SchemaRegistry registry = FixedSchemaIds.registry();

  private record Input(String topic, String key, SpecificRecord value, Instant at) {}

  @Test
  void aKilledJobProcessRestartsWithoutDuplicatesOrLosses(@TempDir Path dir) throws Exception {
    try (var kafka = EmbeddedKafka.start()) {
      for (String topic : List.of("mesh.receptions.v1", "mesh.sessions.v1", "mesh.uplink.v1", "mesh.legacy-status.v1",
          "mesh.packets.v1", "mesh.heard-by.v1", "mesh.router-status.v1", "mesh.router-outages.v1", "mesh.alerts.v1")) {
        kafka.createTopic(topic, 2);
      }
      kafka.createTopic("mesh.dlq.v1", 1);
      final List<Input> inputs = inputs(Instant.now().minus(Duration.ofMinutes(15)).truncatedTo(ChronoUnit.MILLIS));
      final int half = inputs.size() / 2;

      try (var producer = producer(kafka); var outputs = new Outputs(kafka)) {
        final var first = startJobs(kafka, dir, "first");
        produce(producer, inputs.subList(0, half));
        producer.send(new ProducerRecord<>("mesh.receptions.v1", "garbage", new byte[] {42})).get();
        // killed with packets half done and every router's first outage open
        await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
          final var seen = outputs.poll();
          return seen.get("mesh.packets.v1").size() >= 400 && outputs.decode(seen.get("mesh.router-status.v1"),
              RouterStatus.class).stream().filter(st -> st.getState() == RouterState.OFFLINE).count() >= ROUTERS;
        });
        first.destroyForcibly().waitFor();
        final int beforeKill = outputs.poll().get("mesh.packets.v1").size();
        System.out.println("job process killed with " + beforeKill + " packets committed (of " + PACKETS + ")");

        produce(producer, inputs.subList(half, inputs.size()));
        final var second = startJobs(kafka, dir, "second");
        try {
          await().atMost(Duration.ofSeconds(120)).pollInSameThread().until(() -> {
            final var seen = outputs.poll();
            return seen.get("mesh.heard-by.v1").size() >= PACKETS && seen.get("mesh.alerts.v1").size() >= 2 * ROUTERS
                && seen.get("mesh.router-outages.v1").size() >= 2 * ROUTERS && caughtUp(kafka);
          });
          final var seen = outputs.poll();

          final var packets = seen.get("mesh.packets.v1");
          assertThat(packets).hasSize(PACKETS);
          assertThat(packets.stream().map(r -> r.key).distinct()).hasSize(PACKETS);
          final var heardBy = outputs.decode(seen.get("mesh.heard-by.v1"), PacketHeardBy.class);
          assertThat(heardBy).hasSize(PACKETS);
          assertThat(heardBy).allSatisfy(h -> {
            assertThat(h.getCopies()).isEqualTo(3);
            assertThat(h.getHeardBy()).hasSize(3);
          });
          final var outages = outputs.decode(seen.get("mesh.router-outages.v1"), RouterOutage.class);
          assertThat(outages.stream().map(RouterOutage::getOutageId).distinct()).hasSize(2 * ROUTERS);
          assertThat(outages).filteredOn(RouterOutage::getAlerted).hasSize(ROUTERS)
              .allSatisfy(o -> assertThat(o.getDurationSeconds()).isEqualTo(240));
          final var alerts = outputs.decode(seen.get("mesh.alerts.v1"), Alert.class);
          assertThat(alerts.stream().map(Alert::getAlertId).distinct()).hasSize(2 * ROUTERS);
          assertThat(alerts.stream().collect(Collectors.groupingBy(Alert::getType, Collectors.counting())))
              .containsExactlyInAnyOrderEntriesOf(Map.of("ROUTER_OFFLINE", (long) ROUTERS, "ROUTER_RECOVERED", (long) ROUTERS));
          assertThat(seen.get("mesh.dlq.v1")).singleElement().satisfies(r -> assertThat(r.key).isEqualTo("garbage"));
        } catch (AssertionError | RuntimeException e) {
          System.out.println(Files.readString(dir.resolve("first.log")));
          System.out.println(Files.readString(dir.resolve("second.log")));
          throw e;
        } finally {
          second.destroyForcibly().waitFor();
        }
      }
    }
  }

  /** Copies of packets from three gateways, and routers with one long outage and one blip each, in time order. */
  private static List<Input> inputs(Instant base) {
    final var inputs = new ArrayList<Input>();
    for (int i = 0; i < PACKETS; i++) {
      final Instant at = base.plusMillis(200L * i);
      final String from = String.format("!%08x", 0xa0000000L + i % 50);
      for (int g = 0; g < 3; g++) {
        final var copy = Receptions.copy(from, 1000 + i, String.format("!%08x", 0xb0000000L + (i + g) % 7),
            at.plusMillis(40L * g), 3 - g, -80 - g);
        inputs.add(new Input("mesh.receptions.v1", copy.getPacketKey(), copy, copy.getReceivedAt()));
      }
    }
    for (int r = 0; r < ROUTERS; r++) {
      final String router = String.format("!%08x", 0x10000000L + r);
      final Instant t = base.plusSeconds(r);
      session(inputs, RouterEvents.connected(router, "c0", t));
      session(inputs, RouterEvents.disconnected(router, "c0", DisconnectReason.CONNECTION_LOST, t.plusSeconds(60)));
      session(inputs, RouterEvents.connected(router, "c1", t.plusSeconds(300)));
      session(inputs, RouterEvents.disconnected(router, "c1", DisconnectReason.KEEPALIVE_TIMEOUT, t.plusSeconds(400)));
      session(inputs, RouterEvents.connected(router, "c2", t.plusSeconds(430)));
      for (int s = 5; s < 440; s += 30) {
        if (s < 60 || (s > 300 && s < 400) || s > 430) {
          final var uplink = RouterEvents.uplink(router, t.plusSeconds(s));
          inputs.add(new Input("mesh.uplink.v1", router, uplink, uplink.getReceivedAt()));
        }
      }
    }
    inputs.sort(Comparator.comparing(Input::at));
    return inputs;
  }

  private static void session(List<Input> inputs, org.meshflow.records.ClientSession event) {
    inputs.add(new Input("mesh.sessions.v1", event.getClientId(), event, event.getAt()));
  }

  private KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
    final var props = kafka.clientProperties();
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void produce(KafkaProducer<String, byte[]> producer, List<Input> inputs) throws Exception {
    final var serdes = new HashMap<Class<?>, AvroSerde>();
    for (Input input : inputs) {
      final AvroSerde serde = serdes.computeIfAbsent(input.value().getClass(),
          type -> AvroSerde.specific(registry, (Class<SpecificRecord>) type));
      producer.send(new ProducerRecord<>(input.topic(), null, input.at().toEpochMilli(), input.key(),
          serde.serialize(input.topic(), input.value())));
    }
    producer.flush();
  }

  private static Process startJobs(EmbeddedKafka kafka, Path dir, String name) throws IOException {
    final String java = ProcessHandle.current().info().command().orElse("java");
    final var process = new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
        JobsProcess.class.getName(), kafka.bootstrapServers(), dir.resolve("state").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
    await().atMost(Duration.ofSeconds(90)).until(() -> !process.isAlive()
        || Files.readString(dir.resolve(name + ".log")).contains("RUNNING"));
    assertThat(process.isAlive()).as(() -> readQuietly(dir.resolve(name + ".log"))).isTrue();
    return process;
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Both jobs have committed every input record. */
  private static boolean caughtUp(EmbeddedKafka kafka) throws Exception {
    try (var admin = Admin.create(kafka.clientProperties())) {
      for (var job : Map.of(DedupTopology.APPLICATION_ID, Set.of("mesh.receptions.v1"),
          HealthTopology.APPLICATION_ID, Set.of("mesh.sessions.v1", "mesh.uplink.v1")).entrySet()) {
        final var committed = admin.listConsumerGroupOffsets(job.getKey()).partitionsToOffsetAndMetadata().get();
        final var partitions = new HashMap<TopicPartition, OffsetSpec>();
        for (String topic : job.getValue()) {
          for (int p = 0; p < 2; p++) {
            partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
          }
        }
        for (var end : admin.listOffsets(partitions).all().get().entrySet()) {
          final var offset = committed.get(end.getKey());
          if (end.getValue().offset() > 0 && (offset == null || offset.offset() < end.getValue().offset())) {
            return false;
          }
        }
      }
      return true;
    }
  }

  /** Everything committed to the output topics so far, read with read_committed. */
  private final class Outputs implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>>> seen = new HashMap<>();

    Outputs(EmbeddedKafka kafka) {
      final var props = kafka.clientProperties();
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
      final var partitions = new ArrayList<TopicPartition>();
      for (String topic : OUTPUTS) {
        seen.put(topic, new ArrayList<>());
        for (var info : consumer.partitionsFor(topic)) {
          partitions.add(new TopicPartition(topic, info.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    Map<String, List<KeyedRecord>> poll() {
      for (var record : consumer.poll(Duration.ofMillis(200))) {
        seen.get(record.topic()).add(record);
      }
      final var view = new HashMap<String, List<KeyedRecord>>();
      seen.forEach((topic, records) -> view.put(topic,
          records.stream().map(r -> new KeyedRecord(r.key(), r.topic(), r.value())).toList()));
      return view;
    }

    <T extends SpecificRecord> List<T> decode(List<KeyedRecord> records, Class<T> type) {
      final var serde = AvroSerde.specific(registry, type);
      return records.stream().map(r -> serde.deserialize(r.topic, r.value)).toList();
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  private record KeyedRecord(String key, String topic, byte[] value) {}
}
