package org.meshflow.bridge.kafka;

import java.util.Map;
import org.meshflow.bridge.configuration.KafkaSettings;
import org.meshflow.registry.SchemaRegistry;

/**
 * Makes the schema registry client of a standalone extension from its configuration. The launcher
 * does not need one: it hands the extension the registry it already has.
 */
@FunctionalInterface
public interface RegistryFactory {
  String FACTORY_CLASS = "org.meshflow.registry.SchemaRegistries";

  SchemaRegistry create(KafkaSettings settings);

  /**
   * Uses {@code org.meshflow.registry.SchemaRegistries.fromConfig(Map)} when the schemas module
   * provides it, found at run time so this module does not depend on when it lands.
   */
  static RegistryFactory fromSchemasModule() {
    return settings -> {
      if (settings.registryUrl().isEmpty()) {
        throw new IllegalStateException("kafka/schema-registry-url is required when the extension runs on its own");
      }
      try {
        final var factory = Class.forName(FACTORY_CLASS, true, RegistryFactory.class.getClassLoader());
        final var config = new java.util.HashMap<String, String>(settings.properties());
        config.put("url", settings.registryUrl());
        return (SchemaRegistry) factory.getMethod("fromConfig", Map.class).invoke(null, Map.copyOf(config));
      } catch (ClassNotFoundException | NoSuchMethodException e) {
        throw new IllegalStateException("no schema registry client is available in this build (" + FACTORY_CLASS
            + ".fromConfig is missing)");
      } catch (ReflectiveOperationException e) {
        final var cause = e.getCause() == null ? e : e.getCause();
        throw new IllegalStateException("cannot create the schema registry client for " + settings.registryUrl()
            + ": " + cause.getMessage(), cause);
      }
    };
  }
}
