package org.meshflow.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST client over HTTPS to a peer whose self-signed certificate only a configured trust store trusts. */
class RestSchemaRegistryTlsTest {
  private static final String PASSWORD = "changeit";
  private static final String SCHEMA_ANSWER = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Ping\\\",\\\"fields\\\":[]}\"}";

  @TempDir
  static Path dir;
  private static HttpsServer peer;
  private static String url;

  @BeforeAll
  static void startPeer() throws Exception {
    final Path serverStore = dir.resolve("server.p12");
    keytool("-genkeypair", "-alias", "peer", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
        "-validity", "2", "-keystore", serverStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    keytool("-exportcert", "-alias", "peer", "-keystore", serverStore.toString(), "-storepass", PASSWORD,
        "-file", dir.resolve("peer.crt").toString());
    keytool("-importcert", "-noprompt", "-alias", "peer", "-file", dir.resolve("peer.crt").toString(),
        "-keystore", dir.resolve("trust.p12").toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);

    final var keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(serverStore)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    final var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD.toCharArray());
    final var context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), null, null);
    peer = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    peer.setHttpsConfigurator(new HttpsConfigurator(context));
    peer.createContext("/schemas/ids/1", exchange -> {
      try (exchange) {
        final byte[] body = SCHEMA_ANSWER.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    peer.start();
    url = "https://127.0.0.1:" + peer.getAddress().getPort();
  }

  @AfterAll
  static void stopPeer() {
    peer.stop(0);
  }

  @Test
  void trustsThePeerThroughTheConfiguredTrustStore() {
    final var client = SchemaRegistries.fromConfig(Map.of("schema.registry.url", url,
        "schema.registry.ssl.truststore.location", dir.resolve("trust.p12").toString(),
        "schema.registry.ssl.truststore.password", PASSWORD,
        "schema.registry.ssl.truststore.type", "PKCS12"));
    assertThat(client.schemaById(1).getName()).isEqualTo("Ping");
  }

  @Test
  void refusesAnUntrustedCertificateWithTheJdkDefaults() {
    final var client = SchemaRegistries.fromConfig(Map.of("schema.registry.url", url));
    assertThatThrownBy(() -> client.schemaById(1)).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
      assertThat(e.httpStatus()).isZero();
      assertThat(e.getMessage()).startsWith("schema registry unreachable (" + url + ": SSLHandshakeException");
    });
  }

  private static void keytool(String... args) throws Exception {
    final var command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    final var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
  }
}
