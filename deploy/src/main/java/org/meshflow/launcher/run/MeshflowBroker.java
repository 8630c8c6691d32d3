package org.meshflow.launcher.run;

import com.hivemq.embedded.EmbeddedExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import org.meshflow.bridge.BridgeExtension;
import org.meshflow.bridge.configuration.BridgeConfig;
import org.meshflow.bridge.configuration.ConfigParser;
import org.meshflow.bridge.configuration.KafkaSettings;
import org.meshflow.bridge.security.PasswordHasher;
import org.meshflow.launcher.UsageException;
import org.meshflow.launcher.embedded.EmbeddedMqttBroker;
import org.meshflow.launcher.embedded.MqttListeners;
import org.meshflow.registry.SchemaRegistry;

/**
 * The broker of {@code ./meshflow run}: embedded HiveMQ CE with the Meshflow bridge, configured by
 * {@code DATA/broker.xml} (written with documented defaults on the first run). Access: {@code --auth FILE},
 * {@code --allow-anonymous}, or else {@code DATA/auth.xml}, created on the first run with a generated
 * gateway password that is printed once.
 */
public final class MeshflowBroker {
  static final String CONFIG = "broker.xml";
  static final String AUTH = "auth.xml";
  /** The MCP server's own user; its password is generated at every start and never written in clear. */
  public static final String MCP_USER = "meshflow-mcp";
  static final String MCP_ROLE = "mcp-server";

  private MeshflowBroker() {}

  /**
   * @param listeners where it listens (plain, and TLS if given) and how many may connect
   * @param kafkaProperties Kafka client properties (TLS, SASL) for the bridge's producer, consumers and admin
   *     client, over those of {@code broker.xml}
   * @param auth credentials file, or null for {@code DATA/auth.xml} (generated on the first start)
   * @param allowAnonymous anyone may connect (development); excludes {@code auth}
   * @param mcpPassword the password the MCP server connects with as {@link #MCP_USER}; null: no MCP server user
   */
  public static EmbeddedMqttBroker start(Path data, MqttListeners listeners, String bootstrap,
      Map<String, String> kafkaProperties, String registryUrl, SchemaRegistry registry, MeterRegistry meters,
      Path auth, boolean allowAnonymous, String mcpPassword, Consumer<String> say) throws IOException {
    final Path configFile = data.resolve(CONFIG);
    final String template;
    try (InputStream in = MeshflowBroker.class.getResourceAsStream("/meshflow/broker.xml")) {
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!Files.exists(configFile)) {
      Files.writeString(configFile, template);
      Files.writeString(configFile.resolveSibling(BrokerConfigUpgrade.DIST), template);
      say.accept("wrote the broker's configuration with its defaults to " + configFile);
    } else {
      BrokerConfigUpgrade.check(configFile, template, say);
    }
    final Path credentials;
    if (allowAnonymous) {
      credentials = null;
    } else if (auth != null) {
      credentials = auth.toAbsolutePath();
      if (!Files.isReadable(credentials)) {
        throw new UsageException("--auth " + auth + " cannot be read");
      }
    } else {
      credentials = data.resolve(AUTH);
      if (!Files.exists(credentials)) {
        final String gateway = generatePassword();
        final String reader = generatePassword();
        Files.writeString(credentials, credentialsXml(gateway, reader));
        say.accept("created " + credentials + " (passwords shown only this once; replace a hash there to change one):");
        say.accept("  gateways connect with user name 'gateway' and password '" + gateway + "'");
        say.accept("  Home Assistant / Node-RED connect with user name 'homeassistant' and password '" + reader + "'");
      }
    }
    String xml = Files.readString(configFile);
    xml = element(xml, "bootstrap-servers", bootstrap);
    xml = element(xml, "schema-registry-url", registryUrl);
    xml = element(xml, "allow-anonymous", String.valueOf(allowAnonymous));
    xml = element(xml, "credentials-file", credentials == null ? "" : credentials.toString());
    BridgeConfig config;
    try {
      config = ConfigParser.parse(xml, data, configFile.toString());
      final Path withServices = mcpPassword == null ? null : ServiceUsers.write(data.resolve("hivemq"), credentials,
          config.access().roles().keySet(), MCP_USER, MCP_ROLE, mcpPassword);
      if (withServices != null) {
        config = ConfigParser.parse(element(xml, "credentials-file", withServices.toString()), data,
            configFile.toString());
      } else if (mcpPassword != null) {
        say.accept(configFile + " has no '" + MCP_ROLE + "' role: the MCP server cannot connect (copy the role from"
            + " the template in the README)");
      }
    } catch (RuntimeException e) {
      throw new UsageException(e.getMessage());
    }
    final var bridge = new BridgeExtension(withClientProperties(config, kafkaProperties), registry, meters);
    final var extension = EmbeddedExtension.builder().withId("meshflow-bridge").withName("Meshflow bridge")
        .withVersion("1").withPriority(0).withStartPriority(1000).withExtensionMain(bridge).build();
    if (listeners.tls() != null) {
      listeners.tls().watchCertificate(meters, Clock.systemUTC(), say);
    }
    say.accept("starting the MQTT broker on " + listeners.describe());
    final var broker = EmbeddedMqttBroker.start(data.resolve("hivemq"), listeners, true, extension);
    if (!bridge.started()) {
      broker.close();
      throw new IllegalStateException("the broker's bridge did not start (see the log above); refusing to run an open broker");
    }
    broker.beforeStop(bridge::brokerStopping);
    return broker;
  }

  static BridgeConfig withClientProperties(BridgeConfig config, Map<String, String> kafkaProperties) {
    if (kafkaProperties.isEmpty()) {
      return config;
    }
    final KafkaSettings kafka = config.kafka();
    final var properties = new HashMap<>(kafka.properties());
    properties.putAll(kafkaProperties);
    return new BridgeConfig(new KafkaSettings(kafka.bootstrapServers(), kafka.registryUrl(), kafka.ackTimeout(),
        properties), config.uplinks(), config.sessions(), config.downlinks(), config.limits(), config.access(),
        config.metrics(), config.status());
  }

  private static String element(String xml, String name, String value) {
    final String open = "<" + name + ">";
    final String close = "</" + name + ">";
    if (!xml.contains(open)) {
      return xml;
    }
    return xml.replaceAll(open + "[^<]*" + close, Matcher.quoteReplacement(open + value + close));
  }

  static String generatePassword() {
    final byte[] bytes = new byte[15];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String credentialsXml(String gatewayPassword, String readerPassword) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <!--
          Users of the Meshflow broker, created by the first ./meshflow run. Passwords are stored only as salted
          PBKDF2-HMAC-SHA256 hashes; make a new one with
            java -cp deploy/target/meshflow.jar:deploy/target/lib/* org.meshflow.bridge.security.PasswordHasher
          roles: gateway (publish msh/#), reader (subscribe meshflow/# and homeassistant/#), admin (everything).
          identities: ids a user may publish as besides its own client id (a phone relaying for its node).
        -->
        <credentials>
          <user name="gateway" roles="gateway" password="%s"/>
          <user name="homeassistant" roles="reader" password="%s"/>
        </credentials>
        """.formatted(PasswordHasher.hash(gatewayPassword.toCharArray()), PasswordHasher.hash(readerPassword.toCharArray()));
  }
}
