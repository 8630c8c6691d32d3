package org.meshflow.bridge.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.meshflow.bridge.configuration.KafkaSettings;

/** Client settings for the bridge's producer and consumers; the configured properties win. */
public final class KafkaClients {
  private KafkaClients() {}

  public static Map<String, Object> producer(KafkaSettings settings) {
    final long timeout = settings.ackTimeout().toMillis();
    final var props = new HashMap<String, Object>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "meshflow-bridge");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(500, timeout - 100));
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
    props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    props.putAll(settings.properties());
    return props;
  }

  public static Map<String, Object> consumer(KafkaSettings settings, String group) {
    final var props = new HashMap<String, Object>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    settings.properties().forEach((k, v) -> {
      if (ConsumerConfig.configNames().contains(k)) {
        props.put(k, v);
      }
    });
    return props;
  }

  public static Map<String, Object> admin(KafkaSettings settings) {
    final var props = new HashMap<String, Object>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "meshflow-bridge-availability");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    settings.properties().forEach((k, v) -> {
      if (AdminClientConfig.configNames().contains(k)) {
        props.put(k, v);
      }
    });
    return props;
  }

  /**
   * Runs {@code create} with this module's class loader as the context loader: inside HiveMQ the
   * context loader is the broker's, which cannot see the Kafka classes of an extension.
   */
  public static <T> T withOwnClassLoader(Supplier<T> create) {
    final var thread = Thread.currentThread();
    final var previous = thread.getContextClassLoader();
    thread.setContextClassLoader(KafkaClients.class.getClassLoader());
    try {
      return create.get();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
