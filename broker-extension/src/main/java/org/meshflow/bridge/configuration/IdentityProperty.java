package org.meshflow.bridge.configuration;

import java.util.List;

/**
 * A user property that names its sender: on topics matching {@code topics}, every value of the MQTT 5
 * user property {@code name} in a non-privileged client's PUBLISH must be that client's id. A protocol
 * that trusts such a property (a server learning who an initialize came from, say) can then rely on it.
 */
public record IdentityProperty(String name, List<TopicFilter> topics) {
  public IdentityProperty {
    topics = List.copyOf(topics);
  }
}
