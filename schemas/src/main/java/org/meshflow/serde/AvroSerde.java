package org.meshflow.serde;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.registry.SchemaRegistryException;

/**
 * Kafka serde for Avro records in the Confluent wire format, so any Confluent-compatible consumer
 * reads Meshflow's topics through the registry. Subjects follow the topic-name strategy
 * ({@code <topic>-value} / {@code <topic>-key}). Writer schemas are registered on first use and
 * cached; readers resolve the writer schema by id (cached) into the reader's schema.
 */
public final class AvroSerde<T> implements Serde<T> {
  static {
    TrustedRecords.install();
  }

  private final SchemaRegistry registry;
  private final Schema readerSchema;
  private final boolean specific;
  private final boolean isKey;
  private final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();
  private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

  private AvroSerde(SchemaRegistry registry, Schema readerSchema, boolean specific, boolean isKey) {
    this.registry = registry;
    this.readerSchema = readerSchema;
    this.specific = specific;
    this.isKey = isKey;
  }

  /** Serde for a generated record class, used for record values. */
  public static <T extends SpecificRecord> AvroSerde<T> specific(SchemaRegistry registry, Class<T> type) {
    return new AvroSerde<>(registry, SpecificData.get().getSchema(type), true, false);
  }

  /** Serde for a generated record class used as a record key. */
  public static <T extends SpecificRecord> AvroSerde<T> specificKey(SchemaRegistry registry, Class<T> type) {
    return new AvroSerde<>(registry, SpecificData.get().getSchema(type), true, true);
  }

  /** Serde for generic records: reads any Avro value with its writer's schema. */
  public static AvroSerde<GenericRecord> generic(SchemaRegistry registry) {
    return new AvroSerde<>(registry, null, false, false);
  }

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
    if (record == null) {
      return null;
    }
    final Schema schema = specific ? readerSchema : ((GenericRecord) record).getSchema();
    final String subject = subject(topic, isKey);
    final int id;
    try {
      id = idBySubject.computeIfAbsent(subject + '\0' + schema.getFullName() + '\0' + schema.hashCode(),
          k -> registry.register(subject, schema));
    } catch (SchemaRegistryException e) {
      throw new SerializationException("cannot register schema " + schema.getFullName() + " under subject "
          + subject + ": " + e.getMessage(), e);
    }
    final var bytes = new ByteArrayOutputStream(128);
    final ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_SIZE);
    WireFormat.writeHeader(header, id);
    bytes.writeBytes(header.array());
    final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    try {
      writer(schema).write(record, encoder);
      encoder.flush();
    } catch (Exception e) {
      throw new SerializationException("cannot write " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    final int id = WireFormat.schemaId(data);
    final DatumReader<T> reader;
    try {
      reader = readers.computeIfAbsent(id, this::reader);
    } catch (SchemaRegistryException e) {
      throw new SerializationException("unknown schema id " + id + " in a record of topic " + topic + ": " + e.getMessage(), e);
    }
    try {
      return reader.read(null, DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE,
          data.length - WireFormat.HEADER_SIZE, null));
    } catch (Exception e) {
      throw new SerializationException("cannot read a record of topic " + topic + " with schema id " + id + ": "
          + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private DatumWriter<T> writer(Schema schema) {
    return specific ? new SpecificDatumWriter<>(schema) : (DatumWriter<T>) new GenericDatumWriter<GenericRecord>(schema);
  }

  @SuppressWarnings("unchecked")
  private DatumReader<T> reader(int id) {
    final Schema writerSchema = registry.schemaById(id);
    if (specific) {
      return new SpecificDatumReader<>(writerSchema, readerSchema);
    }
    return (DatumReader<T>) new GenericDatumReader<GenericRecord>(writerSchema, writerSchema, GenericData.get());
  }
}
