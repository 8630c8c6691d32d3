package org.meshflow.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.meshflow.jobs.common.ConsumerLag;
import org.meshflow.jobs.decode.DecodeConfig;
import org.meshflow.jobs.decode.DecodeTopology;
import org.meshflow.jobs.dedup.DedupConfig;
import org.meshflow.jobs.dedup.DedupTopology;
import org.meshflow.launcher.embedded.EmbeddedKafkaServer;
import org.meshflow.launcher.embedded.FreePorts;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Reception;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;

/**
 * How long an uplink written to Kafka takes to come out of the decode and dedup jobs as a packet, at
 * a steady rate, for several {@code commit.interval.ms} in one run. Both jobs run exactly-once as in
 * the product, so a packet becomes visible to a read-committed consumer only when decode has committed
 * its reception and dedup its packet; the commit interval is the knob between latency and the cost of
 * committing. Uplinks go to Kafka as the bridge writes them (broker time = now), a read-committed
 * consumer of the packets topic matches each packet to the send time of its first copy. Every step
 * gets topics of its own and fresh jobs; its first {@code --warm-up} is not counted.
 *
 * <pre>
 * java -cp "bench/target/meshflow-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.meshflow.bench.JobsLatency \
 *     [--rate 1000] [--step 40s] [--warm-up 10s] [--intervals 100,50,25] [--rounds 3] [--partitions 3]
 * </pre>
 */
public final class JobsLatency {
  private final String bootstrap;
  private final SchemaRegistry registry = new InMemorySchemaRegistry();
  private final Path stateRoot;
  private final int partitions;

  private JobsLatency(String bootstrap, Path stateRoot, int partitions) {
    this.bootstrap = bootstrap;
    this.stateRoot = stateRoot;
    this.partitions = partitions;
  }

  /** One step's outcome: latencies of the counted packets, and packets that never arrived. */
  private record Step(Latencies latencies, int missing, double commitsPerSecond) {}

  public static void main(String[] args) throws Exception {
    final Map<String, String> o = BenchOptions.parse(args);
    final int rate = Integer.parseInt(o.getOrDefault("rate", "1000"));
    final Duration step = org.meshflow.config.Durations.parse(o.getOrDefault("step", "40s"));
    final Duration warmUp = org.meshflow.config.Durations.parse(o.getOrDefault("warm-up", "10s"));
    final int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
    final int partitions = Integer.parseInt(o.getOrDefault("partitions", "3"));
    final List<Integer> intervals = List.of(o.getOrDefault("intervals", "100,50,25").split(",")).stream()
        .map(String::trim).map(Integer::parseInt).toList();
    final int perStep = (int) (rate * step.toSeconds());
    final Path data = Files.createTempDirectory("meshflow-jobs-latency-");
    try (var kafka = EmbeddedKafkaServer.start(data.resolve("kafka"), FreePorts.pick(), FreePorts.pick())) {
      final var bench = new JobsLatency(kafka.bootstrapServers(), data.resolve("streams"), partitions);
      final List<MqttUplink> uplinks = SyntheticUplinks.uplinks(20, 2_000, perStep, Instant.now(), 1, 11);
      final List<String> keys = SyntheticUplinks.receptions(uplinks).stream().map(Reception::getPacketKey).toList();
      System.out.printf("%d uplinks/s for %s per step (first %s not counted), commit intervals %s ms, %d rounds%n",
          rate, step, warmUp, intervals, rounds);
      final var results = new LinkedHashMap<Integer, List<Step>>();
      for (int round = 1; round <= rounds; round++) {
        // alternate the order so no interval always runs first or last
        final List<Integer> order = new ArrayList<>(intervals);
        if (round % 2 == 0) {
          java.util.Collections.reverse(order);
        }
        for (int interval : order) {
          final Step result = bench.step(round, interval, rate, warmUp, uplinks, keys);
          results.computeIfAbsent(interval, k -> new ArrayList<>()).add(result);
          System.out.printf("round %d, commit.interval.ms %d: packets %d, p50 %.0f ms, p99 %.0f ms, missing %d, "
                  + "commits/s %.1f%n", round, interval, result.latencies().count(),
              result.latencies().percentileMs(50), result.latencies().percentileMs(99), result.missing(),
              result.commitsPerSecond());
        }
      }
      System.out.println("medians over " + rounds + " rounds (uplink in Kafka -> packet on mesh.packets.v1):");
      results.forEach((interval, steps) -> System.out.printf("  commit.interval.ms %3d: p50 %4.0f ms, p99 %4.0f ms"
              + "   (p99 rounds: %s)%n", interval,
          Stats.median(steps.stream().map(s -> s.latencies().percentileMs(50)).toList()),
          Stats.median(steps.stream().map(s -> s.latencies().percentileMs(99)).toList()),
          Stats.list(steps.stream().map(s -> s.latencies().percentileMs(99)).toList(), "%.0f")));
    } finally {
      try (var files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private Step step(int round, int interval, int rate, Duration warmUp, List<MqttUplink> uplinks, List<String> keys)
      throws Exception {
    final String prefix = "lat." + round + "." + interval + ".";
    final String uplinkTopic = prefix + "uplink";
    final String packetsTopic = prefix + "packets";
    final Map<String, String> settings = Map.of("decode.uplinks-topic", uplinkTopic,
        "decode.receptions-topic", prefix + "receptions", "dedup.receptions-topic", prefix + "receptions",
        "dedup.packets-topic", packetsTopic, "dedup.heard-by-topic", prefix + "heard-by");
    try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(uplinkTopic, prefix + "receptions", packetsTopic, prefix + "heard-by", "mesh.dlq.v1",
              "mesh.legacy-status.v1", "mesh.alerts.v1").stream()
          .map(name -> new NewTopic(name, partitions, (short) 1)).toList());
    } catch (Exception e) {
      // the shared DLQ, legacy-status and alert topics exist after the first step
    }
    final var decodeConfig = DecodeConfig.from(settings);
    final var dedupConfig = DedupConfig.from(settings);
    final var decode = new KafkaStreams(DecodeTopology.build(decodeConfig, registry, new SimpleMeterRegistry()),
        tuned(DecodeTopology.streamsConfig(decodeConfig, bootstrap, stateRoot.resolve(prefix + "decode"), registry),
            prefix + "decode", interval));
    final var lag = new ConsumerLag();
    final var dedup = lag.watch(new KafkaStreams(
        DedupTopology.build(dedupConfig, registry, new SimpleMeterRegistry(), lag),
        tuned(DedupTopology.streamsConfig(dedupConfig, bootstrap, stateRoot.resolve(prefix + "dedup"), registry),
            prefix + "dedup", interval)));
    final var sentAt = new ConcurrentHashMap<String, Long>();
    // a packet's first copy starts its clock; a later copy sent after the packet came out must not restart it
    final var started = new java.util.HashSet<String>();
    final var latencies = new Latencies();
    try (var watcher = new Watcher(packetsTopic, sentAt, latencies)) {
      start(decode, dedup);
      final long first = System.nanoTime();
      final long countAfter = first + warmUp.toNanos();
      final var serde = AvroSerde.specific(registry, MqttUplink.class);
      try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(),
          new ByteArraySerializer())) {
        for (int i = 0; i < uplinks.size(); i++) {
          final long due = first + i * 1_000_000_000L / rate;
          while (System.nanoTime() < due) {
            LockSupport.parkNanos(due - System.nanoTime());
          }
          final long now = System.nanoTime();
          final MqttUplink uplink = MqttUplink.newBuilder(uplinks.get(i)).setReceivedAt(Instant.now()).build();
          if (now < countAfter) {
            watcher.ignore(keys.get(i));
          } else if (!watcher.ignored(keys.get(i))) {
            if (started.add(keys.get(i))) {
              sentAt.put(keys.get(i), now);
            }
          }
          producer.send(new ProducerRecord<>(uplinkTopic, uplink.getClientId(), serde.serialize(uplinkTopic, uplink)));
        }
      }
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (!sentAt.isEmpty() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
      final double seconds = (System.nanoTime() - first) / 1e9;
      final double commits = commits(dedup) / seconds;
      return new Step(latencies, sentAt.size(), commits);
    } finally {
      decode.close(Duration.ofSeconds(30));
      dedup.close(Duration.ofSeconds(30));
    }
  }

