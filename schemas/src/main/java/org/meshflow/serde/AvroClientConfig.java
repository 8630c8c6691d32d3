package org.meshflow.serde;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.meshflow.registry.SchemaRegistries;
import org.meshflow.registry.SchemaRegistry;

/** Reads the settings {@link AvroSerializer} and {@link AvroDeserializer} share from a Kafka client config. */
final class AvroClientConfig {
  /** A ready {@link SchemaRegistry} instance to use instead of {@code schema.registry.url} (in-process wiring, tests). */
  static final String REGISTRY_INSTANCE = "meshflow.schema.registry";
  static final String SPECIFIC = "meshflow.avro.specific";
  static final String CONFLUENT_SPECIFIC = "specific.avro.reader";

  private AvroClientConfig() {}

  /** The registry to use, and whether the caller owns it (and must close it). */
  record Registry(SchemaRegistry registry, boolean owned) {}

  static Registry registry(Map<String, ?> configs) {
    final Object instance = configs.get(REGISTRY_INSTANCE);
    if (instance instanceof SchemaRegistry registry) {
      return new Registry(registry, false);
    }
    if (instance != null) {
      throw new ConfigException(REGISTRY_INSTANCE, instance, "must be a " + SchemaRegistry.class.getName());
    }
    try {
      return new Registry(SchemaRegistries.fromConfig(configs), true);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid schema registry settings: " + e.getMessage());
    }
  }

  static boolean specific(Map<String, ?> configs) {
    final Object value = configs.containsKey(SPECIFIC) ? configs.get(SPECIFIC) : configs.get(CONFLUENT_SPECIFIC);
    if (value == null) {
      return false;
    }
    final String text = value.toString().strip();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new ConfigException(configs.containsKey(SPECIFIC) ? SPECIFIC : CONFLUENT_SPECIFIC, value, "must be true or false");
  }
}
