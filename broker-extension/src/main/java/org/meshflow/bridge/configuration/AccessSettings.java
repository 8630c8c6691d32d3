package org.meshflow.bridge.configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may connect and what they may publish or subscribe to.
 *
 * @param credentialsFile users with salted password hashes and roles; null when only anonymous clients are allowed
 * @param protectedRoots topic prefixes only privileged roles may publish under
 * @param credentialsReload how often the credentials file is checked for changes; zero: never
 * @param identityProperties user properties that must name the publishing client
 */
public record AccessSettings(boolean allowAnonymous, Set<String> anonymousRoles, Path credentialsFile,
    Duration credentialsReload, Map<String, Role> roles, List<String> protectedRoots, IdentityRule identity,
    List<IdentityProperty> identityProperties) {
  public AccessSettings {
    anonymousRoles = Set.copyOf(anonymousRoles);
    roles = Map.copyOf(roles);
    protectedRoots = List.copyOf(protectedRoots);
    identityProperties = List.copyOf(identityProperties);
  }
}
