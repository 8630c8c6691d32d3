package org.meshflow.launcher.cluster;

import java.util.Map;
import java.util.Set;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.embedded.Addresses;
import org.meshflow.launcher.run.ExternalServices;
import org.meshflow.launcher.run.KafkaClientSettings;

/**
 * What every cluster component ({@code broker}, {@code jobs}, {@code sink}) needs: the external Kafka and
 * registry, the Kafka client properties for all its clients ({@code kafka.NAME=VALUE}: TLS, SASL), and where
 * its own listeners bind. {@code --bind} defaults to loopback, so nothing is reachable from other machines
 * until the operator says so (containers pass {@code --bind 0.0.0.0}).
 */
public record ComponentOptions(String kafka, String registry, String bind, int httpPort,
    Map<String, String> kafkaProperties) {

  public static final Set<String> NAMES = Set.of("kafka", "registry", "bind", "http-port", KafkaClientSettings.PREFIX);

  public ComponentOptions {
    kafkaProperties = Map.copyOf(kafkaProperties);
  }

  public static ComponentOptions parse(Settings s) {
    final var options = new ComponentOptions(ExternalServices.kafka(s, null, true),
        ExternalServices.registry(s, null, true), s.string("bind", "127.0.0.1"), s.port("http-port", 8080),
        s.prefixed(KafkaClientSettings.PREFIX));
    if (!options.bind().matches("[0-9a-fA-F.:]+|[a-zA-Z0-9.-]+")) {
      s.error("--bind '" + options.bind() + "' is not an address");
    } else {
      Addresses.problem(options.bind()).ifPresent(s::error);
    }
    return options;
  }

  /** The clients' settings: every {@code kafka.*} setting, at {@code --kafka}. */
  public KafkaClientSettings kafkaClients() {
    return new KafkaClientSettings(kafka, kafkaProperties);
  }
}
