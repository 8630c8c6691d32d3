package org.meshflow.serde;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.registry.SchemaRegistryException;

/**
 * The one implementation of Confluent-framed Avro behind {@link AvroSerde}, {@link AvroSerializer}
 * and {@link AvroDeserializer}: registers writer schemas under the topic-name subject (cached) and
 * resolves writer schemas by id (cached) into the configured reading mode.
 */
final class FramedAvro {
  static {
    TrustedRecords.install();
  }

  /** How records are read back. */
  enum ReadMode {
    /** Into the generated class of the writer schema's full name. */
    SPECIFIC,
    /** As generic records with the writer's schema. */
    GENERIC
  }

  private final SchemaRegistry registry;
  private final boolean isKey;
  private final ReadMode readMode;
  private final Schema readerSchema;
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<Schema, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();
  private final Map<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();
  private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

  /** {@code readerSchema} fixes the schema records are read into; null lets {@code readMode} decide. */
  FramedAvro(SchemaRegistry registry, boolean isKey, ReadMode readMode, Schema readerSchema) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.isKey = isKey;
    this.readMode = readMode;
    this.readerSchema = readerSchema;
  }

  SchemaRegistry registry() {
    return registry;
  }

  byte[] serialize(String topic, Object record) {
    if (record == null) {
      return null;
    }
    if (!(record instanceof GenericContainer container)) {
      throw new SerializationException("cannot write a " + record.getClass().getName()
          + " as Avro: expected a generated record or a GenericRecord");
    }
    final Schema schema = container.getSchema();
    final int id = schemaId(AvroSerde.subject(topic, isKey), schema);
    final var bytes = new ByteArrayOutputStream(256);
    bytes.write(WireFormat.MAGIC);
    bytes.write(id >>> 24);
    bytes.write(id >>> 16);
    bytes.write(id >>> 8);
    bytes.write(id);
    final var encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    try {
      final var writer = record instanceof SpecificRecord
          ? specificWriters.computeIfAbsent(schema, SpecificDatumWriter::new)
          : genericWriters.computeIfAbsent(schema, s -> new GenericDatumWriter<>(s, GenericData.get()));
      writer.write(record, encoder);
      encoder.flush();
    } catch (Exception e) {
      throw new SerializationException("cannot write " + schema.getFullName() + " for topic " + topic + ": "
          + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  Object deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    final int id = WireFormat.schemaId(data);
    final DatumReader<Object> reader;
    try {
      reader = readers.computeIfAbsent(id, this::readerFor);
    } catch (SchemaRegistryException e) {
      final String why = e.errorCode() == 40403 ? "unknown schema id " + id : "cannot fetch schema id " + id;
      throw new SerializationException(why + " in a record of topic " + topic + ": " + e.getMessage(), e);
    }
    try {
      final var decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE,
          data.length - WireFormat.HEADER_SIZE, null);
      final Object value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException("trailing bytes after the record");
      }
      return value;
    } catch (Exception | OutOfMemoryError e) {
      // Garbage can announce a string or array of gigabytes; that is bad data, not a dead JVM.
      throw new SerializationException("cannot read a record of topic " + topic + " with schema id " + id + ": "
          + oneLine(e), e);
    }
  }

  private int schemaId(String subject, Schema schema) {
    final Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    final Integer known = ids.get(schema);
    if (known != null) {
      return known;
    }
    try {
      final int id = registry.register(subject, schema);
      ids.put(schema, id);
      return id;
    } catch (SchemaRegistryException e) {
      throw new SerializationException("cannot register schema " + schema.getFullName() + " under subject "
          + subject + ": " + e.getMessage(), e);
    }
  }

  private DatumReader<Object> readerFor(int id) {
    final Schema writerSchema = registry.schemaById(id);
    if (readerSchema != null) {
      return new SpecificDatumReader<>(writerSchema, readerSchema);
    }
    if (readMode == ReadMode.SPECIFIC) {
      final Class<?> type = SpecificData.get().getClass(writerSchema);
      if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
        throw new SerializationException("no generated class for " + writerSchema.getFullName()
            + " (schema id " + id + ") on the classpath; read it as a generic record instead");
      }
      return new SpecificDatumReader<>(writerSchema, SpecificData.getForClass(type).getSchema(type));
    }
    return new GenericDatumReader<>(writerSchema, writerSchema, GenericData.get());
  }

  private static String oneLine(Throwable e) {
    final String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    final String line = message.lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
