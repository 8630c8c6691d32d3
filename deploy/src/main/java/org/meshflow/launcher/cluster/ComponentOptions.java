package org.meshflow.launcher.cluster;

import java.util.Set;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.run.ExternalServices;

/**
 * What every cluster component ({@code broker}, {@code jobs}) needs: the external Kafka and registry, and
 * where its own listeners bind. {@code --bind} defaults to loopback, so nothing is reachable from other
 * machines until the operator says so (containers pass {@code --bind 0.0.0.0}).
 */
public record ComponentOptions(String kafka, String registry, String bind, int httpPort) {

  public static final Set<String> NAMES = Set.of("kafka", "registry", "bind", "http-port");

  public static ComponentOptions parse(Settings s) {
    final var options = new ComponentOptions(ExternalServices.kafka(s, null, true),
        ExternalServices.registry(s, null, true), s.string("bind", "127.0.0.1"), s.port("http-port", 8080));
    if (!options.bind().matches("[0-9a-fA-F.:]+|[a-zA-Z0-9.-]+")) {
      s.error("--bind '" + options.bind() + "' is not an address");
    }
    return options;
  }
}
