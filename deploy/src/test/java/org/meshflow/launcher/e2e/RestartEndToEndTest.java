package org.meshflow.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.meshflow.launcher.e2e.HomeAssistant.alerts;
import static org.meshflow.launcher.e2e.HomeAssistant.states;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.launcher.e2e.HomeAssistant.Message;
import org.meshflow.launcher.simulate.GatewayConnection;
import org.meshflow.meshtastic.NodeId;
import org.meshflow.records.RouterOutage;

/**
 * Ctrl-C in the middle and start again: a router whose outage is open at shutdown recovers once, with
 * the whole outage; routers that were up are not offline because Meshflow was; a packet whose copies
 * straddle the restart is still one packet; no alert is replayed.
 */
class RestartEndToEndTest {
  private static final String UP = "!00001001";
  private static final String DOWN = "!00001002";
  private static final int NODE = 0x0000aaaa;

  @Test
  void aRestartInTheMiddleKeepsPacketsOutagesAndAlertsExact(@TempDir Path data) throws Exception {
    final String[] options = {"--offline-grace", "6s", "--silence-threshold", "1h"};
    final List<Message> seen = new CopyOnWriteArrayList<>();
    final String gatewayPassword;
    final String readerPassword;
    final Instant dropped;
    final var first = RunningMeshflow.start(data, options);
    final var linksAtShutdown = new java.util.ArrayList<AutoCloseable>();
    try {
      gatewayPassword = first.password("gateway");
      readerPassword = first.password("homeassistant");
      linksAtShutdown.add(HomeAssistant.connect(first.mqtt, "homeassistant", readerPassword, seen));
      final var up = gateway(first.mqtt, UP, gatewayPassword);
      linksAtShutdown.add(up);
      final var down = gateway(first.mqtt, DOWN, gatewayPassword);
      linksAtShutdown.add(down);
      for (int id = 1; id <= 5; id++) {
        uplink(up, id);
        uplink(down, id);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> up.acked() == 5 && down.acked() == 5);
      dropped = Instant.now();
      down.dropSocket();
      await().atMost(Duration.ofSeconds(60)).until(() -> alerts(seen, DOWN, "ROUTER_OFFLINE").size() == 1);
      // a packet in its dedup window when Meshflow stops: the other copy comes after the restart
      uplink(up, 6);
      await().atMost(Duration.ofSeconds(30)).until(() -> up.acked() == 6);
    } finally {
      first.close(); // with the gateway still connected, as a router is when its broker stops
      for (AutoCloseable link : linksAtShutdown) {
        link.close();
      }
    }

    try (var second = RunningMeshflow.start(data, options);
        var homeAssistant = HomeAssistant.connect(second.mqtt, "homeassistant", readerPassword, seen);
        var up = gateway(second.mqtt, UP, gatewayPassword);
        var down = gateway(second.mqtt, DOWN, gatewayPassword)) {
      final Instant back = Instant.now();
      uplink(down, 6);
      uplink(down, 7);
      uplink(up, 7);
      await().atMost(Duration.ofSeconds(30)).until(() -> up.acked() == 1 && down.acked() == 2);

      final Set<String> expected = IntStream.rangeClosed(1, 7).mapToObj(id -> NodeId.of(NODE) + "/" + id)
          .collect(Collectors.toSet());
      assertThat(PacketKeys.readUntil(second.bootstrapServers(), 7)).isEqualTo(expected);

      await().atMost(Duration.ofSeconds(60)).until(() -> alerts(seen, DOWN, "ROUTER_RECOVERED").size() == 1);
      final long outageSeconds = alerts(seen, DOWN, "ROUTER_RECOVERED").get(0).get("outageSeconds").asLong();
      assertThat(outageSeconds).as("the outage spans the restart")
          .isBetween(Duration.between(dropped, back).toSeconds() - 1, Duration.between(dropped, back).toSeconds() + 5);
      await().atMost(Duration.ofSeconds(30))
          .until(() -> states(seen, UP).contains("online") && states(seen, DOWN).contains("online"));

      final List<RouterOutage> outages = PacketKeys.all(second.bootstrapServers(),
          "http://127.0.0.1:" + second.registry, "mesh.router-outages.v1", RouterOutage.class);
      assertThat(outages).singleElement().satisfies(o -> {
        assertThat(o.getRouterId()).isEqualTo(DOWN);
        assertThat(o.getDurationSeconds()).isEqualTo(outageSeconds);
      });
      assertThat(alerts(seen, DOWN, null)).as("each alert once, none replayed after the restart")
          .extracting(a -> a.get("type").asText()).containsExactly("ROUTER_OFFLINE", "ROUTER_RECOVERED");
      assertThat(alerts(seen, UP, null)).as("Meshflow's own restart is not the router's outage").isEmpty();
      assertThat(states(seen, UP)).doesNotContain("offline");
    }
  }

  private static GatewayConnection gateway(int port, String id, String password) throws Exception {
    return GatewayConnection.open("127.0.0.1", port, null, id, "gateway", password, 15, 16, (packetId, latency) -> { });
  }

  /** A text message from {@link #NODE} with packet id {@code id}, as the gateway hears and uplinks it. */
  private static void uplink(GatewayConnection gateway, int id) throws InterruptedException {
    assertThat(gateway.publish(TextUplinks.topic(gateway.clientId()), TextUplinks.envelope(NODE, id, gateway.clientId()),
        1)).isPositive();
  }
}
