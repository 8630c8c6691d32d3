package org.meshflow.jobs.health;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.meshflow.jobs.common.Settings;

/**
 * Settings of the router health job.
 *
 * @param offlineGrace a router disconnected this long raises ROUTER_OFFLINE; shorter blips are outages without alerts
 * @param silenceThreshold a connected router that uplinks nothing this long is SILENT
 * @param flappingOutages this many outages within {@code flappingWindow} raise ROUTER_FLAPPING
 * @param routerIds client ids that are routers
 * @param checkInterval how often grace and silence are checked (wall clock)
 * @param idleAfter after this long without input the wall clock, not stream time, is "now"
 * @param statusRefresh uplinks refresh a router's status record at most this often
 * @param maxFutureSkew an event stamped this far ahead of the job's clock goes to the DLQ
 */
public record HealthConfig(String sessionsTopic, String uplinksTopic, String legacyStatusTopic, String statusTopic,
    String outagesTopic, String alertsTopic, String dlqTopic, Duration offlineGrace, Duration silenceThreshold,
    int flappingOutages, Duration flappingWindow, Pattern routerIds, Duration checkInterval, Duration idleAfter,
    Duration statusRefresh, Duration maxFutureSkew) {

  public HealthConfig {
    new Settings.Checks("health").topic("sessions-topic", sessionsTopic).topic("uplinks-topic", uplinksTopic)
        .topic("legacy-status-topic", legacyStatusTopic).topic("status-topic", statusTopic)
        .topic("outages-topic", outagesTopic).topic("alerts-topic", alertsTopic).topic("dlq-topic", dlqTopic)
        .positive("offline-grace", offlineGrace).positive("silence-threshold", silenceThreshold)
        .atLeast("flapping-outages", flappingOutages, 2).positive("flapping-window", flappingWindow)
        .that(routerIds != null, "router-ids must be a regular expression")
        .positive("check-interval", checkInterval).positive("idle-after", idleAfter)
        .positive("status-refresh", statusRefresh).positive("max-future-skew", maxFutureSkew)
        .validate();
  }

  public static HealthConfig defaults() {
    return from(Map.of());
  }

  /** Reads {@code health.*} keys (e.g. {@code health.offline-grace=2m}); missing keys take their defaults. */
  public static HealthConfig from(Map<String, String> values) {
    final var s = new Settings("health", values);
    return s.build(() -> new HealthConfig(s.string("sessions-topic", "mesh.sessions.v1"),
        s.string("uplinks-topic", "mesh.uplink.v1"), s.string("legacy-status-topic", "mesh.legacy-status.v1"),
        s.string("status-topic", "mesh.router-status.v1"), s.string("outages-topic", "mesh.router-outages.v1"),
        s.string("alerts-topic", "mesh.alerts.v1"), s.string("dlq-topic", "mesh.dlq.v1"),
        s.duration("offline-grace", Duration.ofMinutes(2)), s.duration("silence-threshold", Duration.ofMinutes(30)),
        s.integer("flapping-outages", 5), s.duration("flapping-window", Duration.ofHours(1)),
        s.pattern("router-ids", "![0-9a-f]{8}"), s.duration("check-interval", Duration.ofSeconds(5)),
        s.duration("idle-after", Duration.ofSeconds(10)), s.duration("status-refresh", Duration.ofMinutes(1)),
        s.duration("max-future-skew", Duration.ofMinutes(5))));
  }

  public boolean isRouter(String clientId) {
    return clientId != null && routerIds.matcher(clientId).matches();
  }
}
