package org.meshflow.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves any {@link SchemaRegistry} over the Confluent REST API, with Confluent's status codes and
 * {@code {"error_code","message"}} bodies, so Confluent serdes, kcat, Kafka UIs and
 * {@code confluent_kafka} read Meshflow's topics. Only Avro is served.
 */
public final class RegistryHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 8 * 1024 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;
  private final SchemaRegistry registry;
  private final String basePath;

  private RegistryHttpServer(HttpServer server, ExecutorService executor, SchemaRegistry registry, String basePath) {
    this.server = server;
    this.executor = executor;
    this.registry = registry;
    this.basePath = basePath;
  }

  /** Serves {@code registry} on 127.0.0.1 at a free port. */
  public static RegistryHttpServer start(SchemaRegistry registry) throws IOException {
    return start(registry, "127.0.0.1", 0, "");
  }

  /**
   * Serves {@code registry} on {@code host:port} ({@code 0} picks a free port) under {@code basePath}
   * ("" for the root, or a prefix such as {@code /registry}). A port in use is a {@link java.net.BindException}.
   */
  public static RegistryHttpServer start(SchemaRegistry registry, String host, int port, String basePath)
      throws IOException {
    final var server = HttpServer.create(new InetSocketAddress(host, port), 64);
    final var threads = new AtomicInteger();
    final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      final var thread = new Thread(r, "registry-http-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    final String prefix = basePath == null || basePath.equals("/") ? "" : basePath.replaceAll("/+$", "");
    final var instance = new RegistryHttpServer(server, executor, registry, prefix);
    server.createContext(prefix.isEmpty() ? "/" : prefix, instance::handle);
    server.setExecutor(executor);
    server.start();
    return instance;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL clients use, e.g. {@code http://127.0.0.1:8081}. */
  public String url() {
    return "http://" + server.getAddress().getHostString() + ":" + port() + basePath;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      Reply reply;
      try {
        reply = route(exchange.getRequestMethod(), segments(exchange), exchange);
      } catch (HttpFailure e) {
        reply = Reply.error(e.status, e.code, e.getMessage());
      } catch (SchemaRegistryException e) {
        final int status = e.httpStatus() >= 400 && e.httpStatus() < 600 ? e.httpStatus() : 500;
        reply = Reply.error(status, e.errorCode(), e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("registry request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        reply = Reply.error(500, 50001, "Error in the backend data store: " + e.getMessage());
      }
      write(exchange, reply);
    } catch (IOException e) {
      LOG.debug("registry client went away: {}", e.getMessage());
    }
  }

  private Reply route(String method, List<String> path, HttpExchange exchange) throws IOException {
    final int n = path.size();
    final String first = n > 0 ? path.get(0) : "";
    if (n == 0) {
      return Reply.json(200, JSON.createObjectNode());
    }
    if (first.equals("subjects")) {
      if (n == 1) {
        requireMethod(method, "GET");
        return Reply.json(200, JSON.valueToTree(registry.subjects()));
      }
      final String subject = path.get(1);
      if (n == 2) {
        requireMethod(method, "POST");
        return lookup(subject, schemaFrom(body(exchange)));
      }
      if (path.get(2).equals("versions")) {
        if (n == 3 && method.equals("GET")) {
          return Reply.json(200, JSON.valueToTree(registry.versions(subject)));
        }
        if (n == 3) {
          requireMethod(method, "POST");
          final int id = registry.register(subject, schemaFrom(body(exchange)));
          return Reply.json(200, JSON.createObjectNode().put("id", id));
        }
        requireMethod(method, "GET");
        final SchemaVersion version = registry.version(subject, versionNumber(path.get(3)));
        if (n == 4) {
          return Reply.json(200, describe(version));
        }
        if (n == 5 && path.get(4).equals("schema")) {
          return Reply.raw(version.schema().toString());
        }
      }
    } else if (first.equals("schemas") && n >= 3 && path.get(1).equals("ids")) {
      requireMethod(method, "GET");
      final Schema schema = registry.schemaById(schemaId(path.get(2)));
      if (n == 3) {
        return Reply.json(200, JSON.createObjectNode().put("schema", schema.toString()));
      }
      if (n == 4 && path.get(3).equals("schema")) {
        return Reply.raw(schema.toString());
      }
    } else if (first.equals("schemas") && n == 2 && path.get(1).equals("types")) {
      requireMethod(method, "GET");
      return Reply.json(200, JSON.createArrayNode().add("AVRO"));
    } else if (first.equals("config") && n <= 2) {
      final String subject = n == 2 ? path.get(1) : null;
      if (method.equals("PUT")) {
        final Compatibility level = compatibilityFrom(body(exchange));
        if (subject == null) {
          registry.setDefaultCompatibility(level);
        } else {
          registry.setCompatibility(subject, level);
        }
        return Reply.json(200, JSON.createObjectNode().put("compatibility", level.name()));
      }
      requireMethod(method, "GET");
      final Compatibility level = subject == null ? registry.defaultCompatibility() : registry.compatibility(subject);
      return Reply.json(200, JSON.createObjectNode().put("compatibilityLevel", level.name()));
    } else if (first.equals("compatibility") && n == 5 && path.get(1).equals("subjects")
        && path.get(3).equals("versions")) {
      requireMethod(method, "POST");
      final Schema candidate = schemaFrom(body(exchange));
      final var problem = registry.compatibilityProblem(path.get(2), candidate, versionNumber(path.get(4)));
      final ObjectNode answer = JSON.createObjectNode().put("is_compatible", problem.isEmpty());
      if (problem.isPresent() && isVerbose(exchange)) {
        answer.putArray("messages").add(problem.get());
      }
      return Reply.json(200, answer);
    }
    throw new HttpFailure(404, 404, "HTTP 404 Not Found");
  }

  private Reply lookup(String subject, Schema schema) {
    final var id = registry.lookup(subject, schema);
    if (id.isEmpty()) {
      if (registry.latest(subject).isEmpty()) {
        throw new HttpFailure(404, 40401, "Subject \"" + subject + "\" not found");
      }
      throw new HttpFailure(404, 40403, "Schema not found");
    }
    for (final int number : registry.versions(subject)) {
      final var version = registry.version(subject, number);
      if (version.id() == id.get() && version.schema().equals(schema)) {
        return Reply.json(200, describe(version));
      }
    }
    throw new HttpFailure(404, 40403, "Schema not found");
  }

  private static ObjectNode describe(SchemaVersion version) {
    return JSON.createObjectNode().put("subject", version.subject()).put("version", version.version())
        .put("id", version.id()).put("schema", version.schema().toString());
  }

  private static Schema schemaFrom(JsonNode body) {
    if (!body.isObject() || !body.path("schema").isTextual() || body.path("schema").asText().isBlank()) {
      throw new HttpFailure(422, 42201, "Invalid schema: the body must be a JSON object with a \"schema\" string");
    }
    final String type = body.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new HttpFailure(422, 42201, "Invalid schema: schemaType " + type + " is not supported, this registry serves AVRO only");
    }
    if (body.path("references").size() > 0) {
      throw new HttpFailure(422, 42201, "Invalid schema: schema references are not supported");
    }
    try {
      return new Schema.Parser().parse(body.path("schema").asText());
    } catch (SchemaParseException | NullPointerException | IllegalArgumentException e) {
      throw new HttpFailure(422, 42201, "Invalid schema: " + oneLine(e.getMessage()));
    }
  }

  private static Compatibility compatibilityFrom(JsonNode body) {
    final String level = body.path("compatibility").asText(body.path("compatibilityLevel").asText(""));
    try {
      return Compatibility.valueOf(level.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HttpFailure(422, 42203, "Invalid compatibility level \"" + level + "\". Valid values are "
          + Arrays.toString(Compatibility.values()));
    }
  }

  private static int versionNumber(String text) {
    if (text.equals("latest") || text.equals("-1")) {
      return SchemaRegistry.LATEST;
    }
    try {
      final int version = Integer.parseInt(text);
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new HttpFailure(422, 42202, "The specified version \"" + text
        + "\" is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }

  private static int schemaId(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new HttpFailure(404, 40403, "Schema " + text + " not found");
    }
  }

  private static void requireMethod(String actual, String expected) {
    if (!actual.equals(expected)) {
      throw new HttpFailure(405, 405, "HTTP 405 Method Not Allowed");
    }
  }

  private static boolean isVerbose(HttpExchange exchange) {
    final String query = exchange.getRequestURI().getRawQuery();
    return query != null && Arrays.asList(query.split("&")).contains("verbose=true");
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    final byte[] bytes = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
    if (bytes.length > MAX_BODY) {
      throw new HttpFailure(413, 413, "request body larger than " + MAX_BODY + " bytes");
    }
    try {
      final JsonNode body = JSON.readTree(bytes);
      if (body == null || body.isMissingNode()) {
        throw new HttpFailure(422, 42201, "Invalid schema: empty request body");
      }
      return body;
    } catch (JsonProcessingException e) {
      throw new HttpFailure(400, 400, "Unparseable JSON body: " + oneLine(e.getOriginalMessage()));
    }
  }

  private List<String> segments(HttpExchange exchange) {
    String raw = exchange.getRequestURI().getRawPath();
    raw = raw.substring(Math.min(basePath.length(), raw.length()));
    final var segments = new ArrayList<String>();
    for (final String segment : raw.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return segments;
  }

  private static void write(HttpExchange exchange, Reply reply) throws IOException {
    final byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType);
    exchange.sendResponseHeaders(reply.status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  private record Reply(int status, String contentType, String body) {
    static Reply json(int status, JsonNode body) {
      return new Reply(status, RestSchemaRegistry.CONTENT_TYPE, body.toString());
    }

    static Reply raw(String schema) {
      return new Reply(200, RestSchemaRegistry.CONTENT_TYPE, schema);
    }

    static Reply error(int status, int code, String message) {
      return json(status, JSON.createObjectNode().put("error_code", code).put("message", message));
    }
  }

  private static final class HttpFailure extends RuntimeException {
    private final int status;
    private final int code;

    HttpFailure(int status, int code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }
}
