package org.meshflow.bridge.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.meshflow.bridge.configuration.KafkaSettings;

/**
 * The bridge's one idempotent, acks=all producer. Values are serialized and sent on a thread of
 * its own, so neither a slow registry nor a producer waiting for metadata ever blocks the broker's
 * threads; every send ends in exactly one call of its callback.
 */
public final class RecordSender implements AutoCloseable {
  private final Producer<byte[], byte[]> producer;
  private final ExecutorService sendThread = Executors.newSingleThreadExecutor(r -> {
    final var t = new Thread(r, "meshflow-bridge-kafka-send");
    t.setDaemon(true);
    return t;
  });

  RecordSender(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  public static RecordSender start(KafkaSettings settings) {
    return new RecordSender(KafkaClients.withOwnClassLoader(() ->
        new KafkaProducer<>(KafkaClients.producer(settings), new ByteArraySerializer(), new ByteArraySerializer())));
  }

  /** Sends the value {@code serialize} makes; {@code done} gets the metadata or the failure. */
  public void send(String topic, byte[] key, Supplier<byte[]> serialize, BiConsumer<RecordMetadata, Exception> done) {
    send(topic, key, serialize, Long.MAX_VALUE, done);
  }

  /**
   * As above, but a record still waiting for this sender's thread at {@code deadlineNanos}
   * ({@link System#nanoTime()}) is not sent at all: while Kafka is away each send may block for
   * the producer's max.block.ms, and records queued behind it would only arrive after their
   * senders were told they failed.
   */
  public void send(String topic, byte[] key, Supplier<byte[]> serialize, long deadlineNanos,
      BiConsumer<RecordMetadata, Exception> done) {
    try {
      sendThread.execute(() -> {
        if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
          done.accept(null, new TimeoutException("not sent: the Kafka producer took no records in time"));
          return;
        }
        try {
          producer.send(new ProducerRecord<>(topic, key, serialize.get()), (metadata, e) -> done.accept(metadata, e));
        } catch (Exception e) {
          done.accept(null, e);
        }
      });
    } catch (RejectedExecutionException e) {
      done.accept(null, new IllegalStateException("the bridge is stopping"));
    }
  }

  /**
   * Sends the value {@code serialize} makes once to every partition of {@code topic}, so that each
   * consumer of a partition sees it in order with that partition's other records.
   */
  public void sendToEveryPartition(String topic, byte[] key, Supplier<byte[]> serialize,
      BiConsumer<RecordMetadata, Exception> done) {
    try {
      sendThread.execute(() -> {
        try {
          final byte[] value = serialize.get();
          for (final var partition : producer.partitionsFor(topic)) {
            producer.send(new ProducerRecord<>(topic, partition.partition(), key, value),
                (metadata, e) -> done.accept(metadata, e));
          }
        } catch (Exception e) {
          done.accept(null, e);
        }
      });
    } catch (RejectedExecutionException e) {
      done.accept(null, new IllegalStateException("the bridge is stopping"));
    }
  }

  @Override
  public void close() {
    sendThread.shutdown();
    try {
      sendThread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
