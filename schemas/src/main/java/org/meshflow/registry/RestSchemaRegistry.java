package org.meshflow.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API (Confluent, Apicurio's {@code /apis/ccompat/v7},
 * Karapace, Redpanda). Schemas by id and ids by (subject, schema) are cached for the life of the
 * client, as they never change. Several base URLs, comma-separated, are tried in turn when one
 * cannot be reached; the one that answered is tried first next time.
 *
 * <p>Errors carry the registry's {@code error_code}; when no registry answered at all, the HTTP
 * status is 0 and the code 50002 (timeout) or 50003 (connection failed).
 */
public final class RestSchemaRegistry implements SchemaRegistry {
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<URI> baseUrls;
  private final HttpClient http;
  private final String authorization;
  private final Duration requestTimeout;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private volatile int preferred;

  private RestSchemaRegistry(Builder builder) {
    this.baseUrls = builder.baseUrls;
    this.authorization = builder.userInfo == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(builder.userInfo.getBytes(StandardCharsets.UTF_8));
    this.requestTimeout = builder.requestTimeout;
    final var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(builder.connectTimeout).followRedirects(HttpClient.Redirect.NORMAL);
    if (builder.sslContext != null) {
      client.sslContext(builder.sslContext);
    }
    this.http = client.build();
  }

  /** A builder for {@code urls}: one base URL or several, comma-separated, each may carry a path and user info. */
  public static Builder builder(String urls) {
    return new Builder(urls);
  }

  /** The base URLs, without user info, in the order they are tried. */
  public List<URI> baseUrls() {
    return baseUrls;
  }

  @Override
  public int register(String subject, Schema schema) {
    final var ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    final Integer cached = ids.get(schema);
    if (cached != null) {
      return cached;
    }
    final JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    final int id = answer.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException(502, 50005, "registry answered a registration without an id: " + abbreviate(answer.toString()));
    }
    ids.put(schema, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    final Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    final Schema schema = parse(send("GET", "/schemas/ids/" + id, null), "schema id " + id);
    schemasById.putIfAbsent(id, schema);
    return schema;
  }

  @Override
  public Optional<Integer> lookup(String subject, Schema schema) {
    final Integer cached = idsBySubject.getOrDefault(subject, Map.of()).get(schema);
    if (cached != null) {
      return Optional.of(cached);
    }
    try {
      final int id = send("POST", "/subjects/" + encode(subject), schemaBody(schema)).path("id").asInt();
      idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
      return Optional.of(id);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == 40401 || e.errorCode() == 40403) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Optional<SchemaVersion> latest(String subject) {
    try {
      return Optional.of(version(subject, LATEST));
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == 40401 || e.errorCode() == 40402) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<String> subjects() {
    final var subjects = new ArrayList<String>();
    send("GET", "/subjects", null).forEach(s -> subjects.add(s.asText()));
    return subjects;
  }

  @Override
  public void setCompatibility(String subject, Compatibility level) {
    send("PUT", "/config/" + encode(subject), JSON.createObjectNode().put("compatibility", level.name()));
  }

  @Override
  public List<Integer> versions(String subject) {
    final var versions = new ArrayList<Integer>();
    send("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(v -> versions.add(v.asInt()));
    return versions;
  }

  @Override
  public SchemaVersion version(String subject, int version) {
    final JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/" + versionPath(version), null);
    final int id = answer.path("id").asInt();
    final Schema schema = parse(answer, "subject " + subject + " version " + version);
    schemasById.putIfAbsent(id, schema);
    return new SchemaVersion(answer.path("subject").asText(subject), answer.path("version").asInt(), id, schema);
  }

  @Override
  public Compatibility compatibility(String subject) {
    try {
      return level(send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null));
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() == 404) {
        return defaultCompatibility();
      }
      throw e;
    }
  }

  @Override
  public Compatibility defaultCompatibility() {
    return level(send("GET", "/config", null));
  }

  @Override
  public void setDefaultCompatibility(Compatibility level) {
    send("PUT", "/config", JSON.createObjectNode().put("compatibility", level.name()));
  }

  @Override
  public Optional<String> compatibilityProblem(String subject, Schema candidate, int version) {
    final JsonNode answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/"
        + versionPath(version) + "?verbose=true", schemaBody(candidate));
    if (answer.path("is_compatible").asBoolean(false)) {
      return Optional.empty();
    }
    final var messages = new ArrayList<String>();
    answer.path("messages").forEach(m -> messages.add(m.asText()));
    return Optional.of(messages.isEmpty() ? "incompatible" : String.join("; ", messages));
  }

