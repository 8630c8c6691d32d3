package org.meshflow.jobs.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshflow.jobs.testing.JobHarness.T0;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.jobs.testing.JobHarness;
import org.meshflow.records.GatewayDuplicates;
import org.meshflow.records.HeardBy;
import org.meshflow.records.PacketHeardBy;

class InsightTopologyTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private JobHarness job;

  @AfterEach
  void stop() {
    job.close();
  }

  private static HeardBy gateway(String id, int copies, Instant at) {
    return HeardBy.newBuilder().setGatewayId(id).setRxRssi(-90).setRxSnr(1).setHopLimit(2).setCopies(copies)
        .setReceivedAt(at).build();
  }

  private static void send(TestInputTopic<String, PacketHeardBy> topic, String key, Instant at, HeardBy... gateways) {
    final var packet = PacketHeardBy.newBuilder().setPacketKey(key).setFrom("!a1b2c3d4").setPacketId(1)
        .setFirstHeardAt(at).setLastHeardAt(at).setCopies(gateways.length).setHeardBy(List.of(gateways)).build();
    topic.pipeInput(key, packet, at);
  }

  @Test
  void firstCopiesAndDuplicatesPerGatewayForEveryClosedWindow(@TempDir Path dir) {
    final var config = InsightConfig.from(Map.of("insight.advance", "30m"));
    job = new JobHarness(dir, registry -> InsightTopology.build(config, registry, meters));
    final var heardBy = job.input("mesh.heard-by.v1", PacketHeardBy.class);
    final var duplicates = job.output("mesh.gateway-duplicates.v1", GatewayDuplicates.class);

    final Instant a = T0.plus(Duration.ofMinutes(40));
    final Instant b = T0.plus(Duration.ofMinutes(50));
    send(heardBy, "!a1b2c3d4/1", a, gateway("!00000001", 2, a), gateway("!00000002", 1, a));
    send(heardBy, "!a1b2c3d4/2", b, gateway("!00000002", 1, b), gateway("!00000001", 1, b));
    assertThat(duplicates.isEmpty()).as("windows still open").isTrue();

    send(heardBy, "!a1b2c3d4/3", T0.plus(Duration.ofHours(3)), gateway("!00000003", 1, T0.plus(Duration.ofHours(3))));
    final var closed = duplicates.readValuesToList();
    final var hour = closed.stream().filter(w -> w.getWindowStart().equals(T0)).toList();
    assertThat(hour).extracting(w -> w.getGatewayId() + " " + w.getFirstCopies() + "/" + w.getDuplicates())
        .containsExactlyInAnyOrder("!00000001 1/2", "!00000002 1/1");
    assertThat(hour).allSatisfy(w -> assertThat(w.getWindowEnd()).isEqualTo(T0.plus(Duration.ofHours(1))));
    assertThat(closed).extracting(GatewayDuplicates::getWindowStart)
        .containsOnly(T0, T0.plus(Duration.ofMinutes(30)));

    assertThat(meters.get("meshflow.gateway.duplicate.ratio").tag("gateway", "!00000001").gauge().value())
        .isEqualTo(2.0 / 3);
  }

  @Test
  void theWindowsAreForgottenOnceClosedPastTheirRetention(@TempDir Path dir) {
    final var config = InsightConfig.from(Map.of());
    // no record cache: its clean entries outlive the store's retention in what all() returns (nowhere else)
    job = new JobHarness(dir, registry -> InsightTopology.build(config, registry, meters),
        Map.of(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L));
    final var heardBy = job.input("mesh.heard-by.v1", PacketHeardBy.class);
    // six hours of one gateway's uploads, one a minute
    for (int minute = 0; minute < 360; minute++) {
      final Instant at = T0.plus(Duration.ofMinutes(minute));
      send(heardBy, "!a1b2c3d4/" + minute, at, gateway("!00000001", 1, at));
    }

    // a window store keeps its retention (window + grace) and up to one segment (half of it) more;
    // each window start (one every advance) is one entry, and an upload opens the windows it falls in
    final long retained = config.window().plus(config.grace()).toMinutes() * 3 / 2 + config.window().toMinutes();
    assertThat(JobHarness.count(job.driver().getWindowStore("gateway-upload-counts").all())).isPositive().isLessThanOrEqualTo(retained / config.advance().toMinutes() + 1);
  }
}
