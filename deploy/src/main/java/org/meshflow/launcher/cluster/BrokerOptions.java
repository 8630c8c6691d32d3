package org.meshflow.launcher.cluster;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.embedded.MqttListeners;

/**
 * The settings of {@code ./meshflow broker}, validated together.
 *
 * @param mqtt the MQTT listeners asked for (ports not claimed yet)
 */
record BrokerOptions(ComponentOptions component, MqttListeners mqtt, Path data, Path auth, boolean allowAnonymous) {

  static final Set<String> SWITCHES = Set.of("allow-anonymous", "help");
  static final Set<String> NAMES = Stream.of(ComponentOptions.NAMES, McpOptions.BROKER_NAMES,
      MqttListeners.NAMES, Set.of("data", "auth", "allow-anonymous", "help"))
      .flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());

  static BrokerOptions parse(Settings s) {
    final ComponentOptions component = ComponentOptions.parse(s);
    final var options = new BrokerOptions(component, MqttListeners.parse(s, component.bind()),
        Path.of(s.string("data", "data")), s.string("auth", null) == null ? null : Path.of(s.string("auth", null)),
        s.flag("allow-anonymous"));
    if (options.auth() != null && options.allowAnonymous()) {
      s.error("--auth and --allow-anonymous exclude each other");
    }
    s.check();
    return options;
  }
}
