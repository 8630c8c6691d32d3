package org.meshflow.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST endpoints as an outside tool sees them, and our REST client against them. */
class RegistryHttpServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V1 = """
      {"type":"record","name":"Station","namespace":"org.example","fields":[{"name":"id","type":"string"}]}""";
  private static final String V2_WITH_DEFAULT = """
      {"type":"record","name":"Station","namespace":"org.example","fields":[{"name":"id","type":"string"},
       {"name":"name","type":"string","default":""}]}""";
  private static final String V2_NO_DEFAULT = """
      {"type":"record","name":"Station","namespace":"org.example","fields":[{"name":"id","type":"string"},
       {"name":"elevation","type":"int"}]}""";

  private final HttpClient http = HttpClient.newHttpClient();
  private RegistryHttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = RegistryHttpServer.start(new InMemorySchemaRegistry());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void registersLooksUpAndServesSchemasLikeConfluent() throws Exception {
    final var registered = call("POST", "/subjects/stations-value/versions", schemaBody(V1));
    assertThat(registered.statusCode()).isEqualTo(200);
    assertThat(registered.headers().firstValue("Content-Type")).hasValue("application/vnd.schemaregistry.v1+json");
    final int id = json(registered).path("id").asInt();
    assertThat(id).isPositive();

    assertThat(json(call("POST", "/subjects/stations-value/versions", schemaBody(V1))).path("id").asInt()).isEqualTo(id);
    assertThat(json(call("GET", "/subjects", null))).hasToString("[\"stations-value\"]");
    assertThat(json(call("GET", "/subjects/stations-value/versions", null))).hasToString("[1]");
    final JsonNode latest = json(call("GET", "/subjects/stations-value/versions/latest", null));
    assertThat(latest.path("subject").asText()).isEqualTo("stations-value");
    assertThat(latest.path("version").asInt()).isEqualTo(1);
    assertThat(latest.path("id").asInt()).isEqualTo(id);
    assertThat(new Schema.Parser().parse(latest.path("schema").asText())).isEqualTo(new Schema.Parser().parse(V1));
    assertThat(new Schema.Parser().parse(call("GET", "/subjects/stations-value/versions/1/schema", null).body()))
        .isEqualTo(new Schema.Parser().parse(V1));
    assertThat(new Schema.Parser().parse(json(call("GET", "/schemas/ids/" + id, null)).path("schema").asText()))
        .isEqualTo(new Schema.Parser().parse(V1));
    assertThat(new Schema.Parser().parse(call("GET", "/schemas/ids/" + id + "/schema", null).body()))
        .isEqualTo(new Schema.Parser().parse(V1));
    final JsonNode found = json(call("POST", "/subjects/stations-value", schemaBody(V1)));
    assertThat(found.path("id").asInt()).isEqualTo(id);
    assertThat(found.path("version").asInt()).isEqualTo(1);

    // the same schema under another subject keeps its id
    assertThat(json(call("POST", "/subjects/other-value/versions", schemaBody(V1))).path("id").asInt()).isEqualTo(id);
  }

  @Test
  void refusesAnIncompatibleSchemaWith409AndAcceptsACompatibleOne() throws Exception {
    call("POST", "/subjects/stations-value/versions", schemaBody(V1));

    final var compatibility = json(call("POST", "/compatibility/subjects/stations-value/versions/latest?verbose=true",
        schemaBody(V2_NO_DEFAULT)));
    assertThat(compatibility.path("is_compatible").asBoolean()).isFalse();
    assertThat(compatibility.path("messages").get(0).asText()).contains("elevation");

    final var refused = call("POST", "/subjects/stations-value/versions", schemaBody(V2_NO_DEFAULT));
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(json(refused).path("error_code").asInt()).isEqualTo(409);
    assertThat(json(refused).path("message").asText()).contains("incompatible").contains("stations-value");

    assertThat(json(call("POST", "/compatibility/subjects/stations-value/versions/1", schemaBody(V2_WITH_DEFAULT)))
        .path("is_compatible").asBoolean()).isTrue();
    final var accepted = call("POST", "/subjects/stations-value/versions", schemaBody(V2_WITH_DEFAULT));
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(json(call("GET", "/subjects/stations-value/versions", null))).hasToString("[1,2]");

    assertThat(json(call("PUT", "/config/stations-value", "{\"compatibility\":\"NONE\"}")).path("compatibility").asText())
        .isEqualTo("NONE");
    assertThat(json(call("GET", "/config/stations-value", null)).path("compatibilityLevel").asText()).isEqualTo("NONE");
    assertThat(json(call("GET", "/config", null)).path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    assertThat(call("POST", "/subjects/stations-value/versions", schemaBody(V2_NO_DEFAULT)).statusCode()).isEqualTo(200);
  }

  @Test
  void answersBadRequestsWithConfluentErrorBodies() throws Exception {
    assertError(call("GET", "/subjects/nobody/versions", null), 404, 40401);
    assertError(call("GET", "/subjects/nobody/versions/latest", null), 404, 40401);
    assertError(call("POST", "/subjects/nobody", schemaBody(V1)), 404, 40401);
    assertError(call("GET", "/schemas/ids/999", null), 404, 40403);
    call("POST", "/subjects/s/versions", schemaBody(V1));
    assertError(call("GET", "/subjects/s/versions/7", null), 404, 40402);
    assertError(call("GET", "/subjects/s/versions/seven", null), 422, 42202);
    assertError(call("POST", "/subjects/s", schemaBody(V2_WITH_DEFAULT)), 404, 40403);
    assertError(call("POST", "/subjects/s/versions", schemaBody("{\"type\":\"record\",\"name\":\"X\"}")), 422, 42201);
    assertError(call("POST", "/subjects/s/versions", "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}"),
        422, 42201);
    assertError(call("POST", "/subjects/s/versions", "{\"nothing\":1}"), 422, 42201);
    assertError(call("PUT", "/config/s", "{\"compatibility\":\"SOMETIMES\"}"), 422, 42203);
    assertError(call("GET", "/nowhere", null), 404, 404);
    final var badJson = call("POST", "/subjects/s/versions", "{\"schema\": ");
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(json(badJson).path("message").asText()).startsWith("Unparseable JSON body").doesNotContain("\tat ");
  }

  @Test
  void subjectNamesAreUrlEncoded() throws Exception {
    final var client = RestSchemaRegistry.builder(server.url()).build();
    final Schema schema = new Schema.Parser().parse(V1);
    final int id = client.register("odd/subject name+1", schema);
    assertThat(client.subjects()).containsExactly("odd/subject name+1");
    assertThat(client.lookup("odd/subject name+1", schema)).hasValue(id);
    assertThat(client.latest("odd/subject name+1").orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void theRestClientSeesRefusalsAsExceptionsWithTheRegistryCode() {
    final var client = RestSchemaRegistry.builder(server.url()).build();
    client.register("stations-value", new Schema.Parser().parse(V1));
    assertThatThrownBy(() -> client.register("stations-value", new Schema.Parser().parse(V2_NO_DEFAULT)))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(409);
          assertThat(e.errorCode()).isEqualTo(409);
          assertThat(e.getMessage()).contains("stations-value");
        });
    assertThatThrownBy(() -> client.schemaById(4242))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    assertThat(client.lookup("stations-value", new Schema.Parser().parse(V2_WITH_DEFAULT))).isEmpty();
    assertThat(client.lookup("unknown-value", new Schema.Parser().parse(V1))).isEmpty();
    assertThat(client.latest("unknown-value")).isEmpty();
    assertThat(client.compatibilityProblem("stations-value", new Schema.Parser().parse(V2_NO_DEFAULT), SchemaRegistry.LATEST))
        .hasValueSatisfying(p -> assertThat(p).contains("elevation"));

    client.setCompatibility("stations-value", Compatibility.NONE);
    assertThat(client.compatibility("stations-value")).isEqualTo(Compatibility.NONE);
    assertThat(client.compatibility("other-value")).isEqualTo(Compatibility.BACKWARD);
    final int v2 = client.register("stations-value", new Schema.Parser().parse(V2_NO_DEFAULT));
    assertThat(client.versions("stations-value")).containsExactly(1, 2);
    assertThat(client.version("stations-value", 2).id()).isEqualTo(v2);
  }

  @Test
  void servesUnderAPathPrefixForClientsConfiguredWithOne() throws Exception {
    try (var prefixed = RegistryHttpServer.start(new InMemorySchemaRegistry(), "127.0.0.1", 0, "/apis/ccompat/v7")) {
      assertThat(prefixed.url()).endsWith("/apis/ccompat/v7");
      final var client = RestSchemaRegistry.builder(prefixed.url() + "/").build();
      final Schema schema = new Schema.Parser().parse(V1);
      final int id = client.register("s", schema);
      assertThat(client.schemaById(id)).isEqualTo(schema);
      assertThat(client.subjects()).containsExactly("s");
    }
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    final var request = HttpRequest.newBuilder(URI.create(server.url() + path))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String schemaBody(String schema) {
    return JSON.createObjectNode().put("schema", schema).toString();
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static void assertError(HttpResponse<String> response, int status, int code) throws Exception {
    assertThat(response.statusCode()).as(response.uri() + " status").isEqualTo(status);
    final JsonNode body = json(response);
    assertThat(body.path("error_code").asInt()).as(response.uri() + " error_code").isEqualTo(code);
    assertThat(body.path("message").asText()).isNotBlank().doesNotContain("\tat ");
  }
}
