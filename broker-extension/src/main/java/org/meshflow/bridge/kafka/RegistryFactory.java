package org.meshflow.bridge.kafka;

import java.util.HashMap;
import org.meshflow.bridge.configuration.KafkaSettings;
import org.meshflow.registry.SchemaRegistries;
import org.meshflow.registry.SchemaRegistry;

/**
 * Makes the schema registry client of a standalone extension from its configuration. The launcher
 * does not need one: it hands the extension the registry it already has.
 */
@FunctionalInterface
public interface RegistryFactory {
  SchemaRegistry create(KafkaSettings settings);

  /** A REST client for {@code schema-registry-url}; the Kafka client properties may carry its credentials and TLS. */
  static RegistryFactory fromSchemasModule() {
    return settings -> {
      if (settings.registryUrl().isEmpty()) {
        throw new IllegalStateException("kafka/schema-registry-url is required when the extension runs on its own");
      }
      final var config = new HashMap<String, String>(settings.properties());
      config.put(SchemaRegistries.URL, settings.registryUrl());
      try {
        return SchemaRegistries.fromConfig(config);
      } catch (RuntimeException e) {
        throw new IllegalStateException("cannot create the schema registry client for " + settings.registryUrl()
            + ": " + e.getMessage(), e);
      }
    };
  }
}
