package org.meshflow.jobs.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.meshflow.jobs.testing.JobHarness.T0;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.jobs.common.InvalidSettingsException;
import org.meshflow.jobs.testing.JobHarness;
import org.meshflow.records.LegacyStatus;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Reception;
import org.meshflow.records.Rejected;
import org.meshflow.testing.MeshVectors;

class DecodeTopologyTest {
  private JobHarness job;
  private TestInputTopic<String, MqttUplink> uplinks;
  private TestOutputTopic<String, Reception> receptions;
  private TestOutputTopic<String, LegacyStatus> legacy;
  private TestOutputTopic<String, Rejected> dlq;

  @BeforeEach
  void start(@TempDir Path dir) {
    final var vectors = MeshVectors.fixtures();
    final var keys = new java.util.LinkedHashMap<String, String>();
    vectors.forEach(v -> v.keys().forEach((channel, key) -> keys.put("decode.key." + channel, key)));
    job = new JobHarness(dir, registry -> DecodeTopology.build(DecodeConfig.from(keys), registry, new SimpleMeterRegistry()));
    uplinks = job.input("mesh.uplink.v1", MqttUplink.class);
    receptions = job.output("mesh.receptions.v1", Reception.class);
    legacy = job.output("mesh.legacy-status.v1", LegacyStatus.class);
    dlq = job.output("mesh.dlq.v1", Rejected.class);
  }

  @AfterEach
  void stop() {
    job.close();
  }

  private void send(String client, String topic, byte[] payload, Instant at) {
    uplinks.pipeInput(client, MqttUplink.newBuilder().setTopic(topic).setPayload(ByteBuffer.wrap(payload)).setQos(0)
        .setRetain(false).setClientId(client).setUserProperties(List.of()).setReceivedAt(at).build(), at);
  }

  @Test
  void theSharedVectorsBecomeReceptionsKeyedByPacketOrDeadLettersWithTheirBytes() {
    final var vectors = MeshVectors.fixtures();
    for (var vector : vectors) {
      send(vector.expect().path("gatewayId").asText("!00000000"), vector.topic(), vector.payload(), T0);
    }
    final var good = vectors.stream().filter(v -> !v.bad()).toList();
    final var bad = vectors.stream().filter(MeshVectors.Vector::bad).toList();

    final var decoded = receptions.readKeyValuesToList();
    assertThat(decoded).hasSize(good.size());
    for (int i = 0; i < good.size(); i++) {
      final var expect = good.get(i).expect();
      final Reception reception = decoded.get(i).value;
      assertThat(decoded.get(i).key).isEqualTo(reception.getPacketKey());
      assertThat(reception.getFrom()).isEqualTo(expect.path("from").asText());
      assertThat(reception.getPacketId()).isEqualTo(expect.path("packetId").asLong());
      assertThat(reception.getGatewayId()).isEqualTo(expect.path("gatewayId").asText());
      assertThat(reception.getReceivedAt()).isEqualTo(T0);
    }
    final var rejected = dlq.readValuesToList();
    assertThat(rejected).hasSize(bad.size());
    for (int i = 0; i < bad.size(); i++) {
      assertThat(rejected.get(i).getStage()).isEqualTo("decode");
      assertThat(rejected.get(i).getReason()).isNotBlank();
      assertThat(rejected.get(i).getMqttTopic()).isEqualTo(bad.get(i).topic());
      assertThat(rejected.get(i).getOriginalValue()).isEqualTo(ByteBuffer.wrap(bad.get(i).payload()));
    }
  }

  @Test
  void legacyStatusMessagesGoToTheHealthJob() {
    send("!abcd1234", "msh/US/2/stat/!abcd1234", "offline".getBytes(StandardCharsets.UTF_8), T0);

    assertThat(legacy.readKeyValuesToList()).singleElement().satisfies(kv -> {
      assertThat(kv.key).isEqualTo("!abcd1234");
      assertThat(kv.value.getOnline()).isFalse();
      assertThat(kv.value.getRoot()).isEqualTo("msh/US");
      assertThat(kv.value.getAt()).isEqualTo(T0);
    });
  }

  @Test
  void uplinksStampedFarInTheFutureOrPastAreDeadLettered() {
    final var vector = MeshVectors.fixtures().get(0);
    send("!8e96589b", vector.topic(), vector.payload(), T0.plus(Duration.ofHours(1)));
    send("!8e96589b", vector.topic(), vector.payload(), T0.minus(Duration.ofDays(30)));

    assertThat(receptions.isEmpty()).isTrue();
    assertThat(dlq.readValuesToList()).extracting(Rejected::getReason).satisfiesExactly(
        r -> assertThat(r).contains("ahead of the job's clock"), r -> assertThat(r).contains("max-age 7d"));
  }

  @Test
  void badSettingsAreAllReportedAtOnce() {
    assertThatThrownBy(() -> DecodeConfig.from(Map.of("decode.max-age", "soon", "decode.dlq-topic", "no spaces",
        "decode.key.Secret", "not base64!")))
        .isInstanceOf(InvalidSettingsException.class)
        .satisfies(e -> assertThat(((InvalidSettingsException) e).problems()).hasSize(3))
        .hasMessageContaining("decode.max-age").hasMessageContaining("dlq-topic").hasMessageContaining("Secret");
  }
}
