package org.meshflow.launcher.embedded;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutionException;

/**
 * HiveMQ Community Edition in this process, listening on 127.0.0.1 only, with anonymous usage
 * statistics off, {@code $} topics allowed (for MCP over MQTT, see {@link DollarTopics}), and
 * optionally one embedded extension (the Meshflow bridge). Its config, data and extensions folders
 * live under {@code home}.
 */
public final class EmbeddedMqttBroker implements AutoCloseable {
  private final EmbeddedHiveMQ hivemq;
  private final int port;
  private volatile Runnable beforeStop = () -> {};

  private EmbeddedMqttBroker(EmbeddedHiveMQ hivemq, int port) {
    this.hivemq = hivemq;
    this.port = port;
  }

  /**
   * @param port a concrete port
   * @param persistent keep sessions and retained messages on disk across restarts
   * @param extension the embedded extension, or null for a plain broker
   */
  public static EmbeddedMqttBroker start(Path home, String bindAddress, int port, boolean persistent,
      EmbeddedExtension extension) throws IOException {
    return start(home, MqttListeners.plain(bindAddress, port), persistent, extension);
  }

  /**
   * As above, with the listeners and connection limit given: MQTT over TLS as well when it has a
   * {@link TlsListener}, whose key store password is then in the generated {@code config.xml}, which only
   * the owner may read. Client ids longer than 256 characters and topics longer than 1024 are refused, a
   * connection that sends no CONNECT within 10 s is closed, and a session outlives its connection by 7 days
   * at most, whatever the client asks for.
   */
  public static EmbeddedMqttBroker start(Path home, MqttListeners listeners, boolean persistent,
      EmbeddedExtension extension) throws IOException {
    final String bindAddress = listeners.bindAddress();
    final int port = listeners.port();
    final TlsListener tls = listeners.tls();
    final Path conf = Files.createDirectories(home.resolve("conf"));
    final Path data = Files.createDirectories(home.resolve("data"));
    final Path extensions = Files.createDirectories(home.resolve("extensions"));
    final Path configFile = conf.resolve("config.xml");
    Files.deleteIfExists(configFile);
    Files.createFile(configFile);
    if (tls != null) {
      ownerOnly(configFile);
    }
    Files.writeString(configFile, """
        <?xml version="1.0"?>
        <!-- written by Meshflow at every start; edit Meshflow's settings instead -->
        <hivemq>
          <listeners>
            <tcp-listener>
              <port>%d</port>
              <bind-address>%s</bind-address>
            </tcp-listener>
        %s  </listeners>
          <restrictions>
            <max-connections>%d</max-connections>
            <max-client-id-length>256</max-client-id-length>
            <max-topic-length>1024</max-topic-length>
            <no-connect-idle-timeout>10000</no-connect-idle-timeout>
          </restrictions>
          <mqtt>
            <packets><max-packet-size>65536</max-packet-size></packets>
            <session-expiry><max-interval>604800</max-interval></session-expiry>
          </mqtt>
          <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
          <persistence><mode>%s</mode></persistence>
        </hivemq>
        """.formatted(port, bindAddress, tls == null ? "" : tls.configXml(bindAddress), listeners.maxConnections(),
        persistent ? "file" : "in-memory"));
    final var builder = EmbeddedHiveMQ.builder().withConfigurationFolder(conf).withDataFolder(data)
        .withExtensionsFolder(extensions).withoutLoggingBootstrap();
    if (extension != null) {
      builder.withEmbeddedExtension(extension);
    }
    DollarTopics.allow();
    final EmbeddedHiveMQ hivemq = builder.build();
    try {
      hivemq.start().join();
    } catch (RuntimeException e) {
      try {
        hivemq.close();
      } catch (ExecutionException | InterruptedException ignored) {
        // the start failure is what matters
      }
      throw new IOException("the MQTT broker did not start: " + rootCause(e).getMessage(), e);
    }
    return new EmbeddedMqttBroker(hivemq, port);
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its own access rules apply
    }
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  /** Runs {@code action} when {@link #close()} begins, while clients are still connected. */
  public void beforeStop(Runnable action) {
    beforeStop = action;
  }

  @Override
  public void close() {
    beforeStop.run();
    try {
      hivemq.stop().join();
      hivemq.close();
    } catch (ExecutionException | InterruptedException e) {
      throw new IllegalStateException("the MQTT broker did not stop cleanly: " + e.getMessage(), e);
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
