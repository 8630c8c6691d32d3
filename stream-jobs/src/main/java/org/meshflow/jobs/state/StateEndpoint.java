package org.meshflow.jobs.state;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /state/<question>?key=…&partition=…}: what this instance's stores hold, for the other
 * instances of the same jobs (see {@link MeshState}). It answers only from its own partitions and never
 * asks further. 503 with a one-line reason while a store cannot be read (starting, rebalancing). With a
 * {@link StateSecret} a request without it gets 401 and nothing else; refusals are logged at most once a
 * minute, with how many there were.
 */
public final class StateEndpoint implements HttpHandler {
  /** Where the endpoint is mounted on an instance's HTTP server. */
  public static final String PATH = "/state/";
  private static final Logger LOG = LoggerFactory.getLogger(StateEndpoint.class);

  private static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final LocalState local;
  private final StateSecret secret;
  private final AtomicLong refusals = new AtomicLong();
  private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);

  /**
   * @param jobs the running job of a name ({@code health}, {@code nodes}, {@code state}) in this process
   * @param secret what a request must show, or {@link StateSecret#NONE}
   */
  public StateEndpoint(Function<String, KafkaStreams> jobs, StateSecret secret) {
    this.local = new LocalState(jobs);
    this.secret = secret;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!secret.admits(exchange.getRequestHeaders().getFirst("Authorization"))) {
      refused(exchange);
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"meshflow-state\"");
      send(exchange, 401, "this instance answers only the instances of its application id: give every instance the"
          + " same state secret\n");
      return;
    }
    if (!exchange.getRequestMethod().equals("GET")) {
      send(exchange, 405, "only GET is served here\n");
      return;
    }
    final Optional<StateQuestion> question;
    try {
      question = StateQuestion.parse(exchange.getRequestURI().getPath().substring(PATH.length()),
          exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException e) {
      send(exchange, 400, "bad question: " + e.getMessage() + "\n");
      return;
    }
    if (question.isEmpty()) {
      send(exchange, 404, "no such question; ask one of " + Arrays.stream(StateQuestion.Kind.values())
          .map(StateQuestion.Kind::path).toList() + "\n");
      return;
    }
    final byte[] body;
    try {
      body = StateRecords.write(local.answer(question.get()));
    } catch (StateUnavailableException e) {
      send(exchange, 503, e.getMessage() + "\n");
      return;
    } catch (InvalidStateStoreException e) {
      send(exchange, 503, "the state is moving between instances (rebalancing); try again shortly\n");
      return;
    } catch (IllegalArgumentException e) {
      send(exchange, 400, "bad question: " + e.getMessage() + "\n");
      return;
    } catch (RuntimeException e) {
      LOG.warn("state question {} failed: {}", exchange.getRequestURI(), e.toString());
      send(exchange, 500, "the question failed: " + e.getMessage() + "\n");
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", StateRecords.CONTENT_TYPE);
    exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private void refused(HttpExchange exchange) {
    final long count = refusals.incrementAndGet();
    final long now = System.nanoTime();
    final long last = lastRefusalLog.get();
    if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLog.compareAndSet(last, now)) {
      LOG.warn("refused a state question from {} without the state secret ({} refused so far)",
          exchange.getRemoteAddress().getAddress().getHostAddress(), count);
    }
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
