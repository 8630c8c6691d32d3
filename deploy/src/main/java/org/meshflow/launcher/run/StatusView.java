package org.meshflow.launcher.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterStatus;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the status page shows, kept up to date by reading the output topics (so it works the same on
 * an external cluster): every router's status, the last outages, and uplinks vs unique packets in the
 * last minute. Reads without a consumer group: it commits nothing and starts from the ends it needs.
 */
final class StatusView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusView.class);
  private static final int OUTAGES_KEPT = 10;
  static final String STATUS = "mesh.router-status.v1";
  static final String OUTAGES = "mesh.router-outages.v1";
  static final String UPLINKS = "mesh.uplink.v1";
  static final String PACKETS = "mesh.packets.v1";

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroSerde<RouterStatus> statusSerde;
  private final AvroSerde<RouterOutage> outageSerde;
  private final Map<String, RouterStatus> routers = new ConcurrentHashMap<>();
  private final Deque<RouterOutage> outages = new ArrayDeque<>();
  private final Deque<long[]> uplinkTimes = new ArrayDeque<>();
  private final Deque<long[]> packetTimes = new ArrayDeque<>();
  private final Thread thread;
  private volatile boolean running = true;

  StatusView(String bootstrap, SchemaRegistry registry) {
    this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", "false",
        "client.id", "meshflow-status-view"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.statusSerde = AvroSerde.specific(registry, RouterStatus.class);
    this.outageSerde = AvroSerde.specific(registry, RouterOutage.class);
    this.thread = new Thread(this::loop, "meshflow-status-view");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      final List<TopicPartition> fromStart = partitions(STATUS, OUTAGES);
      final List<TopicPartition> fromEnd = partitions(UPLINKS, PACKETS);
      final var all = new ArrayList<>(fromStart);
      all.addAll(fromEnd);
      consumer.assign(all);
      consumer.seekToBeginning(fromStart);
      consumer.seekToEnd(fromEnd);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          take(record);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.warn("the status page stopped following the topics: {}", e.getMessage());
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private List<TopicPartition> partitions(String... topics) {
    final var result = new ArrayList<TopicPartition>();
    for (String topic : topics) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> result.add(new TopicPartition(topic, p.partition())));
    }
    return result;
  }

  private void take(ConsumerRecord<byte[], byte[]> record) {
    try {
      switch (record.topic()) {
        case STATUS -> {
          final String key = record.key() == null ? null : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
          if (record.value() == null) {
            routers.remove(key);
          } else {
            final RouterStatus status = statusSerde.deserialize(record.topic(), record.value());
            routers.put(status.getRouterId(), status);
          }
        }
        case OUTAGES -> {
          synchronized (outages) {
            outages.addFirst(outageSerde.deserialize(record.topic(), record.value()));
            while (outages.size() > OUTAGES_KEPT) {
              outages.removeLast();
            }
          }
        }
        case UPLINKS -> count(uplinkTimes, record.timestamp());
        default -> count(packetTimes, record.timestamp());
      }
    } catch (RuntimeException e) {
      LOG.debug("status page skipped a record of {}: {}", record.topic(), e.getMessage());
    }
  }

  private static void count(Deque<long[]> times, long at) {
    synchronized (times) {
      final long second = at / 1000;
      if (!times.isEmpty() && times.peekLast()[0] == second) {
        times.peekLast()[1]++;
      } else {
        times.addLast(new long[] {second, 1});
      }
      while (times.size() > 120) {
        times.removeFirst();
      }
    }
  }

  private static long lastMinute(Deque<long[]> times) {
    final long since = Instant.now().getEpochSecond() - 60;
    synchronized (times) {
      return times.stream().filter(t -> t[0] > since).mapToLong(t -> t[1]).sum();
    }
  }

  List<String[]> routerRows() {
    return routers.values().stream().sorted(Comparator.comparing(RouterStatus::getRouterId))
        .map(s -> new String[] {s.getRouterId(), s.getState().name().toLowerCase(Locale.ROOT), String.valueOf(s.getSince()),
            s.getLastUplinkAt() == null ? "-" : s.getLastUplinkAt().toString(), String.valueOf(s.getOutageCount())})
        .toList();
  }

  List<String[]> outageRows() {
    synchronized (outages) {
      return outages.stream().map(o -> new String[] {o.getRouterId(), o.getStartedAt().toString(),
          o.getEndedAt().toString(), o.getDurationSeconds() + " s", o.getCause()}).toList();
    }
  }

  List<String[]> trafficRows() {
    final long uplinks = lastMinute(uplinkTimes);
    final long packets = lastMinute(packetTimes);
    final var rows = new TreeMap<String, String>();
    rows.put("uplinks in the last minute", String.valueOf(uplinks));
    rows.put("unique packets in the last minute", String.valueOf(packets));
    rows.put("uplinks per unique packet", packets == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double) uplinks / packets));
    return rows.entrySet().stream().map(e -> new String[] {e.getKey(), e.getValue()}).toList();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
