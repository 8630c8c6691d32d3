package org.meshflow.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshflow.launcher.embedded.SelfSignedKeyStore;
import org.meshflow.launcher.embedded.FreePorts;

class RunCommandTest {
  private static final Pattern READY = Pattern.compile("meshflow ready mqtt=(\\d+) kafka=(\\d+) registry=(\\d+) http=(\\d+)");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void startsPrintsTheReadyLineServesHealthAndRestartsOnItsData(@TempDir Path data) throws Exception {
    for (int round = 0; round < 2; round++) {
      final var out = new ByteArrayOutputStream();
      final var run = new RunCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
      try {
        assertThat(run.run(new String[] {"--data", data.toString(), "--mqtt-port", "0", "--kafka-port", "0",
            "--registry-port", "0", "--http-port", "0"}, false)).isZero();
        final var ready = READY.matcher(out.toString(StandardCharsets.UTF_8));
        assertThat(ready.find()).as("ready line in %s", out).isTrue();
        final Map<String, Integer> ports = new HashMap<>();
        ports.put("http", Integer.parseInt(ready.group(4)));
        ports.put("registry", Integer.parseInt(ready.group(3)));

        final var health = get("http://127.0.0.1:" + ports.get("http") + "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(get("http://127.0.0.1:" + ports.get("http") + "/metrics").statusCode()).isEqualTo(200);
        assertThat(get("http://127.0.0.1:" + ports.get("http") + "/").body()).contains("Routers");
        assertThat(get("http://127.0.0.1:" + ports.get("registry") + "/subjects").statusCode()).isEqualTo(200);
      } finally {
        run.stop();
      }
    }
  }

  /**
   * Gateways on the network: --bind opens MQTT (plain and TLS) at that address only (and HTTP, unless
   * --http-bind puts it elsewhere), while Kafka and the registry stay on 127.0.0.1; the MCP server inside finds
   * the broker there. 127.0.0.2 is a loopback
   * address of its own, so the test listens on no real network.
   */
  @Test
  void bindOpensMqttAndHttpAtThatAddressAndKafkaStaysOnLoopback(@TempDir Path dir) throws Exception {
    final var certificates = SelfSignedKeyStore.create(dir, "run-tls");
    final var out = new ByteArrayOutputStream();
    final var progress = new ByteArrayOutputStream();
    final var run = new RunCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(progress, true, StandardCharsets.UTF_8));
    try {
      assertThat(run.run(new String[] {"--data", dir.resolve("data").toString(), "--bind", "127.0.0.2",
          "--http-bind", "127.0.0.3",
          "--mqtt-port", "0", "--kafka-port", "0", "--registry-port", "0", "--http-port", "0", "--allow-anonymous",
          "--mqtt-tls-port", "0", "--mqtt-tls-keystore", certificates.keyStore().toString(),
          "--mqtt-tls-keystore-password", certificates.password()}, false)).isZero();
      final var ready = Pattern.compile(READY.pattern() + " mqtts=(\\d+)").matcher(out.toString(StandardCharsets.UTF_8));
      assertThat(ready.find()).as("ready line in %s", out).isTrue();
      final int mqtt = Integer.parseInt(ready.group(1));
      final int kafka = Integer.parseInt(ready.group(2));
      final int http = Integer.parseInt(ready.group(4));
      final int mqtts = Integer.parseInt(ready.group(5));
      assertThat(progress.toString(StandardCharsets.UTF_8)).contains("MCP server meshflow/mesh online on the broker");

      assertThat(get("http://127.0.0.3:" + http + "/health").statusCode()).isEqualTo(200);
      assertThat(reachable("127.0.0.2", http)).as("HTTP on 127.0.0.2 (--http-bind moved it)").isFalse();
      assertThat(reachable("127.0.0.1", http)).as("HTTP on 127.0.0.1").isFalse();
      assertThat(reachable("127.0.0.2", mqtt)).as("MQTT on 127.0.0.2").isTrue();
      assertThat(reachable("127.0.0.1", mqtt)).as("MQTT on 127.0.0.1").isFalse();
      assertThat(reachable("127.0.0.1", kafka)).as("Kafka on 127.0.0.1").isTrue();
      assertThat(reachable("127.0.0.2", kafka)).as("Kafka on 127.0.0.2").isFalse();

      final var trusted = certificates.trust();
      final var client = MqttClient.builder().useMqttVersion5().identifier("!0000abcd").serverHost("127.0.0.2")
          .serverPort(mqtts).sslConfig().trustManagerFactory(trusted).hostnameVerifier((host, session) -> true)
          .applySslConfig().buildBlocking();
      assertThat(client.connect().getReasonCode().isError()).isFalse();
      client.disconnect();
    } finally {
      run.stop();
    }
  }

  private static boolean reachable(String host, int port) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void aBindAddressThisMachineDoesNotHaveIsSaidSo(@TempDir Path data) {
    // TEST-NET-3 (RFC 5737): never an address of a machine here
    assertThatThrownBy(() -> new RunCommand(System.out, System.err).run(new String[] {"--data", data.toString(),
        "--bind", "203.0.113.7"}, false))
        .hasMessage("--bind 203.0.113.7 is not an address of this machine (0.0.0.0 listens on all of them)");
    assertThatThrownBy(() -> new RunCommand(System.out, System.err).run(new String[] {"--data", data.toString(),
        "--bind", "no-such-host.invalid"}, false))
        .hasMessage("--bind no-such-host.invalid is not an address or a host name this machine resolves");
  }

  @Test
  void aPortInUseIsOneLineNamingTheFlag(@TempDir Path data) throws Exception {
    try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      final var run = new RunCommand(System.out, System.err);
      assertThatThrownBy(() -> run.run(new String[] {"--data", data.toString(), "--mqtt-port",
          String.valueOf(taken.getLocalPort()), "--http-port", String.valueOf(FreePorts.pick())}, false))
          .hasMessage("port " + taken.getLocalPort() + " is already in use; choose another with --mqtt-port PORT (0 picks a free one)");
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
