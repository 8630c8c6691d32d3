package org.meshflow.meshtastic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshflow.meshtastic.wire.DeviceMetrics;
import org.meshflow.meshtastic.wire.Telemetry;
import org.meshflow.records.Reception;

class ReceptionJsonTest {

  private static List<String> names(String json) {
    final JsonNode node = ExpectedFacts.parse(json);
    final var names = new ArrayList<String>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void encryptedPacketHasTheContractNamesInOrder() {
    final Reception r = Uplinks.decode("LongFast", Uplinks.encrypted(Uplinks.packet(1),
        Uplinks.data(PortNum.TEXT_MESSAGE_APP, ByteString.copyFromUtf8("hi")), "LongFast", ChannelKey.DEFAULT));
    assertThat(names(ReceptionJson.render(r))).containsExactly("topic", "gatewayId", "channelId", "from", "to",
        "packetId", "packetKey", "channelHash", "hopLimit", "hopStart", "hopsAway", "rxTime", "rxSnr", "rxRssi",
        "viaMqtt", "encrypted", "decrypted", "portnum", "payload");
  }

  @Test
  void plainPacketWithoutClockOrPayloadLeavesThoseOut() {
    final Reception r = Uplinks.decode("LongFast", Uplinks.plain(Uplinks.packet(1).clearRxTime().setHopStart(0),
        Uplinks.data(300, ByteString.EMPTY)));
    final String json = ReceptionJson.render(r);
    assertThat(names(json)).containsExactly("topic", "gatewayId", "channelId", "from", "to", "packetId", "packetKey",
        "hopLimit", "hopStart", "hopsAway", "rxSnr", "rxRssi", "viaMqtt", "encrypted", "decrypted", "portnum");
    assertThat(json).contains("\"hopsAway\":null", "\"portnum\":\"300\"");
  }

  @Test
  void floatsPrintAsTheFloatTheyAre() {
    final Telemetry telemetry = Telemetry.newBuilder().setDeviceMetrics(DeviceMetrics.newBuilder().setVoltage(3.35f)
        .setChannelUtilization(24.89f).setAirUtilTx(4.329f).setBatteryLevel(101)).build();
    final Reception r = Uplinks.decode("LongFast", Uplinks.plain(Uplinks.packet(1).setRxSnr(-7.25f),
        Uplinks.data(PortNum.TELEMETRY_APP, telemetry)));
    assertThat(ReceptionJson.render(r)).contains("\"rxSnr\":-7.25", "\"voltage\":3.35", "\"channelUtilization\":24.89",
        "\"airUtilTx\":4.329", "\"batteryLevel\":101");
  }

  @Test
  void notANumberSnrStaysValidJson() {
    final Reception r = Uplinks.decode("LongFast", Uplinks.plain(Uplinks.packet(1).setRxSnr(Float.NaN),
        Uplinks.data(PortNum.TEXT_MESSAGE_APP, ByteString.copyFromUtf8("x"))));
    final String json = ReceptionJson.render(r);
    assertThat(ExpectedFacts.parse(json).get("rxSnr").isNull()).isTrue();
  }
}
