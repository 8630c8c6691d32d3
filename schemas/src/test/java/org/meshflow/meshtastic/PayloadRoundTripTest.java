package org.meshflow.meshtastic;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshflow.meshtastic.DecodeOutcome.Decoded;
import org.meshflow.meshtastic.wire.Data;
import org.meshflow.meshtastic.wire.EnvironmentMetrics;
import org.meshflow.meshtastic.wire.MeshPacket;
import org.meshflow.meshtastic.wire.RouteDiscovery;
import org.meshflow.meshtastic.wire.Routing;
import org.meshflow.meshtastic.wire.Telemetry;
import org.meshflow.records.Reception;
import org.meshflow.records.Traceroute;

/** Packets built with the wire classes and encrypted with our cipher come back as the records they were. */
class PayloadRoundTripTest {

  @Test
  void environmentTelemetryShowsOnlyTheSensorsSent() {
    final Telemetry telemetry = Telemetry.newBuilder().setTime(1_780_047_059)
        .setEnvironmentMetrics(EnvironmentMetrics.newBuilder().setTemperature(21.5f).setRelativeHumidity(48.25f)
            .setBarometricPressure(1013.2f).setIaq(42))
        .build();
    final MeshPacket packet = Uplinks.encrypted(Uplinks.packet(77),
        Uplinks.data(PortNum.TELEMETRY_APP, telemetry), "LongFast", ChannelKey.DEFAULT);

    final Reception r = Uplinks.decode("LongFast", packet);

    assertThat(r.getEncrypted()).isTrue();
    assertThat(r.getDecrypted()).isTrue();
    assertThat(r.getChannelHash()).isEqualTo(8);
    assertThat(r.getPortnum()).isEqualTo("TELEMETRY_APP");
    assertThat(r.getOkToMqtt()).isTrue();
    final String json = ReceptionJson.render(r);
    assertThat(json).endsWith("\"portnum\":\"TELEMETRY_APP\",\"payload\":{\"time\":1780047059,\"environmentMetrics\":"
        + "{\"temperature\":21.5,\"relativeHumidity\":48.25,\"barometricPressure\":1013.2,\"iaq\":42}}}");
  }

  @Test
  void tracerouteReplyOnAnAes256Channel() {
    final ChannelKey key = ChannelKey.fromBase64("PbYjOe5/2HGhwCKVe8kSwIYRxyz/F4JbUQ5t30cEJFQ=").orElseThrow();
    final RouteDiscovery route = RouteDiscovery.newBuilder().addRoute(0x56ac99c9).addRoute(0x8a6a0095)
        .addSnrTowards(31).addSnrTowards(-27).addSnrTowards(8).addRouteBack(0xb90e0d25).addSnrBack(-128 / 4).build();
    final Data data = Uplinks.data(PortNum.TRACEROUTE_APP, route).toBuilder().setRequestId(0xdeadbeef).build();
    final MeshPacket packet = Uplinks.encrypted(Uplinks.packet(0xfffffff0).setTo(0x31f421ac), data, "KCPrivate", key);
    final var codec = new MeshtasticCodec(ChannelKeys.of(Map.of("KCPrivate", "PbYjOe5/2HGhwCKVe8kSwIYRxyz/F4JbUQ5t30cEJFQ=")));

    final Reception r = Uplinks.decode(codec, Uplinks.topic("KCPrivate"), Uplinks.envelope(packet, "KCPrivate"))
        .reception();

    assertThat(r.getDecrypted()).isTrue();
    assertThat(r.getPacketId()).isEqualTo(0xfffffff0L);
    assertThat(r.getPacketKey()).isEqualTo("!1977af7c/4294967280");
    assertThat(r.getTo()).isEqualTo("!31f421ac");
    assertThat(r.getRequestId()).isEqualTo(0xdeadbeefL);
    assertThat(r.getPortnum()).isEqualTo("TRACEROUTE_APP");
    final var traceroute = (Traceroute) r.getPayload();
    assertThat(traceroute.getRoute()).containsExactly("!56ac99c9", "!8a6a0095");
    assertThat(traceroute.getSnrTowards()).containsExactly(7.75f, -6.75f, 2f);
    assertThat(traceroute.getRouteBack()).containsExactly("!b90e0d25");
    assertThat(traceroute.getSnrBack()).containsExactly(-8f);
  }

  @Test
  void routingAcknowledgementNamesItsError() {
    final Routing ack = Routing.newBuilder().setErrorReason(0).build();
    final Reception r = Uplinks.decode("LongFast",
        Uplinks.encrypted(Uplinks.packet(5), Uplinks.data(PortNum.ROUTING_APP, ack), "LongFast", ChannelKey.DEFAULT));
    assertThat(ReceptionJson.render(r)).contains("\"portnum\":\"ROUTING_APP\",\"payload\":{\"errorReason\":\"NONE\"}");
  }

