package org.meshflow.meshtastic;

import java.time.Instant;
import java.util.Optional;
import org.meshflow.meshtastic.DecodeOutcome.RejectKind;
import org.meshflow.meshtastic.DecodeOutcome.Rejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one MQTT uplink (topic and payload) into a {@link DecodeOutcome}. Never throws on bytes from
 * the network; thread-safe.
 */
public final class MeshtasticCodec {
  /** Firmware's MQTT buffer is 1 KiB; anything far beyond that is not a gateway talking. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(MeshtasticCodec.class);

  private final EnvelopeDecoder envelopes;
  private final int maxPayloadBytes;

  public MeshtasticCodec(ChannelKeys keys) {
    this(keys, DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /** @param maxPayloadBytes larger payloads are rejected as {@link RejectKind#OVERSIZED} */
  public MeshtasticCodec(ChannelKeys keys, int maxPayloadBytes) {
    if (maxPayloadBytes <= 0) {
      throw new IllegalArgumentException("maximum payload size must be positive, not " + maxPayloadBytes);
    }
    this.envelopes = new EnvelopeDecoder(new PacketDecryptor(keys));
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /**
   * @param topic the MQTT topic, or null when unknown (bare envelope)
   * @param payload the MQTT payload
   * @param receivedAt broker receive time, copied into {@code Reception.receivedAt} (may be null)
   */
  public DecodeOutcome decode(String topic, byte[] payload, Instant receivedAt) {
    try {
      return decodeUnguarded(topic, payload == null ? new byte[0] : payload, receivedAt);
    } catch (RuntimeException e) {
      // a bug of ours, not a property of the input: keep going, but leave a trace
      LOG.warn("codec failed on an uplink on '{}' ({} bytes)", topic, payload == null ? 0 : payload.length, e);
      return new Rejected(RejectKind.MALFORMED_ENVELOPE, "could not decode: " + e);
    }
  }

  private DecodeOutcome decodeUnguarded(String topic, byte[] payload, Instant receivedAt) {
    if (payload.length > maxPayloadBytes) {
      return new Rejected(RejectKind.OVERSIZED,
          "payload is " + payload.length + " bytes, more than the limit of " + maxPayloadBytes);
    }
    if (topic == null) {
      return envelopes.decode(null, null, payload, receivedAt);
    }
    final Optional<MeshTopic> parsed = MeshTopic.parse(topic);
    if (parsed.isEmpty()) {
      return new Rejected(RejectKind.NOT_A_MESH_TOPIC, MeshTopic.whyNot(topic));
    }
    final MeshTopic meshTopic = parsed.get();
    return switch (meshTopic.kind()) {
      case ENVELOPE, LEGACY_ENVELOPE, MAP -> envelopes.decode(topic, meshTopic, payload, receivedAt);
      case JSON -> JsonUplinkDecoder.decode(topic, meshTopic, payload, receivedAt);
      case STAT -> StatusMessage.decode(meshTopic, payload);
    };
  }
}
