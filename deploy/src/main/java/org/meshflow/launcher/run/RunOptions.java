package org.meshflow.launcher.run;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.embedded.Addresses;
import org.meshflow.launcher.embedded.MqttListeners;

/**
 * The settings of {@code ./meshflow run}, validated together.
 *
 * @param bind where MQTT (and its TLS listener) listens, and HTTP unless {@code httpBind} says otherwise; Kafka
 *     and the registry stay on loopback
 * @param httpBind where HTTP (health, metrics, status page) listens
 * @param mqtt the MQTT listeners asked for (ports not claimed yet)
 */
record RunOptions(
    Path data,
    String bind,
    String httpBind,
    MqttListeners mqtt,
    int kafkaPort,
    int registryPort,
    int httpPort,
    String externalKafka,
    String externalRegistry,
    JobTuning jobs,
    Path auth,
    boolean allowAnonymous,
    int partitions) {

  static final Set<String> SWITCHES = Set.of("allow-anonymous", "help");
  static final Set<String> NAMES = union(union(Set.of("data", "bind", "http-bind", "kafka-port", "registry-port",
      "http-port", "kafka", "registry", "offline-grace", "silence-threshold", "auth", "allow-anonymous", "key",
      "partitions", "help"), SinkCommand.RUN_NAMES), MqttListeners.NAMES);

  private static Set<String> union(Set<String> a, Set<String> b) {
    final var all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  static RunOptions parse(Settings s) {
    final String bind = s.string("bind", "127.0.0.1");
    final var options = new RunOptions(
        Path.of(s.string("data", "data")),
        bind,
        s.string("http-bind", bind),
        MqttListeners.parse(s, bind),
        s.port("kafka-port", 9092),
        s.port("registry-port", 8081),
        s.port("http-port", 8080),
        ExternalServices.kafka(s, null, false),
        ExternalServices.registry(s, null, false),
        JobTuning.parse(s),
        s.string("auth", null) == null ? null : Path.of(s.string("auth", null)),
        s.flag("allow-anonymous"),
        s.port("partitions", 3));
    Addresses.problem(options.bind()).ifPresent(s::error);
    if (!options.httpBind().equals(options.bind())) {
      Addresses.problem(options.httpBind()).map(p -> p.replace("--bind", "--http-bind")).ifPresent(s::error);
    }
    if (options.partitions() < 1 || options.partitions() > 64) {
      s.error("--partitions must be between 1 and 64");
    }
    if (options.auth() != null && options.allowAnonymous()) {
      s.error("--auth and --allow-anonymous exclude each other");
    }
    s.check();
    return options;
  }

  Map<String, String> describe() {
    return Map.of("offline-grace", jobs.offlineGrace().toString(), "silence-threshold", jobs.silenceThreshold().toString());
  }
}
