package org.meshflow.launcher.run;

import java.util.List;
import java.util.Map;

/** The topics of the pipeline with their settings, created at start when missing. */
final class MeshTopics {
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

  private static Spec plain(String name) {
    return new Spec(name, false, Map.of("retention.ms", String.valueOf(30L * 24 * 3600 * 1000)));
  }

  private static Spec compacted(String name) {
    return new Spec(name, true, Map.of("cleanup.policy", "compact"));
  }
}
