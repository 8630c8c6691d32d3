package org.meshflow.meshtastic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.meshflow.meshtastic.DecodeOutcome.Decoded;
import org.meshflow.meshtastic.DecodeOutcome.RejectKind;
import org.meshflow.meshtastic.DecodeOutcome.Rejected;

/** The 2.7.x JSON mirror topics decode into the same reception shape, or are rejected with a reason. */
class JsonUplinkTest {
  private static final String TOPIC = "msh/US/2/json/LongFast/!abcd1234";
  private final MeshtasticCodec codec = new MeshtasticCodec(ChannelKeys.defaults());

  private DecodeOutcome decode(String json) {
    return codec.decode(TOPIC, json.getBytes(StandardCharsets.UTF_8), null);
  }

  @Test
  void deviceTelemetryFromTheFirmwareExample() {
    final DecodeOutcome outcome = decode("{\"id\":1584361601,\"timestamp\":1735689601,\"to\":4294967295,"
        + "\"from\":439041101,\"channel\":0,\"type\":\"telemetry\",\"sender\":\"!abcd1234\",\"rssi\":-92,\"snr\":6.25,"
        + "\"hops_away\":1,\"hop_start\":3,\"payload\":{\"battery_level\":87,\"voltage\":4.05,"
        + "\"channel_utilization\":12.5,\"air_util_tx\":1.25,\"uptime_seconds\":3600}}");
    assertThat(outcome).isInstanceOf(Decoded.class);
    assertThat(ReceptionJson.render(((Decoded) outcome).reception())).isEqualTo("{\"topic\":\"" + TOPIC + "\","
        + "\"gatewayId\":\"!abcd1234\",\"channelId\":\"LongFast\",\"from\":\"!1a2b3c4d\",\"to\":\"!ffffffff\","
        + "\"packetId\":1584361601,\"packetKey\":\"!1a2b3c4d/1584361601\",\"hopLimit\":2,\"hopStart\":3,\"hopsAway\":1,"
        + "\"rxTime\":1735689601,\"rxSnr\":6.25,\"rxRssi\":-92,\"viaMqtt\":false,\"encrypted\":false,"
        + "\"decrypted\":false,\"portnum\":\"TELEMETRY_APP\",\"payload\":{\"time\":0,\"deviceMetrics\":{"
        + "\"batteryLevel\":87,\"voltage\":4.05,\"channelUtilization\":12.5,\"airUtilTx\":1.25,\"uptimeSeconds\":3600}}}");
  }

  @Test
  void signedBroadcastAndTextPayload() {
    final DecodeOutcome outcome = decode("{\"id\":7,\"to\":-1,\"from\":16,\"type\":\"text\",\"sender\":\"!abcd1234\","
        + "\"payload\":{\"text\":\"hello\"}}");
    final var r = ((Decoded) outcome).reception();
    assertThat(r.getTo()).isEqualTo("!ffffffff");
    assertThat(r.getHopsAway()).isNull();
    assertThat(r.getRxTime()).isNull();
    assertThat(ReceptionJson.render(r)).endsWith("\"portnum\":\"TEXT_MESSAGE_APP\",\"payload\":{\"text\":\"hello\"}}");
  }

  @Test
  void malformedJsonIsRejectedWithAReason() {
    assertThat(decode("{\"id\":")).isInstanceOfSatisfying(Rejected.class, r -> {
      assertThat(r.kind()).isEqualTo(RejectKind.MALFORMED_JSON);
      assertThat(r.reason()).startsWith("payload is not valid JSON");
    });
    assertThat(decode("[1,2]")).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.reason()).contains("must be an object"));
    assertThat(decode("{\"id\":1,\"sender\":\"!abcd1234\"}")).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.reason()).contains("'from'"));
    assertThat(decode("{\"id\":1,\"from\":2,\"sender\":\"!00000001\"}")).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.kind()).isEqualTo(RejectKind.GATEWAY_MISMATCH));
  }
}
