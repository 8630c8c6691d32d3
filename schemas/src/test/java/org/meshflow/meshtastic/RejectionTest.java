package org.meshflow.meshtastic;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.meshflow.meshtastic.DecodeOutcome.RejectKind;
import org.meshflow.meshtastic.DecodeOutcome.Rejected;
import org.meshflow.meshtastic.wire.MeshPacket;
import org.meshflow.meshtastic.wire.ServiceEnvelope;

/** Input that is not a usable uplink is rejected with a reason a person can act on. */
class RejectionTest {
  private final MeshtasticCodec codec = new MeshtasticCodec(ChannelKeys.defaults());

  private static MeshPacket text() {
    return Uplinks.plain(Uplinks.packet(1), Uplinks.data(PortNum.TEXT_MESSAGE_APP, ByteString.copyFromUtf8("hi")));
  }

  private Rejected rejected(String topic, byte[] payload) {
    final DecodeOutcome outcome = codec.decode(topic, payload, Instant.EPOCH);
    assertThat(outcome).isInstanceOf(Rejected.class);
    return (Rejected) outcome;
  }

  @Test
  void notAMeshTopic() {
    final Rejected r = rejected("home/sensors/kitchen", Uplinks.envelope(text(), "LongFast"));
    assertThat(r.kind()).isEqualTo(RejectKind.NOT_A_MESH_TOPIC);
    assertThat(r.reason()).contains("home/sensors/kitchen", "not a Meshtastic topic");
  }

  @Test
  void gatewayInTopicMustBeTheEnvelopesGateway() {
    final Rejected r = rejected("msh/US/2/e/LongFast/!00000001", Uplinks.envelope(text(), "LongFast"));
    assertThat(r.kind()).isEqualTo(RejectKind.GATEWAY_MISMATCH);
    assertThat(r.reason()).contains("!00000001", Uplinks.GATEWAY);
  }

  @Test
  void envelopeWithoutPacket() {
    final byte[] envelope = ServiceEnvelope.newBuilder().setChannelId("LongFast").setGatewayId(Uplinks.GATEWAY).build()
        .toByteArray();
    assertThat(rejected(Uplinks.topic("LongFast"), envelope).kind()).isEqualTo(RejectKind.MISSING_PACKET);
  }

  @Test
  void missingOrInvalidGatewayId() {
    final byte[] none = ServiceEnvelope.newBuilder().setPacket(text()).setChannelId("LongFast").build().toByteArray();
    assertThat(rejected("msh/US/2/map/", none).reason()).isEqualTo("the envelope has no gateway id");
    final byte[] bad = ServiceEnvelope.newBuilder().setPacket(text()).setChannelId("LongFast").setGatewayId("gw-1")
        .build().toByteArray();
    assertThat(rejected(null, bad).reason()).contains("'gw-1'", "!abcd1234");
  }

  @Test
  void oversizedPayloadWithAConfigurableLimit() {
    final Rejected big = rejected(Uplinks.topic("LongFast"), new byte[64 * 1024 + 1]);
    assertThat(big.kind()).isEqualTo(RejectKind.OVERSIZED);
    assertThat(big.reason()).contains("65537 bytes", "65536");
    final DecodeOutcome small = new MeshtasticCodec(ChannelKeys.defaults(), 16)
        .decode(Uplinks.topic("LongFast"), Uplinks.envelope(text(), "LongFast"), null);
    assertThat(small).isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.kind()).isEqualTo(RejectKind.OVERSIZED));
  }

  @Test
  void packetsFirmwareCouldNotHaveSent() {
    final byte[] noPayload = Uplinks.envelope(Uplinks.packet(1).build(), "LongFast");
    assertThat(rejected(Uplinks.topic("LongFast"), noPayload).reason()).contains("neither a decoded nor an encrypted");
    final byte[] hops = Uplinks.envelope(text().toBuilder().setHopLimit(9).build(), "LongFast");
    assertThat(rejected(Uplinks.topic("LongFast"), hops).reason()).contains("out of range 0-7");
  }

  @Test
  void jsonOnAProtobufTopicSaysSo() {
    final Rejected r = rejected(Uplinks.topic("LongFast"), "{\"from\":1,\"id\":2}".getBytes(StandardCharsets.UTF_8));
    assertThat(r.reason()).contains("looks like JSON");
  }

  @Test
  void statusTopics() {
    assertThat(codec.decode("msh/US/2/stat/!da5857c0", "online".getBytes(StandardCharsets.UTF_8), null))
        .isEqualTo(new DecodeOutcome.Status("msh/US", "!da5857c0", true));
    assertThat(codec.decode("msh/US/2/stat/!da5857c0", "offline".getBytes(StandardCharsets.UTF_8), null))
        .isEqualTo(new DecodeOutcome.Status("msh/US", "!da5857c0", false));
    assertThat(rejected("msh/US/2/stat/!da5857c0", "maybe".getBytes(StandardCharsets.UTF_8)).kind())
        .isEqualTo(RejectKind.MALFORMED_PAYLOAD);
    assertThat(rejected("msh/US/2/stat/gateway", "online".getBytes(StandardCharsets.UTF_8)).reason())
        .contains("gateway id");
  }
}
