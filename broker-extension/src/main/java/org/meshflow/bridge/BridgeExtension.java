package org.meshflow.bridge;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.meshflow.bridge.configuration.BridgeConfig;
import org.meshflow.bridge.configuration.ConfigException;
import org.meshflow.bridge.configuration.ConfigParser;
import org.meshflow.bridge.kafka.RegistryFactory;
import org.meshflow.bridge.metrics.BridgeMetrics;
import org.meshflow.bridge.metrics.MetricsServer;
import org.meshflow.registry.SchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT-Kafka bridge as a HiveMQ extension. Dropped into a broker's {@code extensions/} folder it
 * reads {@code conf/config.xml} from its home folder, makes its own registry client and serves its
 * metrics; embedded (launcher, tests) it is given its configuration, registry and meter registry.
 * It only wires: the work is done by the parts {@link Bridge} registers.
 */
public final class BridgeExtension implements ExtensionMain {
  private static final Logger log = LoggerFactory.getLogger(BridgeExtension.class);

  private final BridgeConfig givenConfig;
  private final SchemaRegistry givenRegistry;
  private final MeterRegistry givenMeters;
  private final RegistryFactory registryFactory;
  private Bridge bridge;
  private SchemaRegistry ownRegistry;
  private MetricsServer metricsServer;
  private Thread shutdownHook;

  /** Standalone: everything comes from the extension's {@code conf/config.xml}. */
  public BridgeExtension() {
    this(null, null, null, RegistryFactory.fromSchemasModule());
  }

  /** Embedded: the host supplies configuration, registry and meters. */
  public BridgeExtension(BridgeConfig config, SchemaRegistry registry, MeterRegistry meters) {
    this(config, registry, meters, null);
  }

  private BridgeExtension(BridgeConfig config, SchemaRegistry registry, MeterRegistry meters, RegistryFactory factory) {
    this.givenConfig = config;
    this.givenRegistry = registry;
    this.givenMeters = meters;
    this.registryFactory = factory;
  }

  @Override
  public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
    try {
      final var home = input.getExtensionInformation().getExtensionHomeFolder().toPath();
      final var config = givenConfig != null ? givenConfig : ConfigParser.read(home.resolve(Path.of("conf", "config.xml")));
      final var registry = givenRegistry != null ? givenRegistry : (ownRegistry = registryFactory.create(config.kafka()));
      final MeterRegistry meters;
      if (givenMeters != null) {
        meters = givenMeters;
      } else {
        final var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (config.metrics().port() > 0) {
          metricsServer = MetricsServer.start(config.metrics(), prometheus);
        }
        meters = prometheus;
      }
      bridge = Bridge.start(config, registry, new BridgeMetrics(meters));
      if (givenConfig == null) {
        // a stock broker stops on a signal: its shutdown runs in a JVM shutdown hook, as this one does
        final var running = bridge;
        shutdownHook = new Thread(running::brokerStopping, "meshflow-bridge-broker-stopping");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
      }
      log.info("meshflow bridge started: {} MQTT-to-Kafka and {} Kafka-to-MQTT mappings, Kafka at {}",
          config.uplinks().size(), config.downlinks().size(), config.kafka().bootstrapServers());
    } catch (ConfigException | IllegalStateException e) {
      stopParts();
      log.error("meshflow bridge not started: {}", e.getMessage());
      output.preventExtensionStartup(e.getMessage());
    } catch (Exception e) {
      stopParts();
      log.error("meshflow bridge not started", e);
      output.preventExtensionStartup("meshflow bridge not started: " + e);
    }
  }

  /**
   * A host calls this just before it stops the broker, so the bridge can publish its offline status
   * while clients are connected and record their sessions as ended by the stop (HiveMQ itself reports
   * them as lost connections).
   */
  public void brokerStopping() {
    final var running = bridge;
    if (running != null) {
      running.brokerStopping();
    }
  }

  /** Whether the bridge is running: a host must not serve clients through a broker whose bridge failed. */
  public boolean started() {
    return bridge != null;
  }

  @Override
  public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
    stopParts();
  }

  private void stopParts() {
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or has run
      }
      shutdownHook = null;
    }
    if (bridge != null) {
      bridge.close();
      bridge = null;
    }
    if (metricsServer != null) {
      metricsServer.close();
      metricsServer = null;
    }
    if (ownRegistry != null) {
      ownRegistry.close();
      ownRegistry = null;
    }
  }
}
