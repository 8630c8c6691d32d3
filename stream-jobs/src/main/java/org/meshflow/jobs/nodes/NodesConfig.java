package org.meshflow.jobs.nodes;

import java.time.Duration;
import java.util.Map;
import org.meshflow.jobs.common.Settings;

/**
 * Settings of the node state job.
 *
 * @param maxDirectGateways how many gateways that hear a node directly are kept (most recent first)
 * @param directHearingMaxAge a gateway that has not heard the node directly for this long is dropped
 * @param publishInterval a node whose only news is another reception is republished at most this often
 */
public record NodesConfig(String receptionsTopic, String nodesTopic, String dlqTopic, int maxDirectGateways,
    Duration directHearingMaxAge, Duration publishInterval) {

  public NodesConfig {
    new Settings.Checks("nodes").topic("receptions-topic", receptionsTopic).topic("nodes-topic", nodesTopic)
        .topic("dlq-topic", dlqTopic).atLeast("max-direct-gateways", maxDirectGateways, 1)
        .positive("direct-hearing-max-age", directHearingMaxAge).positive("publish-interval", publishInterval)
        .validate();
  }

  public static NodesConfig defaults() {
    return from(Map.of());
  }

  /** Reads {@code nodes.*} keys; missing keys take their defaults. */
  public static NodesConfig from(Map<String, String> values) {
    final var s = new Settings("nodes", values);
    return s.build(() -> new NodesConfig(s.string("receptions-topic", "mesh.receptions.v1"),
        s.string("nodes-topic", "mesh.nodes.v1"), s.string("dlq-topic", "mesh.dlq.v1"),
        s.integer("max-direct-gateways", 10), s.duration("direct-hearing-max-age", Duration.ofDays(7)),
        s.duration("publish-interval", Duration.ofMinutes(1))));
  }
}
