package org.meshflow.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
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
