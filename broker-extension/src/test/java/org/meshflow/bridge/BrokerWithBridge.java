package org.meshflow.bridge;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.meshflow.bridge.configuration.BridgeConfig;
import org.meshflow.bridge.configuration.ConfigParser;
import org.meshflow.registry.SchemaRegistry;

/**
 * An embedded HiveMQ CE on 127.0.0.1 and a free port, with the bridge embedded in it (without, when the
 * configuration is null: then every client may do everything). File persistence keeps retained
 * messages over a restart on the same folder and port.
 */
final class BrokerWithBridge implements AutoCloseable {
  final int port;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final EmbeddedHiveMQ hivemq;
  private BridgeExtension bridge;

  BrokerWithBridge(Path dir, BridgeConfig config, SchemaRegistry registry) {
    this(dir, config, registry, freePort(), "in-memory");
  }

  BrokerWithBridge(Path dir, BridgeConfig config, SchemaRegistry registry, int port, String persistence) {
    this.port = port;
    try {
      final var conf = Files.createDirectories(dir.resolve("conf"));
      Files.writeString(conf.resolve("config.xml"), """
          <?xml version="1.0"?>
          <hivemq>
            <listeners><tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>
            <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
            <persistence><mode>%s</mode></persistence>
          </hivemq>
          """.formatted(port, persistence));
      final var builder = EmbeddedHiveMQ.builder()
          .withConfigurationFolder(conf)
          .withDataFolder(Files.createDirectories(dir.resolve("data")))
          .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
          .withoutLoggingBootstrap();
      if (config != null) {
        builder.withEmbeddedExtension(EmbeddedExtension.builder().withId("meshflow-bridge").withName("Meshflow bridge")
            .withVersion("test").withPriority(0).withStartPriority(1000)
            .withExtensionMain(bridge = new BridgeExtension(config, registry, meters)).build());
      }
      hivemq = builder.build();
      hivemq.start().join();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a bridge configuration written in a test, with files relative to {@code dir}. */
  /** A broker on {@code dir} with the test users and {@link TestSetup#config} for {@code kafka}. */
  static BrokerWithBridge withTestUsers(Path dir, org.meshflow.testing.EmbeddedKafka kafka, SchemaRegistry registry,
      String ackTimeout, boolean retainAlerts) {
    TestSetup.writeCredentials(dir);
    return new BrokerWithBridge(dir, config(dir, TestSetup.config(kafka.bootstrapServers(), ackTimeout, retainAlerts)),
        registry);
  }

  /** Closes what was started, in the order given, skipping what never started. */
  static void closeAll(AutoCloseable... parts) throws Exception {
    for (final AutoCloseable part : parts) {
      if (part != null) {
        part.close();
      }
    }
  }

  static BridgeConfig config(Path dir, String xml) {
    return ConfigParser.parse(xml, dir, "test config");
  }

  double count(String name, String... tags) {
    final var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    if (bridge != null) {
      bridge.brokerStopping();
    }
    hivemq.stop().join();
  }

  static int freePort() {
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
