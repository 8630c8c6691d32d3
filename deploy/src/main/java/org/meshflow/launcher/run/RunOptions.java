package org.meshflow.launcher.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    Duration offlineGrace,
    Duration silenceThreshold,
    Path auth,
    boolean allowAnonymous,
    List<String> channelKeys,
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
        s.string("kafka", null),
        s.string("registry", null),
        s.duration("offline-grace", "2m"),
        s.duration("silence-threshold", "30m"),
        s.string("auth", null) == null ? null : Path.of(s.string("auth", null)),
        s.flag("allow-anonymous"),
        s.all("key"),
        s.port("partitions", 3));
    if (options.partitions() < 1 || options.partitions() > 64) {
      s.error("--partitions must be between 1 and 64");
    }
    if (options.offlineGrace().isZero() || options.silenceThreshold().isZero()) {
      s.error("--offline-grace and --silence-threshold must be longer than 0");
    }
    if (options.externalKafka() != null && !options.externalKafka().matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*")) {
      s.error("--kafka '" + options.externalKafka() + "' is not HOST:PORT[,HOST:PORT...]");
    }
    if (options.externalRegistry() != null && !options.externalRegistry().matches("https?://\\S+")) {
      s.error("--registry '" + options.externalRegistry() + "' is not an http(s) URL");
    }
    if (options.auth() != null && options.allowAnonymous()) {
      s.error("--auth and --allow-anonymous exclude each other");
    }
    s.check();
    return options;
  }

  Map<String, String> describe() {
    return Map.of("offline-grace", offlineGrace.toString(), "silence-threshold", silenceThreshold.toString());
  }
}
