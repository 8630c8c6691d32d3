package org.meshflow.jobs.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.meshflow.records.Alert;
import org.meshflow.records.HeardBy;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.RouterOutage;
import org.meshflow.serde.AvroJson;

/** What one jobs instance sees when it asks another for part of the state. */
class StateClientTest {
  private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
  private static final StateQuestion ROUTER = StateQuestion.of(StateQuestion.Kind.ROUTER, "!0000a001", Map.of());

  @Test
  void recordsCrossBetweenInstancesUnchanged() throws Exception {
    final var heard = PacketHeardBy.newBuilder().setPacketKey("!0000b002/77").setFrom("!0000b002").setPacketId(77)
        .setPortnum("TEXT_MESSAGE_APP").setFirstHeardAt(T0).setLastHeardAt(T0.plusMillis(2345)).setCopies(2)
        .setHeardBy(List.of(HeardBy.newBuilder().setGatewayId("!0000a001").setRxRssi(-80).setRxSnr(6.5f).setHopLimit(3)
            .setHopsAway(0).setRelayNode(0).setCopies(1).setReceivedAt(T0).build())).build();
    final var alert = Alert.newBuilder().setAlertId("a-\"1\"\n").setType("ROUTER_OFFLINE").setSubject("!0000a001")
        .setSeverity("warning").setAt(T0).setMessage("line one\nline two, é").setOutageSeconds(null)
        .setDetails(Map.of("gateway", "!0000a001")).build();
    final var outage = RouterOutage.newBuilder().setRouterId("!0000a001").setOutageId("o-1").setStartedAt(T0)
        .setEndedAt(T0.plusSeconds(300)).setDurationSeconds(300).setCause("CONNECTION_LOST").setAlerted(true).build();

    assertThat(json(StateRecords.read(new String(StateRecords.write(List.of(heard, heard))), PacketHeardBy.class)))
        .isEqualTo(json(List.of(heard, heard)));
    assertThat(json(StateRecords.read(new String(StateRecords.write(List.of(alert))), Alert.class)))
        .isEqualTo(json(List.of(alert)));
    assertThat(json(StateRecords.read(new String(StateRecords.write(List.of(outage))), RouterOutage.class)))
        .isEqualTo(json(List.of(outage)));
    assertThat(StateRecords.read(new String(StateRecords.write(List.<SpecificRecord>of())), Alert.class)).isEmpty();
  }

  /** Avro's own equals cannot compare timestamps inside unions of generated classes; their JSON can. */
  private static List<String> json(List<? extends SpecificRecord> records) {
    return records.stream().map(r -> AvroJson.node(r, r.getSchema()).toString()).toList();
  }

  @Test
  void questionsSurviveTheTripThroughAUrl() {
    final var question = StateQuestion.of(StateQuestion.Kind.OUTAGES, "!0000a001", Map.of("from", "1", "to", "2")).at(3);
    final String[] url = question.pathAndQuery().split("\\?", 2);
    assertThat(StateQuestion.parse(url[0], url[1])).contains(question);
    final var packet = StateQuestion.of(StateQuestion.Kind.HEARD_BY, "!0000b002/77&x=1", Map.of());
    final String[] packetUrl = packet.pathAndQuery().split("\\?", 2);
    assertThat(StateQuestion.parse(packetUrl[0], packetUrl[1])).contains(packet);
    assertThat(StateQuestion.parse("no-such-question", null)).isEmpty();
  }

  @Test
  void anInstanceWhoseJobIsNotRunningSaysSo() throws Exception {
    final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(StateEndpoint.PATH, new StateEndpoint(job -> null, StateSecret.NONE));
    server.start();
    try {
      final var host = new HostInfo("127.0.0.1", server.getAddress().getPort());
      assertThatThrownBy(() -> new StateClient(Duration.ofSeconds(30), StateSecret.NONE).ask(host, ROUTER,
          org.meshflow.records.RouterHealthState.class))
          .isInstanceOf(StateUnavailableException.class)
          .hasMessage("the jobs instance at " + host.host() + ":" + host.port()
              + ": the health job is not running in this process");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void withASecretOnlyInstancesThatShowItGetAnAnswer() throws Exception {
    final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(StateEndpoint.PATH, new StateEndpoint(job -> null, StateSecret.of("s3cret-of-the-mesh")));
    server.start();
    try {
      final var host = new HostInfo("127.0.0.1", server.getAddress().getPort());
      final String refused = "the jobs instance at " + host.host() + ":" + host.port()
          + ": this instance answers only the instances of its application id: give every instance the same state secret";
      for (StateSecret wrong : List.of(StateSecret.NONE, StateSecret.of("s3cret-of-the-mes"),
          StateSecret.of("s3cret-of-the-mesh!"), StateSecret.of("S3CRET-OF-THE-MESH"))) {
        assertThatThrownBy(() -> new StateClient(Duration.ofSeconds(30), wrong).ask(host, ROUTER,
            org.meshflow.records.RouterHealthState.class))
            .isInstanceOf(StateUnavailableException.class).hasMessage(refused);
      }
      // past the secret, the instance answers the question (here: that it does not run the job)
      assertThatThrownBy(() -> new StateClient(Duration.ofSeconds(30), StateSecret.of("s3cret-of-the-mesh")).ask(host,
          ROUTER, org.meshflow.records.RouterHealthState.class))
          .isInstanceOf(StateUnavailableException.class)
          .hasMessageEndingWith(": the health job is not running in this process");
      final var plain = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + host.port() + StateEndpoint.PATH + ROUTER.pathAndQuery())).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(plain.statusCode()).isEqualTo(401);
      assertThat(plain.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"meshflow-state\"");
      assertThat(StateSecret.of("s3cret-of-the-mesh").toString()).doesNotContain("s3cret");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anUnreachableInstanceIsAClearError() throws Exception {
    final int port;
    try (var closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    assertThatThrownBy(() -> new StateClient(Duration.ofSeconds(30), StateSecret.NONE).ask(new HostInfo("127.0.0.1", port), ROUTER,
        org.meshflow.records.RouterHealthState.class))
        .isInstanceOf(StateUnavailableException.class)
        .hasMessageStartingWith("the jobs instance at 127.0.0.1:" + port + " holding part of the state cannot be reached");
  }

  @Test
  void anInstanceThatDoesNotAnswerInTimeIsAClearError() throws Exception {
    final var accepted = new java.util.concurrent.CopyOnWriteArrayList<Socket>();
    try (var silent = new ServerSocket(0)) {
      final var acceptor = new Thread(() -> {
        try {
          accepted.add(silent.accept()); // reads nothing, answers nothing
        } catch (IOException e) {
          // closed at the end of the test
        }
      });
      acceptor.start();
      assertThatThrownBy(() -> new StateClient(Duration.ofMillis(500), StateSecret.NONE).ask(
          new HostInfo("127.0.0.1", silent.getLocalPort()), ROUTER, org.meshflow.records.RouterHealthState.class))
          .isInstanceOf(StateUnavailableException.class)
          .hasMessage("the jobs instance at 127.0.0.1:" + silent.getLocalPort()
              + " holding part of the state did not answer within 500 ms");
    } finally {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }
}
