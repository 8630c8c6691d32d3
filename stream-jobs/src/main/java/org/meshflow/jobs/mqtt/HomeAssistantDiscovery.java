package org.meshflow.jobs.mqtt;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The Home Assistant MQTT discovery config of a router's connectivity binary sensor. */
final class HomeAssistantDiscovery {
  private HomeAssistantDiscovery() {}

  /** {@code meshflow_<hex>}: Home Assistant ids allow only letters, digits, {@code _} and {@code -}. */
  static String objectId(String routerId) {
    return "meshflow_" + routerId.replaceFirst("^!", "").replaceAll("[^A-Za-z0-9_-]", "_");
  }

  static ObjectNode config(MqttOutputConfig config, String routerId) {
    final var json = JsonNodeFactory.instance;
    final String id = objectId(routerId);
    final ObjectNode device = json.objectNode();
    device.putArray("identifiers").add(id);
    device.put("name", "Meshtastic router " + routerId);
    device.put("manufacturer", "Meshtastic");
    device.put("model", "MQTT gateway");
    final ObjectNode node = json.objectNode();
    node.put("name", "Connectivity");
    node.put("unique_id", id + "_connectivity");
    node.put("object_id", id + "_connectivity");
    node.put("device_class", "connectivity");
    node.put("state_topic", config.stateTopic(routerId));
    // silent (connected, but its radio uploads nothing) is a connectivity problem too
    node.put("value_template", "{{ 'online' if value == 'online' else 'offline' }}");
    node.put("payload_on", "online");
    node.put("payload_off", "offline");
    node.put("json_attributes_topic", config.attributesTopic(routerId));
    node.put("availability_topic", config.availabilityTopic());
    node.put("payload_available", "online");
    node.put("payload_not_available", "offline");
    node.put("qos", 1);
    node.set("device", device);
    return node;
  }
}
