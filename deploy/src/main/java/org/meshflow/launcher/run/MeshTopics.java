package org.meshflow.launcher.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.meshflow.launcher.UsageException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics of the pipeline with their settings, created at start when missing. Existing topics are
 * never changed: partitions and retention of a running cluster are the operator's.
 */
public final class MeshTopics {
  record Spec(String name, boolean compacted, Map<String, String> configs) {}

  private MeshTopics() {}

  static List<Spec> all() {
    return List.of(
        plain("mesh.uplink.v1"),
        plain("mesh.sessions.v1"),
        plain("mesh.receptions.v1"),
        plain("mesh.legacy-status.v1"),
        plain("mesh.packets.v1"),
        plain("mesh.heard-by.v1"),
        compacted("mesh.router-status.v1"),
        plain("mesh.router-outages.v1"),
        plain("mesh.alerts.v1"),
        compacted("mesh.nodes.v1"),
        plain("mesh.dlq.v1"),
        plain("mesh.gateway-duplicates.v1"),
        plain("mesh.mqtt-events.v1"),
        compacted("mesh.mqtt-retained.v1"));
  }

  /**
   * Creates the missing topics with {@code partitions} partitions and {@code replicas} replicas each.
   * Another instance creating the same topic at the same moment is fine.
   */
  public static void createMissing(String bootstrap, int partitions, short replicas, Lifecycle lifecycle)
      throws InterruptedException {
    createMissing(new KafkaClientSettings(bootstrap, Map.of()), partitions, replicas, lifecycle);
  }

  /** As {@link #createMissing(String, int, short, Lifecycle)}, with the component's client settings (TLS, SASL). */
  public static void createMissing(KafkaClientSettings kafka, int partitions, short replicas, Lifecycle lifecycle)
      throws InterruptedException {
    final Admin client;
    try {
      client = Admin.create(kafka.admin());
    } catch (KafkaException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new UsageException("the kafka.* settings do not make a Kafka client: " + cause.getMessage());
    }
    try (var admin = client) {
      final Set<String> existing = admin.listTopics().names().get();
      final var missing = all().stream().filter(t -> !existing.contains(t.name()))
          .map(t -> new NewTopic(t.name(), partitions, replicas).configs(new HashMap<>(t.configs()))).toList();
      if (missing.isEmpty()) {
        return;
      }
      int created = 0;
      for (var result : admin.createTopics(missing).values().values()) {
        try {
          result.get();
          created++;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      lifecycle.progress("created %d topics (%d partitions, %d replicas each)", created, partitions, replicas);
    } catch (ExecutionException e) {
      final String replication = e.getCause() instanceof InvalidReplicationFactorException
          ? " with " + replicas + " replicas each (--replication-factor)" : "";
      throw new IllegalStateException("cannot create the Kafka topics at " + kafka.bootstrap() + replication + ": "
          + e.getCause().getMessage(), e);
    }
  }

  private static Spec plain(String name) {
    return new Spec(name, false, Map.of("retention.ms", String.valueOf(30L * 24 * 3600 * 1000)));
  }

  private static Spec compacted(String name) {
    return new Spec(name, true, Map.of("cleanup.policy", "compact"));
  }
}
