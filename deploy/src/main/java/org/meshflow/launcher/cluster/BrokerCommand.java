package org.meshflow.launcher.cluster;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.embedded.FreePorts;
import org.meshflow.launcher.embedded.MqttListeners;
import org.meshflow.launcher.embedded.TlsListener;
import org.meshflow.launcher.run.HttpEndpoints;
import org.meshflow.launcher.run.Lifecycle;
import org.meshflow.launcher.run.LongRunningCommand;
import org.meshflow.launcher.run.MeshflowBroker;
import org.meshflow.registry.SchemaRegistries;
import org.meshflow.registry.SchemaRegistry;

/**
 * {@code ./meshflow broker}: HiveMQ CE with the Meshflow bridge against an external Kafka and registry.
 * Access as in {@code run}: {@code --auth FILE}, {@code --allow-anonymous}, or {@code DATA/auth.xml}
 * generated on the first start. Gateways stay connected to one broker: run one per Service address.
 */
public final class BrokerCommand extends LongRunningCommand {
  public static final String HELP = """
      usage: ./meshflow broker --kafka HOST:PORT[,...] --registry URL [--mqtt-port P] [--bind ADDRESS]
                               [--data DIR] [--auth FILE | --allow-anonymous] [--http-port P]
                               [--mcp-password P | --mcp-password-file F] [--config FILE]
                               [--mqtt-tls-port P --mqtt-tls-keystore FILE --mqtt-tls-keystore-password-file F]
                               [--mqtt-max-connections N]

      HiveMQ CE with the Meshflow bridge: MQTT on --mqtt-port (default 1883), HTTP /health and /metrics on
      --http-port (default 8080), both at --bind (default 127.0.0.1; pass 0.0.0.0 in a container or to
      serve gateways on the network). Sessions, retained messages, broker.xml and auth.xml live under --data
      (default ./data). Without --auth or --allow-anonymous the first start writes DATA/auth.xml with
      generated passwords and prints them once. Settings also come from --config FILE or the environment
      (MESHFLOW_KAFKA, MESHFLOW_MQTT_PORT, ...). With --mcp-password the broker also admits the user meshflow-mcp
      with that password and the mcp-server role: what ./meshflow jobs --mqtt connects as by default.
      Kafka client properties for the bridge's clients (TLS, SASL) are kafka.NAME settings in --config
      (kafka.security.protocol=SASL_SSL) or flags (--kafka.NAME VALUE), over the client-properties of DATA/broker.xml.
      With --mqtt-tls-keystore (PKCS#12 or JKS: the broker's private key and certificate chain, opened by the first
      line of --mqtt-tls-keystore-password-file) the broker also serves MQTT over TLS 1.3/1.2 on --mqtt-tls-port
      (default 8883); the same users, roles and limits apply on both listeners. --mqtt-max-connections (default
      10000, -1 for none) caps the MQTT connections over both listeners.
      """;


  public BrokerCommand(PrintStream out, PrintStream err) {
    super(out, err, HELP, BrokerOptions.SWITCHES, BrokerOptions.NAMES);
  }

  public static int main(String[] args) throws Exception {
    return new BrokerCommand(System.out, System.err).run(args, true);
  }

  @Override
  protected void start(Settings settings) throws Exception {
    // before BrokerOptions.parse, whose check reports the problems of both at once
    final String mcpPassword = McpOptions.password(settings);
    final BrokerOptions options = BrokerOptions.parse(settings);
    final ComponentOptions component = options.component();
    final MqttListeners mqtt = options.mqtt().claimed();
    final TlsListener tls = mqtt.tls();
    final int httpPort = FreePorts.claim(component.bind(), component.httpPort(), "--http-port");
    final Path data = options.data().toAbsolutePath();
    Files.createDirectories(data);
    final var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final HttpEndpoints http = HttpEndpoints.start(component.bind(), httpPort, metrics);
    lifecycle.push("http", http);
    lifecycle.progress("using Kafka at %s and the schema registry at %s", component.kafka(), component.registry());
    final SchemaRegistry registry = SchemaRegistries.fromConfig(Map.of("schema.registry.url", component.registry()));
    final var broker = MeshflowBroker.start(data, mqtt, component.kafka(),
        component.kafkaClients().shared(), component.registry(), registry, metrics, options.auth(),
        options.allowAnonymous(), mcpPassword, lifecycle::progress);
    lifecycle.push("broker", broker);
    http.part("broker", () -> true);
    lifecycle.ready("meshflow ready broker mqtt=" + mqtt.port() + " kafka=" + component.kafka() + " http=" + httpPort
        + (tls == null ? "" : " mqtts=" + tls.port()));
  }
}
