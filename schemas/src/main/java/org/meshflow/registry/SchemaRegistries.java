package org.meshflow.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Builds registry clients from Confluent-style client settings. */
public final class SchemaRegistries {
  public static final String URL = "schema.registry.url";
  public static final String USER_INFO = "basic.auth.user.info";
  public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";

  private SchemaRegistries() {}

  /**
   * A {@link RestSchemaRegistry} for {@code schema.registry.url} (several comma-separated URLs fail
   * over), with {@code basic.auth.user.info} (or user info in the URL), the
   * {@code schema.registry.ssl.truststore.*} trust store, and the {@code http.connect.timeout.ms} /
   * {@code http.read.timeout.ms} timeouts. Missing or malformed settings are an
   * {@link IllegalArgumentException} naming the key.
   */
  public static RestSchemaRegistry fromConfig(Map<String, ?> config) {
    final String url = text(config, URL);
    if (url == null) {
      throw new IllegalArgumentException(URL + " is not set");
    }
    final var builder = RestSchemaRegistry.builder(url);
    final String source = text(config, CREDENTIALS_SOURCE);
    if (source == null || source.equalsIgnoreCase("USER_INFO")) {
      builder.basicAuth(text(config, USER_INFO));
    } else if (!source.equalsIgnoreCase("URL")) {
      throw new IllegalArgumentException(CREDENTIALS_SOURCE + " must be USER_INFO or URL, not " + source);
    }
    final String trustStore = text(config, TRUSTSTORE_LOCATION);
    if (trustStore != null) {
      builder.trustStore(Path.of(trustStore), text(config, TRUSTSTORE_PASSWORD), text(config, TRUSTSTORE_TYPE));
    }
    final Long connectMs = millis(config, CONNECT_TIMEOUT_MS);
    if (connectMs != null) {
      builder.connectTimeout(Duration.ofMillis(connectMs));
    }
    final Long readMs = millis(config, READ_TIMEOUT_MS);
    if (readMs != null) {
      builder.requestTimeout(Duration.ofMillis(readMs));
    }
    return builder.build();
  }

  private static String text(Map<String, ?> config, String key) {
    final Object value = config.get(key);
    if (value == null) {
      return null;
    }
    final String text = value instanceof org.apache.kafka.common.config.types.Password password
        ? password.value() : value.toString();
    return text.isBlank() ? null : text.strip();
  }

  private static Long millis(Map<String, ?> config, String key) {
    final String text = text(config, key);
    if (text == null) {
      return null;
    }
    try {
      final long value = Long.parseLong(text);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + " must be a positive number of milliseconds, not \"" + text + "\"");
  }
}
