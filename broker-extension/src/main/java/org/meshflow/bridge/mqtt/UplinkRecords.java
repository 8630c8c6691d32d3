package org.meshflow.bridge.mqtt;

import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.meshflow.bridge.configuration.UplinkMapping;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.UserProperty;

/** Makes the Kafka record of a forwarded PUBLISH. */
final class UplinkRecords {
  private UplinkRecords() {}

  static MqttUplink uplink(PublishPacket packet, String clientId, String username) {
    final var payload = packet.getPayload().orElse(ByteBuffer.allocate(0));
    final var copy = ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip();
    final var properties = packet.getUserProperties().asList();
    // the constructor, not the builder: this runs for every PUBLISH and sets every field
    return new MqttUplink(packet.getTopic(), copy, packet.getQos().getQosNumber(), packet.getRetain(), clientId,
        username, properties.isEmpty() ? List.of()
            : properties.stream().map(p -> new UserProperty(p.getName(), p.getValue())).toList(),
        Instant.ofEpochMilli(packet.getTimestamp()), null);
  }

  static byte[] key(UplinkMapping mapping, String clientId, String topic) {
    return switch (mapping.key()) {
      case CLIENT_ID -> clientId.getBytes(StandardCharsets.UTF_8);
      case TOPIC -> topic.getBytes(StandardCharsets.UTF_8);
      case NONE -> null;
    };
  }
}
