package org.meshflow.launcher.cluster;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.meshflow.launcher.Settings;

/** The settings of {@code ./meshflow broker}, validated together. */
record BrokerOptions(ComponentOptions component, int mqttPort, Path data, Path auth, boolean allowAnonymous) {

  static final Set<String> SWITCHES = Set.of("allow-anonymous", "help");
  static final Set<String> NAMES = Stream.of(ComponentOptions.NAMES, McpOptions.BROKER_NAMES,
      Set.of("mqtt-port", "data", "auth", "allow-anonymous", "help"))
      .flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());

  static BrokerOptions parse(Settings s) {
    final var options = new BrokerOptions(ComponentOptions.parse(s), s.port("mqtt-port", 1883),
        Path.of(s.string("data", "data")), s.string("auth", null) == null ? null : Path.of(s.string("auth", null)),
        s.flag("allow-anonymous"));
    if (options.auth() != null && options.allowAnonymous()) {
      s.error("--auth and --allow-anonymous exclude each other");
    }
    s.check();
    return options;
  }
}
