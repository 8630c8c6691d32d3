package org.meshflow.bridge.configuration;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Binds publishers to the identity they claim. A client whose id matches {@code clientIdPattern}
 * claims that id; on mapped topics, a last topic level matching {@code topicLevelPattern} must be one
 * of its identities, and on topics matching {@code payloadTopics} the top-level length-delimited
 * protobuf field {@code payloadField} of the payload must be one too (0 turns the payload check off).
 */
public record IdentityRule(boolean enabled, Pattern clientIdPattern, Pattern topicLevelPattern, int payloadField,
    List<TopicFilter> payloadTopics) {
  public IdentityRule {
    payloadTopics = List.copyOf(payloadTopics);
  }
}
