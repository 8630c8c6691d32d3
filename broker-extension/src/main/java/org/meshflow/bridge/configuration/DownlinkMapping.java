package org.meshflow.bridge.configuration;

/**
 * Records of {@code kafkaTopic} are published to MQTT at {@code mqttTopic}, a template in which
 * {@code {key}} stands for the record key.
 *
 * @param replayTrigger when clients may ask for the latest value of every key again; null: never
 */
public record DownlinkMapping(String id, String kafkaTopic, String mqttTopic, PayloadFormat payload, int qos,
    boolean retain, String consumerGroup, ReplayTrigger replayTrigger) {

  public String topicFor(String key) {
    return mqttTopic.replace("{key}", key);
  }

  public boolean usesKey() {
    return mqttTopic.contains("{key}");
  }
}