  private static Properties tuned(Properties props, String applicationId, int commitIntervalMs) {
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    return props;
  }

  private static void start(KafkaStreams... apps) throws InterruptedException {
    final var running = new CountDownLatch(apps.length);
    for (KafkaStreams app : apps) {
      app.setStateListener((now, before) -> {
        if (now == KafkaStreams.State.RUNNING) {
          running.countDown();
        }
      });
      app.start();
    }
    if (!running.await(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the jobs did not reach RUNNING within 2 minutes");
    }
  }

  private static double commits(KafkaStreams app) {
    double total = 0;
    for (var metric : app.metrics().entrySet()) {
      if (metric.getKey().group().equals("stream-thread-metrics") && metric.getKey().name().equals("commit-total")) {
        total += ((Number) metric.getValue().metricValue()).doubleValue();
      }
    }
    return total;
  }

  /** Reads the packets topic read-committed and records each packet's latency from its first copy's send. */
  private final class Watcher implements AutoCloseable {
    private final Map<String, Long> sentAt;
    private final Map<String, Boolean> ignored = new ConcurrentHashMap<>();
    private final Latencies latencies;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private volatile boolean running = true;

    Watcher(String topic, Map<String, Long> sentAt, Latencies latencies) {
      this.sentAt = sentAt;
      this.latencies = latencies;
      consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
          new StringDeserializer(), new ByteArrayDeserializer());
      final var assigned = new ArrayList<TopicPartition>();
      for (int p = 0; p < partitions; p++) {
        assigned.add(new TopicPartition(topic, p));
      }
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      reader = new Thread(this::read, "packets-reader");
      reader.setDaemon(true);
      reader.start();
    }

    void ignore(String key) {
      ignored.put(key, true);
    }

    boolean ignored(String key) {
      return ignored.containsKey(key);
    }

    private void read() {
      while (running) {
        for (var record : consumer.poll(Duration.ofMillis(20))) {
          final long now = System.nanoTime();
          final Long sent = ignored.containsKey(record.key()) ? null : sentAt.remove(record.key());
          if (sent != null) {
            latencies.add(now - sent);
          }
        }
      }
      consumer.close();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      reader.join();
    }
  }
}
