package org.meshflow.bridge.configuration;

import java.util.List;
import java.util.Objects;

/**
 * What clients with this role may do. A {@code privileged} role (admin, internal services) may
 * write under protected roots and is not bound by the identity rule.
 */
public record Role(String name, List<TopicFilter> publish, List<TopicFilter> subscribe, boolean privileged) {
  public Role {
    publish = List.copyOf(publish);
    subscribe = List.copyOf(subscribe);
  }

  /** This role for one client: permissions naming {@code {client-id}} bound to its id (or dropped, see TopicFilter). */
  public Role forClient(String clientId) {
    if (publish.stream().noneMatch(TopicFilter::perClient) && subscribe.stream().noneMatch(TopicFilter::perClient)) {
      return this;
    }
    return new Role(name, bind(publish, clientId), bind(subscribe, clientId), privileged);
  }

  private static List<TopicFilter> bind(List<TopicFilter> filters, String clientId) {
    return filters.stream().map(f -> f.forClient(clientId)).filter(Objects::nonNull).toList();
  }
}
