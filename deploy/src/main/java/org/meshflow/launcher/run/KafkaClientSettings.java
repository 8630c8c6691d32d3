package org.meshflow.launcher.run;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka client properties of a component, given as {@code kafka.NAME=VALUE} settings (TLS, SASL,
 * timeouts), for every Kafka client the component creates. As Kafka Streams reads them, a plain client
 * takes the names it knows and, overriding those, the ones prefixed with its kind
 * ({@code consumer.}, {@code producer.}, {@code admin.}); the bootstrap servers always come from {@code --kafka}.
 *
 * @param properties without the {@code kafka.} prefix
 */
public record KafkaClientSettings(String bootstrap, Map<String, String> properties) {
  public static final String PREFIX = "kafka.";
  private static final String CONSUMER = "consumer.";
  private static final String PRODUCER = "producer.";
  private static final String ADMIN = "admin.";

  public KafkaClientSettings {
    properties = Map.copyOf(properties);
  }

  public Map<String, Object> admin() {
    return client(AdminClientConfig.configNames(), ADMIN);
  }

  public Map<String, Object> consumer() {
    return client(ConsumerConfig.configNames(), CONSUMER);
  }

  public Map<String, Object> producer() {
    return client(ProducerConfig.configNames(), PRODUCER);
  }

  /** Every property as given, for Kafka Streams, which hands each of its clients its share. */
  public Map<String, Object> streams() {
    final var props = new HashMap<String, Object>(properties);
    props.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    return props;
  }

  /**
   * The properties meant for every kind of client, for clients built elsewhere from one set of properties
   * (the broker bridge's, which gives each client the names it knows).
   */
  public Map<String, String> shared() {
    final var shared = new HashMap<String, String>();
    properties.forEach((name, value) -> {
      if (ProducerConfig.configNames().contains(name) || ConsumerConfig.configNames().contains(name)
          || AdminClientConfig.configNames().contains(name)) {
        shared.put(name, value);
      }
    });
    shared.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    return shared;
  }

  private Map<String, Object> client(Set<String> names, String kind) {
    final var props = new HashMap<String, Object>();
    properties.forEach((name, value) -> {
      if (names.contains(name)) {
        props.put(name, value);
      }
    });
    properties.forEach((name, value) -> {
      if (name.startsWith(kind) && names.contains(name.substring(kind.length()))) {
        props.put(name.substring(kind.length()), value);
      }
    });
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return props;
  }
}
