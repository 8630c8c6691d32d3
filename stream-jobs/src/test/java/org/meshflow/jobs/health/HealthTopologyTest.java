package org.meshflow.jobs.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.meshflow.jobs.testing.JobHarness.T0;
import static org.meshflow.jobs.testing.RouterEvents.connected;
import static org.meshflow.jobs.testing.RouterEvents.disconnected;
import static org.meshflow.jobs.testing.RouterEvents.uplink;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.jobs.testing.JobHarness;
import org.meshflow.records.Alert;
import org.meshflow.records.ClientSession;
import org.meshflow.records.DisconnectReason;
import org.meshflow.records.LegacyStatus;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.Rejected;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterState;
import org.meshflow.records.RouterStatus;

class HealthTopologyTest {
  private static final String ROUTER = "!0a0b0c0d";
  private static final DisconnectReason LOST = DisconnectReason.CONNECTION_LOST;
  private JobHarness job;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private TestInputTopic<String, ClientSession> sessions;
  private TestInputTopic<String, MqttUplink> uplinks;
  private TestInputTopic<String, LegacyStatus> legacy;
  private TestOutputTopic<String, RouterStatus> status;
  private TestOutputTopic<String, RouterOutage> outages;
  private TestOutputTopic<String, Alert> alerts;
  private TestOutputTopic<String, Rejected> dlq;

  @BeforeEach
  void start(@TempDir Path dir) {
    job = new JobHarness(dir, registry -> HealthTopology.build(HealthConfig.defaults(), registry, meters));
    sessions = job.input("mesh.sessions.v1", ClientSession.class);
    uplinks = job.input("mesh.uplink.v1", MqttUplink.class);
    legacy = job.input("mesh.legacy-status.v1", LegacyStatus.class);
    status = job.output("mesh.router-status.v1", RouterStatus.class);
    outages = job.output("mesh.router-outages.v1", RouterOutage.class);
    alerts = job.output("mesh.alerts.v1", Alert.class);
    dlq = job.output("mesh.dlq.v1", Rejected.class);
  }

  @AfterEach
  void stop() {
    job.close();
  }

  private void send(ClientSession event) {
    sessions.pipeInput(event.getClientId(), event, event.getAt());
  }

  private void send(MqttUplink event) {
    uplinks.pipeInput(event.getClientId(), event, event.getReceivedAt());
  }

  /** Wall-clock time passes in check-sized steps, with no input. */
  private void idle(Duration duration) {
    for (Duration passed = Duration.ZERO; passed.compareTo(duration) < 0; passed = passed.plusSeconds(5)) {
      job.advance(Duration.ofSeconds(5));
    }
  }

  @Test
  void routerStateOutagesAndAlertsAreMetrics() {
    send(connected(ROUTER, "c1", T0.minus(Duration.ofMinutes(10))));
    send(disconnected(ROUTER, "c1", LOST, T0.minusSeconds(60)));
    idle(Duration.ofMinutes(3));
    assertThat(stateGauge("OFFLINE")).isEqualTo(1);
    assertThat(stateGauge("ONLINE")).isZero();
    assertThat(meters.get("meshflow.alerts").tag("type", "ROUTER_OFFLINE").counter().count()).isEqualTo(1);

    send(connected(ROUTER, "c2", T0.plus(Duration.ofMinutes(3))));
    assertThat(stateGauge("ONLINE")).isEqualTo(1);
    assertThat(stateGauge("OFFLINE")).isZero();
    assertThat(meters.get("meshflow.router.outages").tag("router", ROUTER).counter().count()).isEqualTo(1);
    assertThat(meters.get("meshflow.alerts").tag("type", "ROUTER_RECOVERED").counter().count()).isEqualTo(1);
  }

  private double stateGauge(String state) {
    return meters.get("meshflow.router.state").tag("router", ROUTER).tag("state", state).gauge().value();
  }

  @Test
  void aShortBlipIsAnOutageButNotAnAlert() {
    send(connected(ROUTER, "c1", T0.minusSeconds(60)));
    send(disconnected(ROUTER, "c1", LOST, T0.minusSeconds(40)));
    send(connected(ROUTER, "c2", T0.minusSeconds(10)));
    idle(Duration.ofMinutes(5));

    assertThat(outages.readValuesToList()).singleElement().satisfies(o -> {
      assertThat(o.getOutageId()).isEqualTo(ROUTER + "/" + T0.minusSeconds(40).toEpochMilli());
      assertThat(o.getDurationSeconds()).isEqualTo(30);
      assertThat(o.getCause()).isEqualTo("CONNECTION_LOST");
      assertThat(o.getAlerted()).isFalse();
    });
    assertThat(alerts.isEmpty()).isTrue();
    assertThat(status.readValuesToList()).extracting(RouterStatus::getState)
        .containsExactly(RouterState.ONLINE, RouterState.OFFLINE, RouterState.ONLINE);
  }

