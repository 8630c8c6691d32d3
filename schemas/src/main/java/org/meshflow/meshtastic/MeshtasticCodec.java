package org.meshflow.meshtastic;

import java.time.Instant;

/**
 * Turns one MQTT uplink (topic and payload) into a {@link DecodeOutcome}. Never throws on bytes from
 * the network; thread-safe.
 */
public final class MeshtasticCodec {

  public MeshtasticCodec(ChannelKeys keys) {}

  /**
   * @param topic the MQTT topic, or null when unknown (bare envelope)
   * @param payload the MQTT payload
   * @param receivedAt broker receive time, copied into {@code Reception.receivedAt} (may be null)
   */
  public DecodeOutcome decode(String topic, byte[] payload, Instant receivedAt) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
