package org.meshflow.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.meshflow.launcher.simulate.PublishObserver;
import org.meshflow.records.MeshPacket;
import org.meshflow.registry.SchemaRegistries;
import org.meshflow.serde.AvroSerde;

/**
 * Listens to the simulator (first-copy send times, PUBACK latencies) and reads {@code mesh.packets.v1}
 * as a user would (read-committed, Avro through the registry), matching each packet to the send
 * time of its first copy.
 */
final class PacketWatcher implements PublishObserver, AutoCloseable {
  private static final String PACKETS = "mesh.packets.v1";

  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final Latencies pubacks = new Latencies();
  private final Latencies endToEnd = new Latencies();
  private final AtomicLong unknownPackets = new AtomicLong();
  private final KafkaConsumer<String, MeshPacket> consumer;
  private final Thread reader;
  private volatile boolean running = true;

  PacketWatcher(String bootstrap, String registryUrl) {
    final var registry = SchemaRegistries.fromConfig(Map.of(SchemaRegistries.URL, registryUrl));
    consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), new StringDeserializer(),
        AvroSerde.specific(registry, MeshPacket.class).deserializer());
    final var partitions = consumer.partitionsFor(PACKETS).stream()
        .map(p -> new TopicPartition(PACKETS, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    reader = new Thread(this::read, "packets-reader");
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public void firstCopySent(String packetKey, long nanoTime) {
    sentAt.put(packetKey, nanoTime);
  }

  @Override
  public void acknowledged(long latencyNanos) {
    pubacks.add(latencyNanos);
  }

  private void read() {
    while (running) {
      for (var record : consumer.poll(Duration.ofMillis(100))) {
        final long now = System.nanoTime();
        final Long sent = sentAt.remove(record.key());
        if (sent != null) {
          endToEnd.add(now - sent);
        } else if (!record.key().endsWith("/map")) {
          unknownPackets.incrementAndGet();
        }
      }
    }
    consumer.close();
  }

  Latencies pubacks() {
    return pubacks;
  }

  Latencies endToEnd() {
    return endToEnd;
  }

  /** Packets sent whose record has not arrived yet. */
  int outstanding() {
    return sentAt.size();
  }

  long unknownPackets() {
    return unknownPackets.get();
  }

  /** Forgets everything measured so far (between steps). */
  void reset() {
    pubacks.clear();
    endToEnd.clear();
    sentAt.clear();
    unknownPackets.set(0);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    reader.join(5_000);
  }
}
