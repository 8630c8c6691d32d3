package org.meshflow.jobs.common;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.meshflow.records.Rejected;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;

/** Builds {@link Rejected} records for the dead-letter topic. */
public final class DeadLetters {
  private final String topic;
  private final AvroSerde<Rejected> serde;

  public DeadLetters(String topic, SchemaRegistry registry) {
    this.topic = topic;
    this.serde = AvroSerde.specific(registry, Rejected.class);
  }

  public String topic() {
    return topic;
  }

  public static Rejected.Builder rejected(String stage, String reason, String sourceTopic, Instant at) {
    return Rejected.newBuilder().setStage(stage).setReason(reason)
        .setSourceTopic(sourceTopic == null ? "unknown" : sourceTopic).setAt(at);
  }

  public static ByteBuffer bytes(byte[] data) {
    return data == null ? null : ByteBuffer.wrap(data);
  }

  /** A ready-to-send dead letter, for exception handlers that work on raw bytes. */
  public ProducerRecord<byte[], byte[]> record(byte[] originalKey, Rejected rejected) {
    return new ProducerRecord<>(topic, null, rejected.getAt().toEpochMilli(), originalKey, serde.serialize(topic, rejected));
  }
}
