package org.meshflow.serde;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.meshflow.registry.SchemaRegistry;

/**
 * Kafka serde for Avro records in the Confluent wire format, so any Confluent-compatible consumer
 * reads Meshflow's topics through the registry. Subjects follow the topic-name strategy
 * ({@code <topic>-value} / {@code <topic>-key}). Writer schemas are registered on first use and
 * cached; readers resolve the writer schema by id (cached) into the reader's schema.
 *
 * <p>Bad bytes (not framed, unknown schema id, not readable with the writer schema) and registry
 * refusals end in a {@link SerializationException} with a one-line message; when the registry was
 * the cause, it is the exception's cause.
 */
public final class AvroSerde<T> implements Serde<T> {
  private final FramedAvro avro;

  private AvroSerde(FramedAvro avro) {
    this.avro = avro;
  }

  /** Serde for a generated record class, used for record values. */
  public static <T extends SpecificRecord> AvroSerde<T> specific(SchemaRegistry registry, Class<T> type) {
    return new AvroSerde<>(new FramedAvro(registry, false, FramedAvro.ReadMode.SPECIFIC,
        SpecificData.getForClass(type).getSchema(type)));
  }

  /** Serde for a generated record class used as a record key. */
  public static <T extends SpecificRecord> AvroSerde<T> specificKey(SchemaRegistry registry, Class<T> type) {
    return new AvroSerde<>(new FramedAvro(registry, true, FramedAvro.ReadMode.SPECIFIC,
        SpecificData.getForClass(type).getSchema(type)));
  }

  /** Serde for generic records: reads any Avro value with its writer's schema. */
  public static AvroSerde<GenericRecord> generic(SchemaRegistry registry) {
    return new AvroSerde<>(new FramedAvro(registry, false, FramedAvro.ReadMode.GENERIC, null));
  }

  /** The subject of a topic's keys or values (Confluent's TopicNameStrategy). */
  public static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }

  @Override
  public Serializer<T> serializer() {
    return this::serialize;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this::deserialize;
  }

  public byte[] serialize(String topic, T record) {
    return avro.serialize(topic, record);
  }

  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    return (T) avro.deserialize(topic, data);
  }
}
