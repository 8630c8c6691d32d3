package org.meshflow.bridge.kafka;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.meshflow.bridge.configuration.DownlinkMapping;
import org.meshflow.bridge.configuration.KafkaSettings;
import org.meshflow.bridge.configuration.PayloadFormat;
import org.meshflow.bridge.metrics.BridgeMetrics;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroJson;
import org.meshflow.serde.AvroSerde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the records of one Kafka topic to MQTT. Offsets are committed only after the broker took
 * every PUBLISH of a batch, so a restart neither skips records nor replays committed ones. A null or
 * empty record value (a deletion) becomes an empty PUBLISH, which clears a retained message.
 * When the mapping's replay trigger fires, the latest value of every key is published again, on the
 * same thread between batches, so a replayed value never overtakes a newer one.
 */
public final class DownlinkBridge implements AutoCloseable {
  /** Builds a PUBLISH (HiveMQ's builders exist only inside a running broker). */
  public interface Publisher {
    CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain);
  }

  private static final Logger log = LoggerFactory.getLogger(DownlinkBridge.class);

  private final DownlinkMapping mapping;
  private final KafkaSettings kafka;
  private final Consumer<byte[], byte[]> consumer;
  private final AtomicReference<String> replayRequest = new AtomicReference<>();
  private final Publisher publisher;
  private final BridgeMetrics metrics;
  private final Function<byte[], byte[]> render;
  private final Thread thread;
  private volatile boolean running = true;

  public DownlinkBridge(DownlinkMapping mapping, KafkaSettings kafka, SchemaRegistry registry, Publisher publisher,
      BridgeMetrics metrics) {
    this.mapping = mapping;
    this.kafka = kafka;
    this.publisher = publisher;
    this.metrics = metrics;
    this.consumer = KafkaClients.withOwnClassLoader(() -> new KafkaConsumer<>(
        KafkaClients.consumer(kafka, mapping.consumerGroup()), new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    if (mapping.payload() == PayloadFormat.JSON) {
      final var serde = AvroSerde.generic(registry);
      render = value -> AvroJson.bytes(serde.deserialize(mapping.kafkaTopic(), value));
    } else {
      render = value -> value;
    }
    thread = new Thread(this::run, "meshflow-bridge-downlink-" + mapping.id());
    thread.setDaemon(true);
    thread.setContextClassLoader(DownlinkBridge.class.getClassLoader());
  }

  public static Publisher hivemqPublisher(com.hivemq.extension.sdk.api.services.publish.PublishService service) {
    return (topic, payload, qos, retain) -> {
      final Publish publish = com.hivemq.extension.sdk.api.services.builder.Builders.publish()
          .topic(topic).payload(ByteBuffer.wrap(payload)).qos(Qos.valueOf(qos)).retain(retain).build();
      return service.publish(publish);
    };
  }

  public void start() {
    thread.start();
  }

  /** Asks for a replay when this PUBLISH fires the mapping's trigger; true if it did. */
  public boolean replayIfTriggered(String clientId, String topic, ByteBuffer payload) {
    final var trigger = mapping.replayTrigger();
    if (trigger == null || !trigger.firedBy(topic, payload)) {
      return false;
    }
    replayRequest.set(clientId);
    return true;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(mapping.kafkaTopic()));
      while (running) {
        final var requestedBy = replayRequest.getAndSet(null);
        if (requestedBy != null) {
          replay(requestedBy);
        }
        final var records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          continue;
        }
        final var pending = new ArrayList<CompletableFuture<Boolean>>();
        for (final var record : records) {
          final var future = publish(record);
          if (future != null) {
            pending.add(future);
          }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        if (pending.stream().allMatch(CompletableFuture::join)) {
          consumer.commitSync();
        } else {
          // the broker refused a PUBLISH (it is stopping, say): read the batch again rather than lose it
          for (final var partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
          }
          Thread.sleep(1000);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        log.error("Kafka-to-MQTT mapping {} stopped unexpectedly", mapping.id());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.error("Kafka-to-MQTT mapping {} stopped: {}", mapping.id(), e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void replay(String requestedBy) {
    final var trigger = mapping.replayTrigger();
    try {
      final var latest = LatestValues.read(kafka, mapping.kafkaTopic(),
          key -> deliverableKey(key) && trigger.covers(topicOf(key)), trigger.maxKeys(), Duration.ofSeconds(60));
      final var pending = new ArrayList<CompletableFuture<Boolean>>();
      for (final var entry : latest.entrySet()) {
        if (entry.getValue() != null) {
          final var future = publish(entry.getKey(), entry.getValue(), mapping.kafkaTopic() + " key " + entry.getKey());
          if (future != null) {
            pending.add(future);
          }
        }
      }
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      final long published = pending.stream().filter(CompletableFuture::join).count();
      metrics.replayed(mapping.id(), published);
      log.info("mapping {}: {} on {} from client {}: published the latest value of {} keys of {} again",
          mapping.id(), trigger.payload(), trigger.mqttTopic(), requestedBy, published, mapping.kafkaTopic());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("mapping {}: replay of {} not done: {}", mapping.id(), mapping.kafkaTopic(), e.getMessage());
    }
  }

  private CompletableFuture<Boolean> publish(ConsumerRecord<byte[], byte[]> record) {
    final var key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    return publish(key, record.value(), record.topic() + "-" + record.partition() + "@" + record.offset());
  }

  private boolean deliverableKey(String key) {
    return !mapping.usesKey() || (key != null && !key.isEmpty() && !key.contains("+") && !key.contains("#"));
  }

  private String topicOf(String key) {
    return mapping.usesKey() ? mapping.topicFor(key) : mapping.mqttTopic();
  }

  private CompletableFuture<Boolean> publish(String key, byte[] value, String record) {
    if (!deliverableKey(key)) {
      return undeliverable(record, "its key cannot be part of an MQTT topic");
    }
    final byte[] payload;
    try {
      payload = value == null || value.length == 0 ? new byte[0] : render.apply(value);
    } catch (RuntimeException e) {
      return undeliverable(record, e.getMessage());
    }
    final var topic = topicOf(key);
    return publisher.publish(topic, payload, mapping.qos(), mapping.retain())
        .handle((ok, e) -> {
          if (e == null) {
            metrics.delivered(mapping.id());
            return true;
          }
          log.warn("mapping {}: PUBLISH to {} failed, will retry: {}", mapping.id(), topic, e.toString());
          return false;
        });
  }

  private CompletableFuture<Boolean> undeliverable(String record, String why) {
    metrics.undeliverable(mapping.id());
    log.warn("mapping {}: skipped record {}: {}", mapping.id(), record, why);
    return null;
  }

  /** Finishes the batch in hand (published batches are committed, so a restart does not replay them). */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(35_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      consumer.wakeup();
    }
  }
}
