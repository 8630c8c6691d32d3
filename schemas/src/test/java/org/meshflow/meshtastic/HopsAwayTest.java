package org.meshflow.meshtastic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HopsAwayTest {

  @Test
  void hopStartMinusHopLimit() {
    assertThat(HopsAway.of(3, 3)).isZero();
    assertThat(HopsAway.of(7, 0)).isEqualTo(7);
    assertThat(HopsAway.of(4, 1)).isEqualTo(3);
  }

  @Test
  void unknownWhenHopStartIsZeroOrBelowHopLimit() {
    assertThat(HopsAway.of(0, 0)).isNull();
    assertThat(HopsAway.of(0, 3)).isNull();
    assertThat(HopsAway.of(2, 3)).isNull();
  }

  @Test
  void receptionCarriesTheRule() {
    assertThat(Uplinks.decode("LongFast", Uplinks.plain(Uplinks.packet(1).setHopStart(0).setHopLimit(3),
        Uplinks.data(PortNum.TEXT_MESSAGE_APP, com.google.protobuf.ByteString.copyFromUtf8("hi")))).getHopsAway())
        .isNull();
    assertThat(Uplinks.decode("LongFast", Uplinks.plain(Uplinks.packet(1).setHopStart(5).setHopLimit(2),
        Uplinks.data(PortNum.TEXT_MESSAGE_APP, com.google.protobuf.ByteString.copyFromUtf8("hi")))).getHopsAway())
        .isEqualTo(3);
  }
}
