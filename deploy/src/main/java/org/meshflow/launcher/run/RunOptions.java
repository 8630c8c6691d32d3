package org.meshflow.launcher.run;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.meshflow.launcher.Settings;

/** The settings of {@code ./meshflow run}, validated together. */
record RunOptions(
    Path data,
    int mqttPort,
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
  static final Set<String> NAMES = union(Set.of("data", "mqtt-port", "kafka-port", "registry-port", "http-port",
      "kafka", "registry", "offline-grace", "silence-threshold", "auth", "allow-anonymous", "key", "partitions", "help"),
      SinkCommand.RUN_NAMES);

  private static Set<String> union(Set<String> a, Set<String> b) {
    final var all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  static RunOptions parse(Settings s) {
    final var options = new RunOptions(
        Path.of(s.string("data", "data")),
        s.port("mqtt-port", 1883),
        s.port("kafka-port", 9092),
        s.port("registry-port", 8081),
        s.port("http-port", 8080),
        ExternalServices.kafka(s, null, false),
        ExternalServices.registry(s, null, false),
        JobTuning.parse(s),
        s.string("auth", null) == null ? null : Path.of(s.string("auth", null)),
        s.flag("allow-anonymous"),
        s.port("partitions", 3));
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
