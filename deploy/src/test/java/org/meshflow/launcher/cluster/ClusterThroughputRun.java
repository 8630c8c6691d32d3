package org.meshflow.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.RegistryHttpServer;
import org.meshflow.serde.AvroSerde;
import org.meshflow.testing.EmbeddedKafka;

/**
 * Load run, not part of the suite (its name does not end in Test): the decode, dedup and health jobs
 * of one, then two, then again one {@code ./meshflow jobs} instances (same application id, in this JVM)
 * work through the same uplinks on a fresh three-broker cluster each, after a warm-up round; prints
 * uplinks per second of each round and the ratio of two instances to the mean of the one-instance rounds. See docs/BENCHMARKS.md, section Cluster.
 * <pre>mvn -B -ntp -q -pl deploy -am test -Dtest=ClusterThroughputRun -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class ClusterThroughputRun {
  private static final int PARTITIONS = 6;
  private static final int PACKETS = Integer.getInteger("meshflow.bench.packets", 3000);
  private static final int ROUTERS = 8;

  @Test
  void oneInstanceThenTwo(@TempDir Path dir) throws Exception {
    final Instant base = Instant.now().minus(Duration.ofMinutes(40)).truncatedTo(ChronoUnit.MILLIS);
    final var traffic = new MeshTraffic(base, PACKETS, ROUTERS, Duration.ofMinutes(11));
    final long uplinks = traffic.inputs.stream().filter(i -> i.topic().equals("mesh.uplink.v1")).count();
    // the first round warms up the JVM (classes, JIT, Avro, RocksDB) and is not counted
    round(dir.resolve("warm-up"), traffic, 1);
    final double one = round(dir.resolve("one"), traffic, 1);
    final double two = round(dir.resolve("two"), traffic, 2);
    final double oneAgain = round(dir.resolve("one-again"), traffic, 1);
    System.out.printf(Locale.ROOT, "cluster throughput: %d uplinks, %d partitions: 1 instance %.0f and %.0f uplinks/s, "
        + "2 instances %.0f uplinks/s, ratio %.2f%n", uplinks, PARTITIONS, one, oneAgain, two, 2 * two / (one + oneAgain));
  }

  /** Uplinks per second from the first record produced until every packet and outage is out. */
  private static double round(Path dir, MeshTraffic traffic, int instances) throws Exception {
    final var registry = new InMemorySchemaRegistry();
    Files.createDirectories(dir);
    final Path settings = dir.resolve("jobs.properties");
    Files.writeString(settings, """
        jobs.enabled=decode,dedup,health
        dedup.window=10m
        dedup.max-lateness=1h
        dedup.idle-after=10m
        dedup.node-packet-limit=1000000
        health.idle-after=10m
        kafka.consumer.session.timeout.ms=10000
        kafka.consumer.heartbeat.interval.ms=2000
        """);
    try (var kafka = EmbeddedKafka.startReplicated();
        var server = RegistryHttpServer.start(registry, "127.0.0.1", 0, "")) {
      final var running = new ArrayList<JobsCommand>();
      try {
        for (int i = 0; i < instances; i++) {
          final var jobs = new JobsCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
          jobs.run(new String[] {"--kafka", kafka.bootstrapServers(), "--registry", server.url(), "--partitions",
              String.valueOf(PARTITIONS), "--replication-factor", "3", "--http-port", "0", "--state-dir",
              dir.resolve("state-" + i).toString(), "--jobs-config", settings.toString()}, false);
          running.add(jobs);
        }
        await().atMost(Duration.ofSeconds(120)).pollInSameThread().until(() -> running.stream()
            .allMatch(j -> org.meshflow.launcher.run.RunningJobs.running(j.jobs())));
        final long start = System.nanoTime();
        produce(kafka, registry, traffic);
        try (var consumer = outputs(kafka)) {
          final Set<String> packets = new HashSet<>();
          final long[] outages = {0};
          await().atMost(Duration.ofMinutes(10)).pollInSameThread().until(() -> {
            for (var r : consumer.poll(Duration.ofMillis(200))) {
              if (r.topic().equals("mesh.packets.v1")) {
                packets.add(r.key());
              } else {
                outages[0]++;
              }
            }
            return packets.size() >= traffic.expectedPackets.size() && outages[0] >= 2L * ROUTERS
                && decodeCaughtUp(kafka);
          });
          final double seconds = (System.nanoTime() - start) / 1e9;
          assertThat(packets).isEqualTo(traffic.expectedPackets);
          final long uplinks = traffic.inputs.stream().filter(i -> i.topic().equals("mesh.uplink.v1")).count();
          System.out.printf(Locale.ROOT, "%d instance(s): %d uplinks in %.1f s%n", instances, uplinks, seconds);
          return uplinks / seconds;
        }
      } finally {
        running.forEach(JobsCommand::stop);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void produce(EmbeddedKafka kafka, InMemorySchemaRegistry registry, MeshTraffic traffic)
      throws Exception {
    final var props = kafka.clientProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      final var serdes = new HashMap<Class<?>, AvroSerde>();
      for (var input : java.util.stream.Stream.concat(traffic.inputs.stream(), traffic.tail.stream()).toList()) {
        final AvroSerde serde = serdes.computeIfAbsent(input.value().getClass(),
            type -> AvroSerde.specific(registry, (Class<SpecificRecord>) type));
        producer.send(new ProducerRecord<>(input.topic(), null, input.at().toEpochMilli(), input.key(),
            serde.serialize(input.topic(), input.value())));
      }
      producer.flush();
    }
  }

  private static KafkaConsumer<String, byte[]> outputs(EmbeddedKafka kafka) {
    final var props = kafka.clientProperties();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    final var partitions = new ArrayList<TopicPartition>();
    for (String topic : List.of("mesh.packets.v1", "mesh.router-outages.v1")) {
      consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  private static boolean decodeCaughtUp(EmbeddedKafka kafka) throws Exception {
    try (var admin = Admin.create(kafka.clientProperties())) {
      final var committed = admin.listConsumerGroupOffsets("meshflow-decode").partitionsToOffsetAndMetadata().get();
      final Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        ends.put(new TopicPartition("mesh.uplink.v1", p), OffsetSpec.latest());
      }
      for (var end : admin.listOffsets(ends).all().get().entrySet()) {
        final var offset = committed.get(end.getKey());
        if (end.getValue().offset() > 0 && (offset == null || offset.offset() < end.getValue().offset())) {
          return false;
        }
      }
      return true;
    }
  }
}
