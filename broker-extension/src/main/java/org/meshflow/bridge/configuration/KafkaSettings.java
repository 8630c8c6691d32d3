package org.meshflow.bridge.configuration;

import java.time.Duration;
import java.util.Map;

/**
 * Where the bridge's Kafka and schema registry are.
 *
 * @param properties extra Kafka client properties (security, timeouts), applied to producer and consumers
 * @param ackTimeout how long a QoS 1/2 PUBLISH waits for Kafka before it counts as not stored (no acknowledgement)
 */
public record KafkaSettings(String bootstrapServers, String registryUrl, Duration ackTimeout,
    Map<String, String> properties) {
  public KafkaSettings {
    properties = Map.copyOf(properties);
  }
}
