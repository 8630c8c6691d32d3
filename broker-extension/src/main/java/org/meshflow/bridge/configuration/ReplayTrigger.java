package org.meshflow.bridge.configuration;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A client PUBLISH of {@code payload} on {@code mqttTopic} makes a Kafka-to-MQTT mapping publish the
 * latest value of every key of its (compacted) topic again, limited to the MQTT topics matching
 * {@code topicFilters} (all when empty) and to {@code maxKeys} keys. Home Assistant's birth message
 * ({@code homeassistant/status} = {@code online}) is the case it is made for.
 */
public record ReplayTrigger(String mqttTopic, String payload, List<TopicFilter> topicFilters, int maxKeys) {
  public ReplayTrigger {
    topicFilters = List.copyOf(topicFilters);
  }

  public boolean firedBy(String topic, ByteBuffer message) {
    return mqttTopic.equals(topic) && StandardCharsets.UTF_8.decode(message.duplicate()).toString().equals(payload);
  }

  public boolean covers(String topic) {
    return topicFilters.isEmpty() || TopicFilter.anyMatches(topicFilters, topic);
  }
}
