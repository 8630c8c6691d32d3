package org.meshflow.bridge.security;

import java.util.Set;

/**
 * One entry of the credentials file.
 *
 * @param identities ids this user may publish as under the identity rule, besides a client id that
 *     itself looks like an identity
 */
public record User(String name, String passwordHash, Set<String> roles, Set<String> identities) {
  public User {
    roles = Set.copyOf(roles);
    identities = Set.copyOf(identities);
  }
}
