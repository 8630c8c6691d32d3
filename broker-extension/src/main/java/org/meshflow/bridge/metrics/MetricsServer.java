package org.meshflow.bridge.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.meshflow.bridge.configuration.MetricsSettings;

/** Serves the Prometheus text format of a standalone extension's meters. */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  public static MetricsServer start(MetricsSettings settings, PrometheusMeterRegistry registry) throws IOException {
    final var server = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 0);
    server.createContext(settings.path(), exchange -> {
      final var body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (var out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return new MetricsServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
