package org.meshflow.bridge.configuration;

import java.util.List;
import java.util.Optional;

/**
 * The whole, validated configuration of the bridge.
 *
 * @param status the bridge's availability topic; null: none
 */
public record BridgeConfig(KafkaSettings kafka, List<UplinkMapping> uplinks, SessionEventsSettings sessions,
    List<DownlinkMapping> downlinks, Limits limits, AccessSettings access, MetricsSettings metrics,
    StatusTopic status) {
  public BridgeConfig {
    uplinks = List.copyOf(uplinks);
    downlinks = List.copyOf(downlinks);
  }

  /** The first mapping whose filters match {@code topic}. */
  public Optional<UplinkMapping> uplinkFor(String topic) {
    for (final var mapping : uplinks) {
      if (mapping.matches(topic)) {
        return Optional.of(mapping);
      }
    }
    return Optional.empty();
  }
}
