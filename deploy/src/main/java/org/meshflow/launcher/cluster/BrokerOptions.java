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
 * @param tls MQTT over TLS on the port asked for, or null
 */
record BrokerOptions(ComponentOptions component, int mqttPort, Path data, Path auth, boolean allowAnonymous,
    TlsListener tls) {

  static final Set<String> SWITCHES = Set.of("allow-anonymous", "help");
  static final Set<String> NAMES = Stream.of(ComponentOptions.NAMES, McpOptions.BROKER_NAMES,
      TlsListener.NAMES, Set.of("mqtt-port", "data", "auth", "allow-anonymous", "help"))
      .flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());

  static BrokerOptions parse(Settings s) {
    final int mqttPort = s.port("mqtt-port", 1883);
    final var options = new BrokerOptions(ComponentOptions.parse(s), mqttPort,
        Path.of(s.string("data", "data")), s.string("auth", null) == null ? null : Path.of(s.string("auth", null)),
        s.flag("allow-anonymous"), TlsListener.parse(s, mqttPort));
    if (options.auth() != null && options.allowAnonymous()) {
      s.error("--auth and --allow-anonymous exclude each other");
    }
    s.check();
    return options;
  }
}
