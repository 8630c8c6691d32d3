package org.meshflow.meshtastic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Channel keys the codec may decrypt with: the default key ({@code AQ==}) always, plus the keys a
 * user configured per channel name. A key is given as base64 PSK: 0 bytes or {@code AA==} = no
 * encryption, 1 byte = the default-key shorthand, 2-32 bytes = an AES-128/256 key (zero-padded).
 */
public final class ChannelKeys {
  /** A configured channel and its key. */
  public record NamedKey(String channel, ChannelKey key) {}

  private static final ChannelKeys DEFAULTS = new ChannelKeys(Map.of());

  private final Map<String, ChannelKey> byChannel;
  private final Map<Integer, List<NamedKey>> byHash = new HashMap<>();

  private ChannelKeys(Map<String, ChannelKey> byChannel) {
    this.byChannel = Collections.unmodifiableMap(byChannel);
    byChannel.forEach((channel, key) -> byHash.computeIfAbsent(ChannelHash.of(channel, key), h -> new ArrayList<>())
        .add(new NamedKey(channel, key)));
  }

  /** Only the default key. */
  public static ChannelKeys defaults() {
    return DEFAULTS;
  }

  /**
   * The default key plus {@code channelName -> base64 PSK}; invalid entries are all reported in one exception.
   *
   * @throws InvalidChannelKeysException listing every bad entry
   */
  public static ChannelKeys of(Map<String, String> base64ByChannel) {
    final var keys = new LinkedHashMap<String, ChannelKey>();
    final var problems = new ArrayList<String>();
    base64ByChannel.forEach((channel, base64) -> {
      if (channel == null || channel.isBlank()) {
        problems.add("a key has no channel name");
      } else if (base64 == null) {
        problems.add(channel + ": no key given");
      } else {
        try {
          ChannelKey.fromBase64(base64).ifPresent(key -> keys.put(channel, key));
        } catch (IllegalArgumentException e) {
          problems.add(channel + ": " + e.getMessage());
        }
      }
    });
    if (!problems.isEmpty()) {
      throw new InvalidChannelKeysException(problems);
    }
    return new ChannelKeys(keys);
  }

  /** The key configured for a channel name; empty when none is (or the channel is configured unencrypted). */
  public Optional<ChannelKey> forChannel(String channel) {
    return Optional.ofNullable(byChannel.get(channel));
  }

  /** Configured channels whose hash (name, key) is {@code hash}. */
  public List<NamedKey> withHash(int hash) {
    return byHash.getOrDefault(hash, List.of());
  }

  /** Number of configured encrypting keys (the default key not counted). */
  public int size() {
    return byChannel.size();
  }
}
