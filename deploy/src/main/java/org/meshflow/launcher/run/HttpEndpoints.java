package org.meshflow.launcher.run;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTP port of a Meshflow process: {@code /health} (200 only when every part accepts work),
 * {@code /metrics} (Prometheus text) and {@code /} (a status page for people, HTML in a browser,
 * plain text for curl).
 */
public final class HttpEndpoints implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, BooleanSupplier> parts = new LinkedHashMap<>();

  private HttpEndpoints(HttpServer server) {
    this.server = server;
  }

  /** For a single component: the status page lists its parts and whether each is up. */
  public static HttpEndpoints start(String host, int port, PrometheusMeterRegistry metrics) throws IOException {
    final var holder = new AtomicReference<HttpEndpoints>();
    holder.set(start(host, port, metrics, () -> new StatusPage(holder.get().partRows(), List.of(),
        List.of(), List.of())));
    return holder.get();
  }

  static HttpEndpoints start(String host, int port, PrometheusMeterRegistry metrics, Supplier<StatusPage> status)
      throws IOException {
    final var server = HttpServer.create(new InetSocketAddress(host, port), 16);
    final var endpoints = new HttpEndpoints(server);
    server.createContext("/health", endpoints::health);
    server.createContext("/metrics", exchange -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
        metrics.scrape()));
    server.createContext("/", exchange -> {
      if (!exchange.getRequestURI().getPath().equals("/")) {
        send(exchange, 404, "text/plain; charset=utf-8", "not found; try /, /health or /metrics\n");
        return;
      }
      final StatusPage page = status.get();
      final String accept = exchange.getRequestHeaders().getFirst("Accept");
      if (accept != null && accept.contains("text/html")) {
        send(exchange, 200, "text/html; charset=utf-8", page.html());
      } else {
        send(exchange, 200, "text/plain; charset=utf-8", page.text());
      }
    });
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      final var t = new Thread(r, "meshflow-http");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return endpoints;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Serves {@code path} (and everything under it) with {@code handler}. */
  public void route(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  /** A part whose readiness {@code /health} reports. */
  public synchronized void part(String name, BooleanSupplier ready) {
    parts.put(name, ready);
  }

  private synchronized List<String[]> partRows() {
    return parts.entrySet().stream()
        .map(e -> new String[] {e.getKey(), e.getValue().getAsBoolean() ? "up" : "down"}).toList();
  }

  synchronized boolean ready() {
    return !parts.isEmpty() && parts.values().stream().allMatch(BooleanSupplier::getAsBoolean);
  }

  private void health(HttpExchange exchange) throws IOException {
    final var body = new StringBuilder("{");
    boolean all;
    synchronized (this) {
      all = !parts.isEmpty();
      for (var e : parts.entrySet()) {
        final boolean ok = e.getValue().getAsBoolean();
        all &= ok;
        body.append(body.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":\"")
            .append(ok ? "UP" : "DOWN").append('"');
      }
    }
    body.append(body.length() > 1 ? "," : "").append("\"status\":\"").append(all ? "UP" : "DOWN").append("\"}\n");
    send(exchange, all ? 200 : 503, "application/json", body.toString());
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