  @Test
  void aKeyConfiguredForAnotherChannelNameIsTriedWhenItsHashMatches() {
    final ChannelKey key = ChannelKey.fromPsk(new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 9, 8, 7, 6, 5, 4, 3}).orElseThrow();
    final MeshPacket packet = Uplinks.encrypted(Uplinks.packet(9),
        Uplinks.data(PortNum.TEXT_MESSAGE_APP, ByteString.copyFromUtf8("hello")), "Club", key);
    final String base64 = java.util.Base64.getEncoder().encodeToString(key.bytes());
    // the gateway names the channel differently from our configuration; the hash still points at "Club"
    final var codec = new MeshtasticCodec(ChannelKeys.of(Map.of("Club", base64)));
    final Reception r = Uplinks.decode(codec, Uplinks.topic("Renamed"), Uplinks.envelope(packet, "Renamed"))
        .reception();
    assertThat(r.getDecrypted()).isTrue();
    assertThat(r.getPayload()).hasToString("{\"text\": \"hello\"}");
  }

  @Test
  void aHashCollisionIsResolvedByThePlaintextCheck() {
    // the default key reversed has the same byte XOR, so a private "LongFast" with it also hashes to 8
    final byte[] reversed = ChannelKey.DEFAULT.bytes();
    for (int i = 0; i < reversed.length / 2; i++) {
      final byte b = reversed[i];
      reversed[i] = reversed[reversed.length - 1 - i];
      reversed[reversed.length - 1 - i] = b;
    }
    final var codec = new MeshtasticCodec(ChannelKeys.of(
        Map.of("LongFast", java.util.Base64.getEncoder().encodeToString(reversed))));
    assertThat(ChannelHash.of("LongFast", ChannelKey.ofAesKey(reversed))).isEqualTo(8);
    final MeshPacket packet = Uplinks.encrypted(Uplinks.packet(12),
        Uplinks.data(PortNum.TEXT_MESSAGE_APP, ByteString.copyFromUtf8("default key")), "LongFast", ChannelKey.DEFAULT);

    final Reception r = Uplinks.decode(codec, Uplinks.topic("LongFast"), Uplinks.envelope(packet, "LongFast"))
        .reception();

    assertThat(r.getDecrypted()).isTrue();
    assertThat(r.getPayload()).hasToString("{\"text\": \"default key\"}");
  }

  @Test
  void pkiDirectMessageIsAnUndecryptedReception() {
    final MeshPacket packet = Uplinks.packet(44).setTo(0x31f421ac).setChannel(0).setPkiEncrypted(true)
        .setEncrypted(ByteString.copyFrom(new byte[40])).build();
    final Reception r = Uplinks.decode("PKI", packet);
    assertThat(r.getEncrypted()).isTrue();
    assertThat(r.getDecrypted()).isFalse();
    assertThat(r.getPortnum()).isNull();
    assertThat(r.getPayload()).isNull();
    assertThat(r.getPayloadBytes()).isNull();
    assertThat(r.getChannelHash()).isZero();
  }

  @Test
  void aMalformedAppPayloadKeepsTheReceptionWithoutPayload() {
    final Data data = Uplinks.data(PortNum.POSITION_APP, ByteString.copyFrom(new byte[] {0x0a, 0x7f}));
    final Decoded decoded = Uplinks.decode(new MeshtasticCodec(ChannelKeys.defaults()), Uplinks.topic("LongFast"),
        Uplinks.envelope(Uplinks.plain(Uplinks.packet(3), data), "LongFast"));
    assertThat(decoded.reception().getPortnum()).isEqualTo("POSITION_APP");
    assertThat(decoded.reception().getPayload()).isNull();
    assertThat(decoded.reception().getPayloadBytes().remaining()).isEqualTo(2);
    assertThat(decoded.payloadProblem()).startsWith("POSITION_APP payload does not parse");
  }

  @Test
  void plainPacketsOfUnknownPortsKeepTheirNumberAndBytes() {
    final Data data = Uplinks.data(400, ByteString.copyFromUtf8("opaque")).toBuilder().clearBitfield().build();
    final Reception r = Uplinks.decode("LongFast", Uplinks.plain(Uplinks.packet(3), data));
    assertThat(r.getEncrypted()).isFalse();
    assertThat(r.getDecrypted()).isFalse();
    assertThat(r.getPortnum()).isEqualTo("400");
    assertThat(r.getPayload()).isNull();
    assertThat(r.getOkToMqtt()).isNull();
    assertThat(r.getPayloadBytes().remaining()).isEqualTo(6);
  }

  @Test
  void mapReportIsKeyedByItsSender() {
    final Data data = Uplinks.data(PortNum.MAP_REPORT_APP,
        org.meshflow.meshtastic.wire.MapReport.newBuilder().setLongName("Gate").setRegion(3).setModemPreset(4)
            .setRole(11).build());
    final Decoded decoded = Uplinks.decode(new MeshtasticCodec(ChannelKeys.defaults()), "msh/EU_868/2/map/",
        Uplinks.envelope(Uplinks.plain(Uplinks.packet(0).setHopStart(0).setHopLimit(0), data), "LongFast"));
    assertThat(decoded.reception().getPacketKey()).isEqualTo("!1977af7c/map");
    assertThat(decoded.reception().getRoot()).isEqualTo("msh/EU_868");
    assertThat(ReceptionJson.render(decoded.reception()))
        .contains("\"role\":\"ROUTER_LATE\"", "\"region\":\"EU_868\"", "\"modemPreset\":\"MEDIUM_FAST\"");
  }
}
