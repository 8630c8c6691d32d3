package org.meshflow.serde;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.meshflow.registry.SchemaRegistry;

/**
 * A Kafka {@link Deserializer} for Avro in the Confluent wire format, configured like Confluent's
 * ({@code schema.registry.url} and friends). Records come back as generic records, or as the
 * generated class of the writer schema's name when {@code meshflow.avro.specific} (or Confluent's
 * {@code specific.avro.reader}) is true. Bytes that are not a readable record end in a
 * {@link org.apache.kafka.common.errors.SerializationException} saying why.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {
  private FramedAvro avro;
  private boolean ownsRegistry;

  /** For Kafka to instantiate; call {@link #configure} before use. */
  public AvroDeserializer() {}

  /** Ready to use with {@code registry}; the caller keeps ownership of the registry. */
  public AvroDeserializer(SchemaRegistry registry, boolean specific) {
    this.avro = new FramedAvro(registry, false, mode(specific), null);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    final boolean specific = AvroClientConfig.specific(configs);
    final var registry = AvroClientConfig.registry(configs);
    this.avro = new FramedAvro(registry.registry(), isKey, mode(specific), null);
    this.ownsRegistry = registry.owned();
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    if (avro == null) {
      throw new IllegalStateException("AvroDeserializer used before configure()");
    }
    return (T) avro.deserialize(topic, data);
  }

  @Override
  public void close() {
    if (ownsRegistry) {
      avro.registry().close();
    }
  }

  private static FramedAvro.ReadMode mode(boolean specific) {
    return specific ? FramedAvro.ReadMode.SPECIFIC : FramedAvro.ReadMode.GENERIC;
  }
}