  private JsonNode send(String method, String path, JsonNode body) {
    final int first = preferred;
    final var failures = new ArrayList<String>();
    boolean timedOut = false;
    for (int i = 0; i < baseUrls.size(); i++) {
      final int index = (first + i) % baseUrls.size();
      final URI base = baseUrls.get(index);
      final var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(requestTimeout)
          .header("Accept", CONTENT_TYPE + ", application/json");
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      if (body != null) {
        request.header("Content-Type", CONTENT_TYPE);
      }
      request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofString(body.toString()));
      final HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(0, 50003, "interrupted while calling the schema registry at " + base, e);
      } catch (IOException e) {
        timedOut |= e instanceof HttpTimeoutException;
        failures.add(base + ": " + describe(e));
        continue;
      }
      preferred = index;
      return answer(method, base + path, response);
    }
    throw new SchemaRegistryException(0, timedOut ? 50002 : 50003,
        "schema registry unreachable (" + String.join("; ", failures) + ")");
  }

  private static JsonNode answer(String method, String url, HttpResponse<String> response) {
    final int status = response.statusCode();
    JsonNode json = null;
    try {
      json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      // not JSON: a proxy's HTML page, say; reported below
    }
    if (status >= 200 && status < 300 && json != null) {
      return json;
    }
    if (json != null && json.has("error_code")) {
      throw new SchemaRegistryException(status, json.path("error_code").asInt(status),
          json.path("message").asText("registry error " + json.path("error_code").asInt()));
    }
    final String what = status == 401 ? "unauthorized: check basic.auth.user.info"
        : status == 403 ? "forbidden for these credentials" : abbreviate(response.body());
    throw new SchemaRegistryException(status, status, method + " " + url + " answered HTTP " + status + ": " + what);
  }

  private static Schema parse(JsonNode answer, String what) {
    final String type = answer.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistryException(422, 42201, what + " is a " + type + " schema; Meshflow reads Avro only");
    }
    try {
      return new Schema.Parser().parse(answer.path("schema").asText());
    } catch (RuntimeException e) {
      throw new SchemaRegistryException(422, 42201, what + " is not a valid Avro schema: " + e.getMessage(), e);
    }
  }

  private static Compatibility level(JsonNode answer) {
    final String level = answer.has("compatibilityLevel") ? answer.path("compatibilityLevel").asText()
        : answer.path("compatibility").asText();
    try {
      return Compatibility.valueOf(level);
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(502, 50005, "registry answered an unknown compatibility level \"" + level + "\"");
    }
  }

  private static JsonNode schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString()).put("schemaType", "AVRO");
  }

  private static String versionPath(int version) {
    return version == LATEST ? "latest" : String.valueOf(version);
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String describe(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return "timed out";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    final String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
  }

  private static String abbreviate(String text) {
    final String line = text.replaceAll("\\s+", " ").strip();
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  /** Settings of a {@link RestSchemaRegistry}. */
  public static final class Builder {
    private final List<URI> baseUrls = new ArrayList<>();
    private String userInfo;
    private SSLContext sslContext;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);

    private Builder(String urls) {
      Objects.requireNonNull(urls, "schema registry url");
      for (final String url : urls.split(",")) {
        if (!url.isBlank()) {
          baseUrls.add(withoutUserInfo(url.strip()));
        }
      }
      if (baseUrls.isEmpty()) {
        throw new IllegalArgumentException("no schema registry url given");
      }
    }

    private URI withoutUserInfo(String url) {
      final URI uri;
      try {
        uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("schema registry url \"" + url + "\" is not a URL: " + e.getMessage());
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("schema registry url \"" + url + "\" must be http://host[:port][/path] or https://…");
      }
      if (uri.getRawUserInfo() == null) {
        return uri;
      }
      if (userInfo == null) {
        userInfo = URLDecoder.decode(uri.getRawUserInfo().replace("+", "%2B"), StandardCharsets.UTF_8);
      }
      return URI.create(uri.getScheme() + "://" + uri.getRawAuthority().substring(uri.getRawUserInfo().length() + 1)
          + (uri.getRawPath() == null ? "" : uri.getRawPath()));
    }

    /** Basic authentication as {@code user:password}; overrides user info in the URL. */
    public Builder basicAuth(String userInfo) {
      if (userInfo != null && !userInfo.isBlank()) {
        if (!userInfo.contains(":")) {
          throw new IllegalArgumentException("basic auth user info must be user:password");
        }
        this.userInfo = userInfo;
      }
      return this;
    }

    public Builder basicAuth(String user, String password) {
      return basicAuth(user + ":" + password);
    }

    /** Trust the certificates in this JKS or PKCS12 file instead of the JDK's default trust store. */
    public Builder trustStore(Path location, String password, String type) {
      try (InputStream in = Files.newInputStream(location)) {
        final var store = KeyStore.getInstance(type == null || type.isBlank() ? "PKCS12" : type);
        store.load(in, password == null ? null : password.toCharArray());
        final var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        final var context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        this.sslContext = context;
        return this;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot load the schema registry trust store " + location + ": " + e.getMessage(), e);
      }
    }

    /** A prepared TLS context (client certificates, say). */
    public Builder sslContext(SSLContext context) {
      this.sslContext = context;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    public RestSchemaRegistry build() {
      return new RestSchemaRegistry(this);
    }
  }
}
