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
 * every PUBLISH of a batch, so a restart neither skips records nor replays committed ones.
 */
public final class DownlinkBridge implements AutoCloseable {
  /** Builds a PUBLISH (HiveMQ's builders exist only inside a running broker). */
  public interface Publisher {
    CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain);
  }

  private static final Logger log = LoggerFactory.getLogger(DownlinkBridge.class);

  private final DownlinkMapping mapping;
  private final Consumer<byte[], byte[]> consumer;
  private final Publisher publisher;
  private final BridgeMetrics metrics;
  private final Function<byte[], byte[]> render;
  private final Thread thread;
  private volatile boolean running = true;

  public DownlinkBridge(DownlinkMapping mapping, KafkaSettings kafka, SchemaRegistry registry, Publisher publisher,
      BridgeMetrics metrics) {
    this.mapping = mapping;
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

  private void run() {
    try {
      consumer.subscribe(List.of(mapping.kafkaTopic()));
      while (running) {
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

  private CompletableFuture<Boolean> publish(ConsumerRecord<byte[], byte[]> record) {
    final var key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    if (mapping.usesKey() && (key == null || key.isEmpty() || key.contains("+") || key.contains("#"))) {
      return undeliverable(record, "its key cannot be part of an MQTT topic");
    }
    final byte[] payload;
    try {
      payload = record.value() == null ? new byte[0] : render.apply(record.value());
    } catch (RuntimeException e) {
      return undeliverable(record, e.getMessage());
    }
    final var topic = mapping.usesKey() ? mapping.topicFor(key) : mapping.mqttTopic();
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

  private CompletableFuture<Boolean> undeliverable(ConsumerRecord<byte[], byte[]> record, String why) {
    metrics.undeliverable(mapping.id());
    log.warn("mapping {}: skipped record {}-{}@{}: {}", mapping.id(), record.topic(), record.partition(),
        record.offset(), why);
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
