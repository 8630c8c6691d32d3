package org.meshflow.bridge.configuration;

import java.time.Duration;

/**
 * The bridge's availability: a retained {@code online} on {@code mqttTopic} once it runs and reaches
 * Kafka, {@code offline} when it stops or Kafka has been unreachable for {@code offlineAfter}
 * ({@link Duration#ZERO}: only when it stops).
 */
public record StatusTopic(String mqttTopic, String online, String offline, Duration offlineAfter) {}
