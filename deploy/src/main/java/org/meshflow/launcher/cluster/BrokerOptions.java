package org.meshflow.launcher.cluster;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.embedded.TlsListener;

/**
 * The settings of {@code ./meshflow broker}, validated together.
 *
 * @param tlsPort the MQTT-over-TLS port, or -1 for none
 * @param tlsKeyStore absolute, or null without TLS
 */
record BrokerOptions(ComponentOptions component, int mqttPort, Path data, Path auth, boolean allowAnonymous,
    int tlsPort, Path tlsKeyStore, String tlsPassword) {

  static final Set<String> SWITCHES = Set.of("allow-anonymous", "help");
  static final Set<String> NAMES = Stream.of(ComponentOptions.NAMES, McpOptions.BROKER_NAMES,
      Set.of("mqtt-port", "data", "auth", "allow-anonymous", "mqtt-tls-port", "mqtt-tls-keystore",
          "mqtt-tls-keystore-password", "mqtt-tls-keystore-password-file", "help"))
      .flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());

  static BrokerOptions parse(Settings s) {
    final String keyStore = s.string("mqtt-tls-keystore", null);
    final String password = s.secret("mqtt-tls-keystore-password");
    final boolean tls = keyStore != null || s.string("mqtt-tls-port", null) != null;
    final Path keyStorePath = keyStore == null ? null : Path.of(keyStore).toAbsolutePath();
    if (tls && keyStore == null) {
      s.error("--mqtt-tls-port needs --mqtt-tls-keystore FILE (PKCS#12 or JKS) with the broker's key and certificate");
    } else if (tls && password == null) {
      s.error("--mqtt-tls-keystore needs --mqtt-tls-keystore-password-file FILE (or --mqtt-tls-keystore-password,"
          + " MESHFLOW_MQTT_TLS_KEYSTORE_PASSWORD)");
    } else if (tls) {
      TlsListener.problem("--mqtt-tls-keystore", keyStorePath, password).ifPresent(s::error);
    }
    final var options = new BrokerOptions(ComponentOptions.parse(s), s.port("mqtt-port", 1883),
        Path.of(s.string("data", "data")), s.string("auth", null) == null ? null : Path.of(s.string("auth", null)),
        s.flag("allow-anonymous"), tls ? s.port("mqtt-tls-port", 8883) : -1, keyStorePath, password);
    if (options.auth() != null && options.allowAnonymous()) {
      s.error("--auth and --allow-anonymous exclude each other");
    }
    if (options.tlsPort() > 0 && options.tlsPort() == options.mqttPort()) {
      s.error("--mqtt-tls-port and --mqtt-port are both " + options.mqttPort());
    }
    s.check();
    return options;
  }

  @Override
  public String toString() {
    return "BrokerOptions[mqttPort=" + mqttPort + ", tlsPort=" + tlsPort + ", data=" + data + "]";
  }
}
