package org.meshflow.jobs.state;

import java.time.Duration;
import java.util.Map;
import org.meshflow.jobs.common.Settings;

/**
 * Settings of the state job, which keeps what the MCP tools answer from and no other job stores:
 * outages, alerts and final heard-by lists, each for a bounded time.
 *
 * @param outageRetention outages that started longer ago are forgotten
 * @param alertRetention alerts older than this are forgotten
 * @param heardByRetention heard-by lists of packets first heard longer ago are forgotten
 * @param queryTimeout with several instances, how long one may take to answer another's question
 * @param secret with several instances, what they show each other when they ask ({@code state.secret})
 */
public record MeshStateConfig(String outagesTopic, String alertsTopic, String heardByTopic, String dlqTopic,
    Duration outageRetention, Duration alertRetention, Duration heardByRetention, Duration queryTimeout,
    StateSecret secret) {

  public MeshStateConfig {
    new Settings.Checks("state").topic("outages-topic", outagesTopic).topic("alerts-topic", alertsTopic)
        .topic("heard-by-topic", heardByTopic).topic("dlq-topic", dlqTopic)
        .positive("outage-retention", outageRetention).positive("alert-retention", alertRetention)
        .positive("heard-by-retention", heardByRetention).positive("query-timeout", queryTimeout).validate();
  }

  public static MeshStateConfig defaults() {
    return from(Map.of());
  }

  /** Reads {@code state.*} keys (e.g. {@code state.alert-retention=7d}); missing keys take their defaults. */
  public static MeshStateConfig from(Map<String, String> values) {
    final var s = new Settings("state", values);
    return s.build(() -> new MeshStateConfig(s.string("outages-topic", "mesh.router-outages.v1"),
        s.string("alerts-topic", "mesh.alerts.v1"), s.string("heard-by-topic", "mesh.heard-by.v1"),
        s.string("dlq-topic", "mesh.dlq.v1"), s.duration("outage-retention", Duration.ofDays(30)),
        s.duration("alert-retention", Duration.ofDays(7)), s.duration("heard-by-retention", Duration.ofDays(1)),
        s.duration("query-timeout", Duration.ofSeconds(10)), StateSecret.of(s.string("secret", null))));
  }
}
