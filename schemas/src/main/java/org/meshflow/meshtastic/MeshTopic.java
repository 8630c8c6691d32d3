package org.meshflow.meshtastic;

import java.util.Optional;

/**
 * A parsed Meshtastic MQTT topic: {@code <root>/2/<kind>/...}. The root is everything before
 * {@code /2/} and may have any number of levels ({@code msh/US/KS/KC}).
 *
 * @param root topic root, e.g. {@code msh/US}
 * @param kind what the topic carries
 * @param channel channel segment of {@code e}, {@code c} and {@code json} topics; null otherwise or when absent
 * @param gateway gateway segment ({@code !xxxxxxxx}) of {@code e}, {@code c}, {@code json} and {@code stat}
 *     topics; null otherwise or when absent
 */
public record MeshTopic(String root, Kind kind, String channel, String gateway) {

  /** The topic families under {@code /2/}. */
  public enum Kind {
    /** {@code /2/e/<channel>/<gateway>}: protobuf ServiceEnvelope (firmware 2.3+). */
    ENVELOPE("e"),
    /** {@code /2/c/<channel>/<gateway>}: the same, before firmware 2.3. */
    LEGACY_ENVELOPE("c"),
    /** {@code /2/map/}: map reports (ServiceEnvelope without gateway in the topic). */
    MAP("map"),
    /** {@code /2/json/<channel>/<gateway>}: the 2.7.x JSON mirror. */
    JSON("json"),
    /** {@code /2/stat/<gateway>}: online/offline of firmware older than 2.4.1. */
    STAT("stat");

    private final String segment;

    Kind(String segment) {
      this.segment = segment;
    }

    static Optional<Kind> ofSegment(String segment) {
      for (Kind kind : values()) {
        if (kind.segment.equals(segment)) {
          return Optional.of(kind);
        }
      }
      return Optional.empty();
    }

    public boolean carriesEnvelope() {
      return this == ENVELOPE || this == LEGACY_ENVELOPE || this == MAP;
    }
  }

  private static final String MARK = "/2/";
  /** Firmware topics are a few dozen characters; the cap keeps parsing cheap on hostile input. */
  static final int MAX_LENGTH = 1024;

  /** The topic's parts, or empty when it is not a Meshtastic topic (no {@code /2/<known kind>}). */
  public static Optional<MeshTopic> parse(String topic) {
    if (topic == null || topic.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    for (int at = topic.indexOf(MARK); at >= 0; at = topic.indexOf(MARK, at + 1)) {
      final String[] rest = topic.substring(at + MARK.length()).split("/", -1);
      final Optional<Kind> kind = Kind.ofSegment(rest[0]);
      final Optional<MeshTopic> parsed = at > 0 && kind.isPresent()
          ? of(topic.substring(0, at), kind.get(), rest)
          : Optional.empty();
      if (parsed.isPresent()) {
        return parsed;
      }
    }
    return Optional.empty();
  }

  private static Optional<MeshTopic> of(String root, Kind kind, String[] rest) {
    return switch (kind) {
      case ENVELOPE, LEGACY_ENVELOPE, JSON -> rest.length > 3
          ? Optional.empty()
          : Optional.of(new MeshTopic(root, kind, segment(rest, 1), segment(rest, 2)));
      case MAP -> rest.length > 2 || (rest.length == 2 && !rest[1].isEmpty())
          ? Optional.empty()
          : Optional.of(new MeshTopic(root, kind, null, null));
      case STAT -> rest.length > 2 ? Optional.empty() : Optional.of(new MeshTopic(root, kind, null, segment(rest, 1)));
    };
  }

  private static String segment(String[] parts, int index) {
    return index < parts.length && !parts[index].isEmpty() ? parts[index] : null;
  }

  /** Why {@link #parse} refused a topic, for a rejection message. */
  public static String whyNot(String topic) {
    if (topic != null && topic.length() > MAX_LENGTH) {
      return "topic is " + topic.length() + " characters long; Meshtastic topics are at most " + MAX_LENGTH;
    }
    if (topic == null || !topic.contains(MARK)) {
      return "topic '" + topic + "' is not a Meshtastic topic (expected <root>/2/e/<channel>/<gateway>)";
    }
    return "topic '" + topic + "' has no known Meshtastic layout after /2/ (e, c, map, json or stat)";
  }
}
