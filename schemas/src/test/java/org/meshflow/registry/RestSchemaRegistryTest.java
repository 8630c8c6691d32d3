package org.meshflow.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST client against a small registry peer that demands basic auth and records what it was asked. */
class RestSchemaRegistryTest {
  private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Ping\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}";
  private static final String CREDENTIALS = "Basic " + Base64.getEncoder()
      .encodeToString("alice:s3cr:et".getBytes(StandardCharsets.UTF_8));

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private HttpServer peer;
  private String peerUrl;

  @BeforeEach
  void startPeer() throws IOException {
    peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    peer.createContext("/", this::answer);
    peer.start();
    peerUrl = "http://127.0.0.1:" + peer.getAddress().getPort();
  }

  @AfterEach
  void stopPeer() {
    peer.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      final String path = exchange.getRequestURI().getRawPath();
      requests.add(exchange.getRequestMethod() + " " + path);
      final String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (!CREDENTIALS.equals(auth)) {
        reply(exchange, 401, "{\"error_code\":40101,\"message\":\"Unauthorized\"}");
      } else if (path.endsWith("/schemas/ids/7")) {
        reply(exchange, 200, "{\"schema\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(SCHEMA) + "}");
      } else if (path.endsWith("/schemas/ids/8")) {
        reply(exchange, 200, "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}");
      } else if (path.endsWith("/subjects/pings-value")) {
        reply(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
      } else if (path.endsWith("/subjects/pings-value/versions")) {
        reply(exchange, 200, "{\"id\":7}");
      } else {
        reply(exchange, 502, "<html><body>Bad gateway</body></html>");
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Test
  void sendsBasicAuthFromConfigAndCachesSchemasById() {
    final var client = SchemaRegistries.fromConfig(Map.of("schema.registry.url", peerUrl,
        "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "alice:s3cr:et"));
    final Schema schema = client.schemaById(7);
    assertThat(schema.getName()).isEqualTo("Ping");
    assertThat(client.schemaById(7)).isSameAs(schema);
    assertThat(requests).containsExactly("GET /schemas/ids/7");
  }

  @Test
  void takesCredentialsFromTheUrlAndKeepsItsPathPrefix() {
    final var client = RestSchemaRegistry.builder(peerUrl.replace("http://", "http://alice:s3cr%3Aet@") + "/apis/ccompat/v7").build();
    assertThat(client.baseUrls()).extracting(Object::toString).containsExactly(peerUrl + "/apis/ccompat/v7");
    assertThat(client.register("pings-value", new Schema.Parser().parse(SCHEMA))).isEqualTo(7);
    assertThat(client.lookup("pings-value", new Schema.Parser().parse(SCHEMA))).hasValue(7);
    assertThat(requests).containsExactly("POST /apis/ccompat/v7/subjects/pings-value/versions");
  }

  @Test
  void wrongCredentialsAreARegistryErrorWithItsCode() {
    final var client = RestSchemaRegistry.builder(peerUrl).basicAuth("alice", "wrong").build();
    assertThatThrownBy(() -> client.schemaById(7)).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
      assertThat(e.httpStatus()).isEqualTo(401);
      assertThat(e.errorCode()).isEqualTo(40101);
    });
  }

  @Test
  void aLookupOfAnUnregisteredSchemaIsEmpty() {
    final var client = RestSchemaRegistry.builder(peerUrl).basicAuth("alice:s3cr:et").build();
    assertThat(client.lookup("pings-value", new Schema.Parser().parse(SCHEMA))).isEmpty();
  }

  @Test
  void failsOverToTheNextUrlWhenOneCannotBeReached() throws IOException {
    final int dead = freePort();
    final var client = RestSchemaRegistry.builder("http://127.0.0.1:" + dead + ", " + peerUrl)
        .basicAuth("alice:s3cr:et").connectTimeout(Duration.ofSeconds(2)).build();
    assertThat(client.schemaById(7).getName()).isEqualTo("Ping");
    assertThat(requests).containsExactly("GET /schemas/ids/7");
  }

  @Test
  void noReachableRegistryIsAClearErrorWithStatusZero() throws IOException {
    final int dead = freePort();
    final var client = RestSchemaRegistry.builder("http://127.0.0.1:" + dead).connectTimeout(Duration.ofSeconds(2)).build();
    assertThatThrownBy(() -> client.schemaById(1)).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
      assertThat(e.httpStatus()).isZero();
      assertThat(e.errorCode()).isEqualTo(50003);
      assertThat(e.getMessage()).isEqualTo("schema registry unreachable (http://127.0.0.1:" + dead + ": connection refused)");
    });
  }

  @Test
  void answersThatAreNotRegistryJsonBecomeOneLineErrors() {
    final var client = RestSchemaRegistry.builder(peerUrl).basicAuth("alice:s3cr:et").build();
    assertThatThrownBy(client::subjects).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
      assertThat(e.httpStatus()).isEqualTo(502);
      assertThat(e.getMessage()).isEqualTo("GET " + peerUrl + "/subjects answered HTTP 502: <html><body>Bad gateway</body></html>");
    });
    assertThatThrownBy(() -> client.schemaById(8)).isInstanceOfSatisfying(SchemaRegistryException.class,
        e -> assertThat(e.getMessage()).contains("PROTOBUF").contains("Avro only"));
  }

  @Test
  void rejectsSettingsThatCannotWork() {
    assertThatThrownBy(() -> SchemaRegistries.fromConfig(Map.of())).hasMessage("schema.registry.url is not set");
    assertThatThrownBy(() -> SchemaRegistries.fromConfig(Map.of("schema.registry.url", "localhost:8081")))
        .hasMessageContaining("must be http://host[:port][/path]");
    assertThatThrownBy(() -> SchemaRegistries.fromConfig(Map.of("schema.registry.url", peerUrl,
        "schema.registry.ssl.truststore.location", "/nonexistent/truststore.p12")))
        .hasMessageContaining("cannot load the schema registry trust store /nonexistent/truststore.p12");
    assertThatThrownBy(() -> SchemaRegistries.fromConfig(Map.of("schema.registry.url", peerUrl,
        "http.read.timeout.ms", "soon"))).hasMessageContaining("http.read.timeout.ms must be a positive number");
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
