package org.meshflow.meshtastic;

import java.nio.charset.StandardCharsets;
import org.meshflow.meshtastic.DecodeOutcome.RejectKind;
import org.meshflow.meshtastic.DecodeOutcome.Rejected;
import org.meshflow.meshtastic.DecodeOutcome.Status;

/** {@code <root>/2/stat/!id} with payload {@code online} or {@code offline} (firmware before 2.4.1). */
final class StatusMessage {
  private StatusMessage() {}

  static DecodeOutcome decode(MeshTopic topic, byte[] payload) {
    final String gateway = topic.gateway();
    if (!NodeId.isValid(gateway)) {
      return new Rejected(RejectKind.NOT_A_MESH_TOPIC, "status topic must end in a gateway id like !abcd1234, not '"
          + EnvelopeDecoder.printable(String.valueOf(gateway)) + "'");
    }
    final String text = payload.length > 16 ? "" : new String(payload, StandardCharsets.UTF_8).trim();
    if (text.equalsIgnoreCase("online")) {
      return new Status(topic.root(), gateway, true);
    }
    if (text.equalsIgnoreCase("offline")) {
      return new Status(topic.root(), gateway, false);
    }
    return new Rejected(RejectKind.MALFORMED_PAYLOAD, "status payload must be 'online' or 'offline'");
  }
}
