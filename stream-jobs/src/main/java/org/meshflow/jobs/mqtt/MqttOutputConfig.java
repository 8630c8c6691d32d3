package org.meshflow.jobs.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the MQTT output job reads and writes. The two output topics are MQTT outboxes keyed by MQTT
 * topic with raw payloads: the broker bridge publishes {@code eventsOut} without retain (alerts) and
 * {@code retainedOut} with retain (router state, attributes, Home Assistant discovery).
 */
public record MqttOutputConfig(
    String applicationId,
    String alertsTopic,
    String statusTopic,
    String outagesTopic,
    String eventsOutTopic,
    String retainedOutTopic,
    String mqttRoot,
    String discoveryPrefix) {

  private static final Pattern TOPIC_LEVEL = Pattern.compile("[^#+\\u0000]+(/[^#+\\u0000]+)*");

  public static MqttOutputConfig defaults() {
    return new MqttOutputConfig("meshflow-mqtt-output", "mesh.alerts.v1", "mesh.router-status.v1",
        "mesh.router-outages.v1", "mesh.mqtt-events.v1", "mesh.mqtt-retained.v1", "meshflow", "homeassistant");
  }

  public MqttOutputConfig {
    final List<String> errors = new ArrayList<>();
    if (mqttRoot == null || !TOPIC_LEVEL.matcher(mqttRoot).matches() || mqttRoot.endsWith("/")) {
      errors.add("mqtt root '" + mqttRoot + "' must be an MQTT topic without wildcards or a trailing slash");
    }
    if (discoveryPrefix == null || !TOPIC_LEVEL.matcher(discoveryPrefix).matches()) {
      errors.add("discovery prefix '" + discoveryPrefix + "' must be an MQTT topic without wildcards");
    }
    for (String t : new String[] {applicationId, alertsTopic, statusTopic, outagesTopic, eventsOutTopic, retainedOutTopic}) {
      if (t == null || t.isBlank()) {
        errors.add("every topic name and the application id must be set");
        break;
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
  }

  public String alertTopic(String subject) {
    return mqttRoot + "/alerts/" + subject;
  }

  public String stateTopic(String routerId) {
    return mqttRoot + "/routers/" + routerId + "/state";
  }

  public String attributesTopic(String routerId) {
    return mqttRoot + "/routers/" + routerId + "/attributes";
  }

  /** Retained {@code online}/{@code offline} of Meshflow itself: the availability of every entity. */
  public String availabilityTopic() {
    return mqttRoot + "/status";
  }

  public String discoveryTopic(String routerId) {
    return discoveryPrefix + "/binary_sensor/" + HomeAssistantDiscovery.objectId(routerId) + "/connectivity/config";
  }
}
