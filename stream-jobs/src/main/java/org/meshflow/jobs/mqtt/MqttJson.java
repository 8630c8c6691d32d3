package org.meshflow.jobs.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** JSON payloads for MQTT consumers: compact, UTF-8, timestamps as ISO-8601 UTC. */
final class MqttJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MqttJson() {}

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  static byte[] text(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String iso(Instant at) {
    return at == null ? null : at.toString();
  }
}
