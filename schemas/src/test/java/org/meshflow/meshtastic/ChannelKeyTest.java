package org.meshflow.meshtastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelKeyTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void noKeyMeansNoEncryption() {
    assertThat(ChannelKey.fromBase64("AA==")).isEmpty();
    assertThat(ChannelKey.fromBase64("")).isEmpty();
  }

  @Test
  void oneByteIsTheDefaultKeyShorthand() {
    assertThat(ChannelKey.fromBase64("AQ==")).contains(ChannelKey.DEFAULT);
    assertThat(ChannelKey.fromBase64("1PG7OiApB1nwvP+rz05pAQ==")).contains(ChannelKey.DEFAULT);
    assertThat(HEX.formatHex(ChannelKey.fromBase64("Ag==").orElseThrow().bytes()))
        .isEqualTo("d4f1bb3a20290759f0bcffabcf4e6902");
    assertThat(HEX.formatHex(ChannelKey.fromPsk(new byte[] {10}).orElseThrow().bytes()))
        .isEqualTo("d4f1bb3a20290759f0bcffabcf4e690a");
  }

  @Test
  void shortKeysAreZeroPaddedToAes128() {
    final ChannelKey key = ChannelKey.fromPsk(new byte[] {1, 2, 3, 4, 5}).orElseThrow();
    assertThat(key.length()).isEqualTo(16);
    assertThat(HEX.formatHex(key.bytes())).isEqualTo("01020304050000000000000000000000");
    assertThat(ChannelKey.fromPsk(new byte[15]).orElseThrow().length()).isEqualTo(16);
    assertThat(ChannelKey.fromPsk(new byte[16]).orElseThrow().length()).isEqualTo(16);
  }

  @Test
  void keysBetween17And31BytesArePaddedToAes256() {
    final byte[] psk = new byte[20];
    psk[0] = 7;
    psk[19] = 9;
    final ChannelKey key = ChannelKey.fromPsk(psk).orElseThrow();
    assertThat(key.length()).isEqualTo(32);
    assertThat(key.bytes()[19]).isEqualTo((byte) 9);
    assertThat(key.bytes()[31]).isZero();
    assertThat(ChannelKey.fromPsk(new byte[32]).orElseThrow().length()).isEqualTo(32);
  }

  @Test
  void longerThan32BytesIsAnError() {
    assertThatThrownBy(() -> ChannelKey.fromPsk(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("33 bytes");
    assertThatThrownBy(() -> ChannelKey.fromBase64("not base64!"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not base64");
  }

  @Test
  void keyConfigurationErrorsAreReportedAllAtOnce() {
    final var config = new LinkedHashMap<String, String>();
    config.put("Good", Base64.getEncoder().encodeToString(new byte[32]));
    config.put("TooLong", Base64.getEncoder().encodeToString(new byte[40]));
    config.put("Garbled", "%%%");
    config.put(" ", "AQ==");
    assertThatThrownBy(() -> ChannelKeys.of(config))
        .isInstanceOfSatisfying(InvalidChannelKeysException.class, e -> assertThat(e.problems()).hasSize(3)
            .anySatisfy(p -> assertThat(p).startsWith("TooLong: ").contains("40 bytes"))
            .anySatisfy(p -> assertThat(p).startsWith("Garbled: ").contains("not base64"))
            .anySatisfy(p -> assertThat(p).contains("no channel name")));
  }

  @Test
  void configuredKeysAreFoundByChannelAndByHash() {
    final String psk = "PbYjOe5/2HGhwCKVe8kSwIYRxyz/F4JbUQ5t30cEJFQ=";
    final ChannelKeys keys = ChannelKeys.of(Map.of("KCPrivate0", psk, "Open", "AA=="));
    final ChannelKey key = ChannelKey.fromBase64(psk).orElseThrow();
    assertThat(keys.forChannel("KCPrivate0")).contains(key);
    assertThat(keys.forChannel("Open")).isEmpty();
    assertThat(keys.withHash(249)).containsExactly(new ChannelKeys.NamedKey("KCPrivate0", key));
    assertThat(ChannelKeys.defaults().size()).isZero();
  }
}
