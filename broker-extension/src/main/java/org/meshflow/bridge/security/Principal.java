package org.meshflow.bridge.security;

import java.util.List;
import java.util.Set;
import org.meshflow.bridge.configuration.Role;

/** Who a connected client is: its user (null when anonymous), roles and the identities it may claim. */
public record Principal(String username, List<Role> roles, Set<String> identities) {
  public Principal {
    roles = List.copyOf(roles);
    identities = Set.copyOf(identities);
  }

  public boolean privileged() {
    for (final var role : roles) {
      if (role.privileged()) {
        return true;
      }
    }
    return false;
  }
}