  @Test
  void offlineAfterTheGraceAndRecoveredWithTheOutageDuration() {
    send(connected(ROUTER, "c1", T0.minus(Duration.ofMinutes(10))));
    final Instant lost = T0.minusSeconds(60);
    send(disconnected(ROUTER, "c1", DisconnectReason.KEEPALIVE_TIMEOUT, lost));
    idle(Duration.ofSeconds(30));
    assertThat(alerts.isEmpty()).as("grace not over").isTrue();

    idle(Duration.ofSeconds(40));
    assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
      assertThat(a.getType()).isEqualTo("ROUTER_OFFLINE");
      assertThat(a.getAt()).isEqualTo(lost);
      assertThat(a.getAlertId()).isEqualTo("ROUTER_OFFLINE/" + ROUTER + "/" + lost.toEpochMilli());
      assertThat(a.getDetails()).containsEntry("cause", "KEEPALIVE_TIMEOUT");
    });
    idle(Duration.ofMinutes(5));
    assertThat(alerts.isEmpty()).as("fired once").isTrue();

    send(connected(ROUTER, "c2", lost.plus(Duration.ofMinutes(7))));
    assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
      assertThat(a.getType()).isEqualTo("ROUTER_RECOVERED");
      assertThat(a.getOutageSeconds()).isEqualTo(420);
    });
    assertThat(outages.readValuesToList()).singleElement().satisfies(o -> {
      assertThat(o.getAlerted()).isTrue();
      assertThat(o.getDurationSeconds()).isEqualTo(420);
    });
  }

  @Test
  void aTakeoverIsNotAnOutageWhicheverOrderTheEventsArriveIn() {
    send(connected(ROUTER, "c1", T0.minus(Duration.ofMinutes(10))));
    send(connected(ROUTER, "c2", T0.minus(Duration.ofMinutes(5))));
    send(disconnected(ROUTER, "c1", DisconnectReason.TAKEN_OVER, T0.minus(Duration.ofMinutes(5)).plusMillis(3)));
    send(disconnected(ROUTER, "c1", LOST, T0.minus(Duration.ofMinutes(4))));
    send(uplink(ROUTER, T0.minus(Duration.ofMinutes(3))));
    idle(Duration.ofMinutes(5));

    assertThat(outages.isEmpty()).isTrue();
    assertThat(alerts.isEmpty()).isTrue();
    assertThat(status.readValuesToList()).extracting(RouterStatus::getState).containsOnly(RouterState.ONLINE);
  }

  @Test
  void repeatedAndStaleEventsChangeNothing() {
    final var connect = connected(ROUTER, "c1", T0.minus(Duration.ofMinutes(10)));
    send(connect);
    send(connect);
    final var lose = disconnected(ROUTER, "c1", LOST, T0.minus(Duration.ofMinutes(9)));
    send(lose);
    send(lose);
    send(connected(ROUTER, "c0", T0.minus(Duration.ofMinutes(20))));
    send(connected(ROUTER, "c2", T0.minus(Duration.ofMinutes(8))));
    send(disconnected(ROUTER, "c1", LOST, T0.minus(Duration.ofMinutes(9))));

    assertThat(outages.readValuesToList()).singleElement()
        .satisfies(o -> assertThat(o.getDurationSeconds()).isEqualTo(60));
    assertThat(alerts.isEmpty()).isTrue();
  }

  @Test
  void aConnectedRouterThatUplinksNothingIsSilentUntilItUplinksAgain() {
    send(connected(ROUTER, "c1", T0.minus(Duration.ofMinutes(2))));
    final Instant last = T0.minus(Duration.ofMinutes(1));
    send(uplink(ROUTER, last));
    idle(Duration.ofMinutes(28));
    assertThat(alerts.isEmpty()).isTrue();

    idle(Duration.ofMinutes(2));
    assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
      assertThat(a.getType()).isEqualTo("ROUTER_SILENT");
      assertThat(a.getAt()).isEqualTo(last.plus(Duration.ofMinutes(30)));
    });
    assertThat(status.readValuesToList()).last().satisfies(s -> {
      assertThat(s.getState()).isEqualTo(RouterState.SILENT);
      assertThat(s.getConnected()).isTrue();
    });
    idle(Duration.ofMinutes(10));
    assertThat(alerts.isEmpty()).as("fired once").isTrue();

    send(uplink(ROUTER, job.wallClock()));
    assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
      assertThat(a.getType()).isEqualTo("ROUTER_RECOVERED");
      assertThat(a.getOutageSeconds()).isEqualTo(Duration.between(last, job.wallClock()).toSeconds());
    });
    assertThat(outages.readValuesToList()).singleElement().satisfies(o -> {
      assertThat(o.getCause()).isEqualTo("SILENT");
      assertThat(o.getAlerted()).isTrue();
    });
    assertThat(status.readValuesToList()).last().satisfies(s -> assertThat(s.getState()).isEqualTo(RouterState.ONLINE));
  }

  @Test
  void fiveOutagesWithinAnHourAreFlappingOnce() {
    Instant at = T0.minus(Duration.ofMinutes(59));
    send(connected(ROUTER, "c0", at));
    for (int i = 1; i <= 7; i++) {
      at = at.plus(Duration.ofMinutes(5));
      send(disconnected(ROUTER, "c" + (i - 1), LOST, at));
      send(connected(ROUTER, "c" + i, at.plusSeconds(20)));
    }

    assertThat(outages.readValuesToList()).hasSize(7);
    assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
      assertThat(a.getType()).isEqualTo("ROUTER_FLAPPING");
      assertThat(a.getAt()).isEqualTo(T0.minus(Duration.ofMinutes(59)).plus(Duration.ofMinutes(25)));
      assertThat(a.getDetails()).containsEntry("count", "5");
    });
  }

  @Test
  void aBacklogReplayedAfterDowntimeInventsNoAlertsWhileCatchingUp() {
    // the job was down for hours; the events are read now, with the wall clock far ahead of them
    Instant at = T0.minus(Duration.ofHours(3));
    send(connected(ROUTER, "c1", at));
    for (int i = 0; i < 24; i++) {
      at = at.plus(Duration.ofMinutes(5));
      if (i == 3) {
        send(disconnected(ROUTER, "c1", LOST, at));
        job.advance(Duration.ofSeconds(5));
        send(connected(ROUTER, "c2", at.plusSeconds(30)));
      }
      job.advance(Duration.ofSeconds(5));
      send(uplink(ROUTER, at.plusSeconds(40)));
    }
    assertThat(alerts.isEmpty()).isTrue();
    assertThat(outages.readValuesToList()).singleElement().satisfies(o -> {
      assertThat(o.getDurationSeconds()).isEqualTo(30);
      assertThat(o.getAlerted()).isFalse();
    });

    // once drained, the wall clock takes over: the router has been quiet since its last uplink
    idle(Duration.ofSeconds(15));
    assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
      assertThat(a.getType()).isEqualTo("ROUTER_SILENT");
      assertThat(a.getAt()).isEqualTo(T0.minus(Duration.ofHours(1)).plusSeconds(40).plus(Duration.ofMinutes(30)));
    });
  }

  @Test
  void legacyStatusCountsOnlyForRoutersWithoutSessionEvents() {
    final String oldFirmware = "!00c0ffee";
    legacy.pipeInput(oldFirmware, status(oldFirmware, true, T0.minus(Duration.ofMinutes(10))));
    legacy.pipeInput(oldFirmware, status(oldFirmware, false, T0.minus(Duration.ofMinutes(6))));
    legacy.pipeInput(oldFirmware, status(oldFirmware, true, T0.minus(Duration.ofMinutes(1))));
    send(connected(ROUTER, "c1", T0.minus(Duration.ofMinutes(10))));
    legacy.pipeInput(ROUTER, status(ROUTER, false, T0.minus(Duration.ofMinutes(5))));

    assertThat(outages.readValuesToList()).singleElement().satisfies(o -> {
      assertThat(o.getRouterId()).isEqualTo(oldFirmware);
      assertThat(o.getCause()).isEqualTo("STATUS_OFFLINE");
      assertThat(o.getDurationSeconds()).isEqualTo(300);
    });
    assertThat(alerts.readValuesToList()).extracting(Alert::getType).containsExactly("ROUTER_OFFLINE", "ROUTER_RECOVERED");
  }

  @Test
  void otherClientsAreIgnoredAndEventsFromTheFutureAreDeadLettered() {
    send(connected("phone-app-42", "c1", T0));
    send(disconnected("phone-app-42", "c1", LOST, T0.plusSeconds(1)));
    send(connected(ROUTER, "c1", T0.plus(Duration.ofHours(2))));

    assertThat(status.isEmpty()).isTrue();
    assertThat(dlq.readValuesToList()).singleElement().satisfies(r -> {
      assertThat(r.getStage()).isEqualTo("health");
      assertThat(r.getReason()).contains("ahead of the job's clock");
      assertThat(r.getClientId()).isEqualTo(ROUTER);
    });
  }

  private static LegacyStatus status(String gateway, boolean online, Instant at) {
    return LegacyStatus.newBuilder().setGatewayId(gateway).setOnline(online).setAt(at).setRoot("msh/US").build();
  }

  private void brokerStarted(Instant at) {
    final var start = ClientSession.newBuilder().setClientId("").setEvent(org.meshflow.records.SessionEvent.BROKER_STARTED)
        .setAt(at).build();
    sessions.pipeInput("", start, at);
  }

  @Test
  void meshflowsOwnBrokerRestartIsNotTheRoutersOutage() {
    send(connected(ROUTER, "c1", T0.minus(Duration.ofMinutes(10))));
    send(uplink(ROUTER, T0.minus(Duration.ofMinutes(2))));
    send(disconnected(ROUTER, "c1", DisconnectReason.SERVER_STOP, T0.minusSeconds(60)));
    idle(Duration.ofMinutes(10)); // the broker is down much longer than the grace: nothing is known
    assertThat(alerts.isEmpty()).isTrue();

    brokerStarted(job.wallClock());
    send(connected(ROUTER, "c2", job.wallClock().plusSeconds(5)));
    idle(Duration.ofMinutes(5));

    assertThat(outages.isEmpty()).isTrue();
    assertThat(alerts.isEmpty()).isTrue();
    final var statuses = status.readValuesToList();
    assertThat(statuses).extracting(RouterStatus::getState).containsOnly(RouterState.ONLINE);
    assertThat(statuses).extracting(RouterStatus::getConnected).endsWith(true, false, true);
    assertThat(statuses.get(statuses.size() - 2).getLastDisconnectReason()).isEqualTo("SERVER_STOP");
  }

  @Test
  void aRouterThatIsNotBackAfterTheBrokerRestartIsOfflineSinceItWasLastSeen() {
    send(connected(ROUTER, "c1", T0.minus(Duration.ofMinutes(10))));
    final Instant stop = T0.minusSeconds(60);
    send(disconnected(ROUTER, "c1", DisconnectReason.SERVER_STOP, stop));
    idle(Duration.ofMinutes(10));
    final Instant restarted = job.wallClock();
    brokerStarted(restarted);
    idle(Duration.ofSeconds(90));
    assertThat(alerts.isEmpty()).as("still within the grace after the broker's start").isTrue();

    idle(Duration.ofSeconds(60));
    assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
      assertThat(a.getType()).isEqualTo("ROUTER_OFFLINE");
      assertThat(a.getAt()).isEqualTo(stop);
      assertThat(a.getDetails()).containsEntry("cause", "NOT_BACK_AFTER_BROKER_RESTART");
    });
    final Instant back = job.wallClock();
    send(connected(ROUTER, "c2", back));
    assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
      assertThat(a.getType()).isEqualTo("ROUTER_RECOVERED");
      assertThat(a.getOutageSeconds()).isEqualTo(Duration.between(stop, back).toSeconds());
    });
    assertThat(outages.readValuesToList()).singleElement()
        .satisfies(o -> assertThat(o.getStartedAt()).isEqualTo(stop));
  }

  @Test
  void aKilledBrokerLeavesNoSessionOpenAfterItsRestart() {
    send(connected(ROUTER, "c1", T0.minus(Duration.ofMinutes(10))));
    final Instant lastUplink = T0.minus(Duration.ofMinutes(5));
    send(uplink(ROUTER, lastUplink));
    // no disconnect: the broker died; it announces its start instead
    brokerStarted(T0.minus(Duration.ofMinutes(1)));
    idle(Duration.ofMinutes(3));

    assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
      assertThat(a.getType()).isEqualTo("ROUTER_OFFLINE");
      assertThat(a.getAt()).isEqualTo(lastUplink);
    });
    assertThat(status.readValuesToList()).last().satisfies(st -> {
      assertThat(st.getState()).isEqualTo(RouterState.OFFLINE);
      assertThat(st.getConnected()).isFalse();
      assertThat(st.getLastDisconnectReason()).isEqualTo("BROKER_RESTART");
    });
  }
}
