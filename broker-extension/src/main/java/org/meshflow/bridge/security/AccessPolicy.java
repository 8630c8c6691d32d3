package org.meshflow.bridge.security;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;
import org.meshflow.bridge.configuration.AccessSettings;
import org.meshflow.bridge.configuration.Role;
import org.meshflow.bridge.configuration.TopicFilter;

/**
 * Decides whether a client may publish a message: role permissions, protected roots, identity rule.
 * Under a protected root a non-privileged role may publish only the topics its permissions name
 * exactly, without wildcards (Home Assistant's {@code homeassistant/status}, say). Permissions naming
 * {@code {client-id}} hold for the publishing client's own id only.
 */
public final class AccessPolicy {
  private final AccessSettings settings;

  public AccessPolicy(AccessSettings settings) {
    this.settings = settings;
  }

  /** Null when the PUBLISH is allowed; otherwise why not. {@code mapped}: the topic is forwarded to Kafka. */
  public Rejection check(Principal principal, String clientId, String topic, ByteBuffer payload, boolean mapped) {
    if (principal.privileged()) {
      return null;
    }
    final List<Role> roles = principal.roles().stream().map(r -> r.forClient(clientId)).toList();
    for (final var root : settings.protectedRoots()) {
      if ((topic.startsWith(root) || (root.endsWith("/") && topic.equals(root.substring(0, root.length() - 1))))
          && !namedExactly(roles, topic)) {
        return new Rejection(RejectCause.PROTECTED_ROOT, "topics under " + root + " are reserved");
      }
    }
    if (!permitted(roles, topic)) {
      return new Rejection(RejectCause.NOT_PERMITTED, "no permission to publish to " + topic);
    }
    return mapped ? identity(principal, clientId, topic, payload) : null;
  }

  /**
   * Null when every configured identity property of the PUBLISH names the publishing client;
   * otherwise why not. {@code values} gives a user property's values by name.
   */
  public Rejection checkProperties(Principal principal, String clientId, String topic,
      Function<String, List<String>> values) {
    if (principal.privileged()) {
      return null;
    }
    for (final var property : settings.identityProperties()) {
      if (TopicFilter.anyMatches(property.topics(), topic)) {
        for (final var value : values.apply(property.name())) {
          if (!value.equals(clientId)) {
            return new Rejection(RejectCause.IDENTITY_PROPERTY,
                "user property " + property.name() + " names " + value + ", not this client");
          }
        }
      }
    }
    return null;
  }

  private static boolean permitted(List<Role> roles, String topic) {
    for (final var role : roles) {
      if (TopicFilter.anyMatches(role.publish(), topic)) {
        return true;
      }
    }
    return false;
  }

  private static boolean namedExactly(List<Role> roles, String topic) {
    return roles.stream().flatMap(r -> r.publish().stream())
        .anyMatch(f -> f.exact() && f.filter().equals(topic));
  }

  private Rejection identity(Principal principal, String clientId, String topic, ByteBuffer payload) {
    final var rule = settings.identity();
    if (!rule.enabled()) {
      return null;
    }
    final var identities = new HashSet<>(principal.identities());
    if (rule.clientIdPattern().matcher(clientId).matches()) {
      identities.add(clientId);
    }
    if (rule.topicLevelPattern() != null) {
      final var lastLevel = topic.substring(topic.lastIndexOf('/') + 1);
      if (rule.topicLevelPattern().matcher(lastLevel).matches() && !identities.contains(lastLevel)) {
        return new Rejection(RejectCause.IDENTITY_TOPIC, "topic names " + lastLevel + ", not this client");
      }
    }
    if (rule.payloadField() > 0 && TopicFilter.anyMatches(rule.payloadTopics(), topic)) {
      final String claimed;
      try {
        claimed = ProtobufField.string(payload, rule.payloadField());
      } catch (IllegalArgumentException e) {
        return new Rejection(RejectCause.PAYLOAD_FORMAT, "payload is not a valid message: " + e.getMessage());
      }
      if (claimed == null) {
        return new Rejection(RejectCause.PAYLOAD_FORMAT, "payload carries no identity (field " + rule.payloadField() + ")");
      }
      if (!identities.contains(claimed)) {
        return new Rejection(RejectCause.IDENTITY_PAYLOAD, "payload names " + claimed + ", not this client");
      }
    }
    return null;
  }
}
