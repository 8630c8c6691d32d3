package org.meshflow.bridge.configuration;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Checks what the parser cannot: names, references between sections, combinations. Adds every problem. */
final class ConfigValidator {
  private static final Pattern KAFKA_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern HOST_PORT = Pattern.compile("[^,:\\s]+:\\d{1,5}");

  private ConfigValidator() {}

  static void validate(BridgeConfig config, List<String> problems) {
    final var kafka = config.kafka();
    if (!kafka.bootstrapServers().isEmpty()) {
      for (final var server : kafka.bootstrapServers().split(",")) {
        if (!HOST_PORT.matcher(server.trim()).matches()) {
          problems.add("kafka/bootstrap-servers: '" + server.trim() + "' is not HOST:PORT");
        }
      }
    }
    if (!kafka.registryUrl().isEmpty() && !kafka.registryUrl().matches("https?://\\S+")) {
      problems.add("kafka/schema-registry-url: '" + kafka.registryUrl() + "' is not an http(s) URL");
    }
    final var ids = new HashSet<String>();
    for (final var m : config.uplinks()) {
      final var where = "mqtt-to-kafka/mapping[" + m.id() + "]";
      if (!m.id().isEmpty() && !ids.add(m.id())) {
        problems.add(where + ": mapping id is used twice");
      }
      if (m.topicFilters().isEmpty()) {
        problems.add(where + ": needs at least one mqtt-topic-filter");
      }
      kafkaTopic(where, m.kafkaTopic(), problems);
    }
    if (config.sessions().enabled()) {
      kafkaTopic("session-events", config.sessions().kafkaTopic(), problems);
    }
    ids.clear();
    for (final var m : config.downlinks()) {
      final var where = "kafka-to-mqtt/mapping[" + m.id() + "]";
      if (!m.id().isEmpty() && !ids.add(m.id())) {
        problems.add(where + ": mapping id is used twice");
      }
      kafkaTopic(where, m.kafkaTopic(), problems);
      final var sample = m.topicFor("k");
      if (!m.mqttTopic().isEmpty() && (sample.contains("+") || sample.contains("#") || sample.contains("{") )) {
        problems.add(where + ": mqtt-topic '" + m.mqttTopic() + "' may contain only the placeholder {key}, no wildcards");
      }
      if (m.consumerGroup().isEmpty()) {
        problems.add(where + ": consumer-group is empty");
      }
    }
    access(config.access(), problems);
  }

  private static void access(AccessSettings access, List<String> problems) {
    for (final var role : access.anonymousRoles()) {
      if (!access.roles().containsKey(role)) {
        problems.add("access/anonymous-roles: role '" + role + "' is not defined in access/roles");
      }
    }
    if (access.allowAnonymous() && access.anonymousRoles().isEmpty()) {
      problems.add("access/anonymous-roles: allow-anonymous needs at least one role for anonymous clients");
    }
    if (!access.allowAnonymous() && access.credentialsFile() == null) {
      problems.add("access: without allow-anonymous a credentials-file is required");
    }
    if (access.credentialsFile() != null && !Files.isReadable(access.credentialsFile())) {
      problems.add("access/credentials-file: " + access.credentialsFile() + " cannot be read");
    }
    for (final var root : access.protectedRoots()) {
      if (root.isEmpty() || root.contains("+") || root.contains("#")) {
        problems.add("access/protected-roots: '" + root + "' must be a plain topic prefix like meshflow/");
      }
    }
    final var identity = access.identity();
    if (identity.enabled() && identity.payloadField() > 0 && identity.payloadTopics().isEmpty()) {
      problems.add("access/identity-rule: payload-field needs payload-topics to say where the payload is checked");
    }
  }

  private static void kafkaTopic(String where, String topic, List<String> problems) {
    if (!topic.isEmpty() && (!KAFKA_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals(".."))) {
      problems.add(where + ": '" + topic + "' is not a valid Kafka topic name");
    }
  }
}
