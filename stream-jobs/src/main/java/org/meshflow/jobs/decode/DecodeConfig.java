package org.meshflow.jobs.decode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.meshflow.jobs.common.Settings;
import org.meshflow.jobs.common.StreamsSettings;
import org.meshflow.meshtastic.ChannelKeys;
import org.meshflow.meshtastic.InvalidChannelKeysException;

/**
 * Settings of the decode job.
 *
 * @param channelKeys channel name -> base64 PSK, besides the default key ({@code decode.key.<channel>=<base64>})
 * @param maxFutureSkew an uplink stamped this far ahead of the job's clock goes to the DLQ
 * @param maxAge an uplink received longer ago than this goes to the DLQ
 * @param commitInterval how often the job commits: a reception becomes visible to read-committed
 *     readers (the dedup job) only then, so this adds up to its length to every packet's latency
 */
public record DecodeConfig(String uplinksTopic, String receptionsTopic, String legacyStatusTopic, String dlqTopic,
    Map<String, String> channelKeys, Duration maxFutureSkew, Duration maxAge, Duration commitInterval) {

  public DecodeConfig {
    channelKeys = Map.copyOf(channelKeys);
    final var checks = new Settings.Checks("decode").topic("uplinks-topic", uplinksTopic)
        .topic("receptions-topic", receptionsTopic).topic("legacy-status-topic", legacyStatusTopic)
        .topic("dlq-topic", dlqTopic).positive("max-future-skew", maxFutureSkew).positive("max-age", maxAge)
        .positive("commit-interval", commitInterval);
    try {
      ChannelKeys.of(channelKeys);
    } catch (InvalidChannelKeysException e) {
      e.problems().forEach(problem -> checks.that(false, "key." + problem));
    }
    checks.validate();
  }

  public static DecodeConfig defaults() {
    return from(Map.of());
  }

  /** Reads {@code decode.*} keys; {@code decode.key.<channel>} entries are channel keys. */
  public static DecodeConfig from(Map<String, String> values) {
    final var s = new Settings("decode", values);
    final var keys = new LinkedHashMap<String, String>();
    values.forEach((key, value) -> {
      if (key.startsWith("decode.key.")) {
        keys.put(key.substring("decode.key.".length()), value);
      }
    });
    return s.build(() -> new DecodeConfig(s.string("uplinks-topic", "mesh.uplink.v1"),
        s.string("receptions-topic", "mesh.receptions.v1"), s.string("legacy-status-topic", "mesh.legacy-status.v1"),
        s.string("dlq-topic", "mesh.dlq.v1"), keys, s.duration("max-future-skew", Duration.ofMinutes(5)),
        s.duration("max-age", Duration.ofDays(7)), s.duration("commit-interval", StreamsSettings.PACKET_PATH_COMMIT)));
  }

  public ChannelKeys keys() {
    return ChannelKeys.of(channelKeys);
  }
}
