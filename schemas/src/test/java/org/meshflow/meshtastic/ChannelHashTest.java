package org.meshflow.meshtastic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelHashTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"LongFast, 8", "MediumFast, 31", "MediumSlow, 24", "ShortFast, 112", "ShortSlow, 119",
      "ShortTurbo, 14", "LongSlow, 15", "LongMod, 110", "LongTurbo, 118", "MediumTurbo, 97", "LiteFast, 22",
      "NarrowSlow, 18", "TinyFast, 8"})
  void presetNamesWithTheDefaultKeyHashAsFirmwareDoes(String channel, int hash) {
    assertThat(ChannelHash.of(channel, ChannelKey.DEFAULT)).isEqualTo(hash);
  }

  @Test
  void privateKeysHashWithTheirOwnBytes() {
    final ChannelKey key = ChannelKey.fromBase64("PbYjOe5/2HGhwCKVe8kSwIYRxyz/F4JbUQ5t30cEJFQ=").orElseThrow();
    assertThat(ChannelHash.of("KCPrivate0", key)).isEqualTo(249); // as in the shared fixtures
  }
}
