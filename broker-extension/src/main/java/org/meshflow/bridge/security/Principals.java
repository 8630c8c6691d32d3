package org.meshflow.bridge.security;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.meshflow.bridge.configuration.AccessSettings;

/** Turns a user name (or none, for an anonymous client) into its roles and identities. */
public final class Principals {
  private final AccessSettings access;
  private volatile Known known;
  private final Principal anonymous;

  /** The users, and the principals made of them so far (a client's principal is looked up for every PUBLISH). */
  private record Known(Map<String, User> users, Map<String, Principal> principals) {
    Known(Map<String, User> users) {
      this(Map.copyOf(users), new ConcurrentHashMap<>());
    }
  }

  public Principals(AccessSettings access, Map<String, User> users) {
    this.access = access;
    this.known = new Known(users);
    this.anonymous = new Principal(null,
        access.anonymousRoles().stream().map(r -> access.roles().get(r)).toList(), Set.of());
  }

  /** The users of a credentials file read again; connections from now on are checked against them. */
  public void replaceUsers(Map<String, User> newUsers) {
    known = new Known(newUsers);
  }

  public boolean allowAnonymous() {
    return access.allowAnonymous();
  }

  /** The user if {@code password} is theirs. */
  public Optional<Principal> authenticate(String username, char[] password) {
    final var user = known.users().get(username);
    if (user == null || !PasswordHasher.verify(password, user.passwordHash())) {
      return Optional.empty();
    }
    return Optional.of(principalOf(user));
  }

  /** The principal of a connection: its user's, or the anonymous one when {@code username} is null. */
  public Principal resolve(String username) {
    if (username == null) {
      return anonymous;
    }
    final var current = known;
    final var user = current.users().get(username);
    return user == null ? anonymous : current.principals().computeIfAbsent(username, u -> principalOf(user));
  }

  private Principal principalOf(User user) {
    return new Principal(user.name(), user.roles().stream().map(r -> access.roles().get(r)).toList(),
        user.identities());
  }
}
