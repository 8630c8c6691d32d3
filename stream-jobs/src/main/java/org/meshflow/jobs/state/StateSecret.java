package org.meshflow.jobs.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The secret the instances of one application id show each other when they ask for state
 * ({@code Authorization: Bearer <secret>} on {@link StateEndpoint}). Without one the endpoint answers
 * anyone who reaches it, which the launcher allows only on a loopback address. Never printed.
 */
public final class StateSecret {
  /** No secret: the endpoint is open. */
  public static final StateSecret NONE = new StateSecret(null);
  private static final String BEARER = "Bearer ";

  private final byte[] secret;

  private StateSecret(byte[] secret) {
    this.secret = secret;
  }

  /** @param secret null or blank for {@link #NONE} */
  public static StateSecret of(String secret) {
    return secret == null || secret.isBlank() ? NONE : new StateSecret(secret.strip().getBytes(StandardCharsets.UTF_8));
  }

  public boolean isSet() {
    return secret != null;
  }

  /** Whether a request with this {@code Authorization} header (null when absent) may read the state. */
  boolean admits(String authorization) {
    if (secret == null) {
      return true;
    }
    if (authorization == null || !authorization.startsWith(BEARER)) {
      return false;
    }
    // the same time for every wrong secret of a length
    return MessageDigest.isEqual(secret, authorization.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8));
  }

  /** The {@code Authorization} header a question carries, if any. */
  Optional<String> authorization() {
    return secret == null ? Optional.empty() : Optional.of(BEARER + new String(secret, StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return secret == null ? "no state secret" : "a state secret (not shown)";
  }
}
