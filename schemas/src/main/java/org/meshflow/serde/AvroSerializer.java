package org.meshflow.serde;

import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.meshflow.registry.SchemaRegistry;

/**
 * A Kafka {@link Serializer} writing Avro records (generated or generic) in the Confluent wire
 * format, configured like Confluent's: {@code schema.registry.url} (comma-separated for fail-over),
 * {@code basic.auth.user.info}, {@code schema.registry.ssl.truststore.*}. Writer schemas are
 * registered under {@code <topic>-value} or {@code <topic>-key}.
 */
public final class AvroSerializer<T> implements Serializer<T> {
  private FramedAvro avro;
  private boolean ownsRegistry;

  /** For Kafka to instantiate; call {@link #configure} before use. */
  public AvroSerializer() {}

  /** Ready to use with {@code registry}, for values; the caller keeps ownership of the registry. */
  public AvroSerializer(SchemaRegistry registry) {
    this.avro = new FramedAvro(registry, false, FramedAvro.ReadMode.GENERIC, null);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    final var registry = AvroClientConfig.registry(configs);
    this.avro = new FramedAvro(registry.registry(), isKey, FramedAvro.ReadMode.GENERIC, null);
    this.ownsRegistry = registry.owned();
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (avro == null) {
      throw new IllegalStateException("AvroSerializer used before configure()");
    }
    return avro.serialize(topic, record);
  }

  @Override
  public void close() {
    if (ownsRegistry) {
      avro.registry().close();
    }
  }
}
