package org.meshflow.bridge.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.meshflow.bridge.configuration.KafkaSettings;
import org.meshflow.bridge.configuration.StatusTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the bridge's availability as a retained message: online once Kafka answers, offline when
 * Kafka has not answered for the configured time (online again when it does) and when the bridge stops.
 */
public final class Availability implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Availability.class);

  private final StatusTopic status;
  private final DownlinkBridge.Publisher publisher;
  private final Admin admin;
  private final Duration checkEvery;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    final var t = new Thread(r, "meshflow-bridge-availability");
    t.setDaemon(true);
    return t;
  });
  private volatile Boolean published;
  private volatile boolean stopping;
  private long lastAnswer = System.nanoTime();

  private Availability(StatusTopic status, KafkaSettings kafka, DownlinkBridge.Publisher publisher) {
    this.status = status;
    this.publisher = publisher;
    this.admin = KafkaClients.withOwnClassLoader(() -> Admin.create(KafkaClients.admin(kafka)));
    final var third = status.offlineAfter().dividedBy(3);
    this.checkEvery = third.isZero() ? Duration.ofSeconds(5)
        : third.compareTo(Duration.ofMillis(500)) < 0 ? Duration.ofMillis(500) : min(third, Duration.ofSeconds(10));
  }

  public static Availability start(StatusTopic status, KafkaSettings kafka, DownlinkBridge.Publisher publisher) {
    final var availability = new Availability(status, kafka, publisher);
    availability.timer.scheduleWithFixedDelay(availability::check, 0, availability.checkEvery.toMillis(),
        TimeUnit.MILLISECONDS);
    return availability;
  }

  private void check() {
    if (stopping) {
      return;
    }
    final boolean answered = kafkaAnswers();
    final long now = System.nanoTime();
    if (answered) {
      lastAnswer = now;
      if (!Boolean.TRUE.equals(published)) {
        log.info("bridge available: Kafka answers; {} is {}", status.mqttTopic(), status.online());
        publish(true);
      }
    } else if (!Boolean.FALSE.equals(published) && !status.offlineAfter().isZero()
        && now - lastAnswer >= status.offlineAfter().toNanos()) {
      log.warn("bridge unavailable: Kafka has not answered for {} s; {} is {}", status.offlineAfter().toSeconds(),
          status.mqttTopic(), status.offline());
      publish(false);
    }
  }

  private boolean kafkaAnswers() {
    try {
      final var timeout = (int) Math.max(500, checkEvery.toMillis());
      return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeout)).nodes()
          .get(timeout + 1000L, TimeUnit.MILLISECONDS).isEmpty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private void publish(boolean online) {
    published = online;
    final var payload = (online ? status.online() : status.offline()).getBytes(StandardCharsets.UTF_8);
    publisher.publish(status.mqttTopic(), payload, 1, true).whenComplete((ok, e) -> {
      if (e != null) {
        published = null;
        log.warn("availability not published to {}: {}", status.mqttTopic(), e.toString());
      }
    });
  }

  /** Publishes offline now, while subscribers are still connected, and waits briefly for the broker to take it. */
  public void stopping() {
    if (stopping) {
      return;
    }
    stopping = true;
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
      publisher.publish(status.mqttTopic(), status.offline().getBytes(StandardCharsets.UTF_8), 1, true)
          .get(5, TimeUnit.SECONDS);
      log.info("bridge stopped; {} is {}", status.mqttTopic(), status.offline());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("offline not published to {}: {}", status.mqttTopic(), e.toString());
    }
  }

  @Override
  public void close() {
    stopping();
    admin.close(Duration.ZERO);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }
}
