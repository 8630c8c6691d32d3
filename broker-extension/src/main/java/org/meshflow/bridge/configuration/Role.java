package org.meshflow.bridge.configuration;

import java.util.List;

/**
 * What clients with this role may do. A {@code privileged} role (admin, internal services) may
 * write under protected roots and is not bound by the identity rule.
 */
public record Role(String name, List<TopicFilter> publish, List<TopicFilter> subscribe, boolean privileged) {
  public Role {
    publish = List.copyOf(publish);
    subscribe = List.copyOf(subscribe);
  }
}
