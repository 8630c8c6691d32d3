package org.meshflow.jobs.sink;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL (zonky's embedded binary) for a test class: one server, a fresh database per
 * test, and a restart on the same data directory and port to play a database outage.
 */
final class TestPostgres implements AutoCloseable {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private final Path dataDirectory;
  private EmbeddedPostgres server;
  private int port;

  private TestPostgres(Path dataDirectory) {
    this.dataDirectory = dataDirectory;
  }

  static TestPostgres start(Path dataDirectory) {
    final var postgres = new TestPostgres(dataDirectory);
    postgres.server = postgres.launch(0);
    postgres.port = postgres.server.getPort();
    return postgres;
  }

  private EmbeddedPostgres launch(int onPort) {
    try {
      final var builder = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false);
      if (onPort > 0) {
        builder.setPort(onPort);
      }
      return builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("embedded PostgreSQL did not start: " + e.getMessage(), e);
    }
  }

  /** A new empty database; its JDBC URL (user postgres, no password). */
  String newDatabase() {
    final String name = "meshflow_" + DATABASES.incrementAndGet();
    update(url("postgres"), "CREATE DATABASE " + name);
    return url(name);
  }

  String url(String database) {
    return "jdbc:postgresql://localhost:" + port + "/" + database + "?user=postgres";
  }

  void stop() {
    try {
      server.close();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts the server again on the same data and port, after {@link #stop}. */
  void startAgain() {
    server = launch(port);
  }

  static void update(String url, String sql) {
    try (var connection = DriverManager.getConnection(url); var statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** Every row of {@code sql}, columns by label, in order. */
  static List<Map<String, Object>> query(String url, String sql) {
    try (var connection = DriverManager.getConnection(url); var statement = connection.createStatement();
        var rows = statement.executeQuery(sql)) {
      final var result = new ArrayList<Map<String, Object>>();
      final var meta = rows.getMetaData();
      while (rows.next()) {
        final var row = new LinkedHashMap<String, Object>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), rows.getObject(i));
        }
        result.add(row);
      }
      return result;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  static long count(String url, String table) {
    return ((Number) query(url, "SELECT count(*) AS n FROM " + table).get(0).get("n")).longValue();
  }

  @Override
  public void close() {
    stop();
  }
}
