package org.meshflow.bridge.configuration;

import java.util.List;

/**
 * An MQTT topic filter with the single-level {@code +} and multi-level {@code #} wildcards. In a role's
 * permissions a level may be {@value #CLIENT_ID}: the connecting client's own id (see {@link #forClient}).
 */
public final class TopicFilter {
  public static final String CLIENT_ID = "{client-id}";

  private final String filter;
  private final String[] levels;

  private TopicFilter(String filter) {
    this.filter = filter;
    this.levels = filter.split("/", -1);
  }

  public static TopicFilter of(String filter) {
    final var problem = problem(filter);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new TopicFilter(filter);
  }

  /** Why {@code filter} is not a valid MQTT topic filter, or null when it is. */
  public static String problem(String filter) {
    if (filter == null || filter.isEmpty()) {
      return "topic filter is empty";
    }
    final var levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      final var level = levels[i];
      if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
        return "topic filter '" + filter + "': '#' must be a whole last level";
      }
      if (level.contains("+") && !level.equals("+")) {
        return "topic filter '" + filter + "': '+' must be a whole level";
      }
      if (level.contains(CLIENT_ID) && !level.equals(CLIENT_ID)) {
        return "topic filter '" + filter + "': '" + CLIENT_ID + "' must be a whole level";
      }
    }
    return null;
  }

  /** Whether {@code topic} matches; walks the topic in place (this runs for every PUBLISH). */
  public boolean matches(String topic) {
    int start = 0;  // of the topic's level i; -1 once the topic has no more levels
    for (int i = 0; i < levels.length; i++) {
      final var level = levels[i];
      if (level.equals("#")) {
        return !(i == 0 && topic.startsWith("$"));
      }
      if (start < 0) {
        return false;
      }
      final int slash = topic.indexOf('/', start);
      final int end = slash < 0 ? topic.length() : slash;
      if (level.equals("+")) {
        if (i == 0 && topic.startsWith("$")) {
          return false;
        }
      } else if (end - start != level.length() || !topic.startsWith(level, start)) {
        return false;
      }
      start = slash < 0 ? -1 : slash + 1;
    }
    return start < 0;
  }

  /** Whether a level of this filter stands for the client's id. */
  public boolean perClient() {
    return filter.contains(CLIENT_ID);
  }

  /**
   * This filter for one client: {@value #CLIENT_ID} levels replaced by its id. Null when the id cannot
   * stand in a topic level (empty, or with '/', '+' or '#', which would widen the filter): then the
   * permission is not granted at all.
   */
  public TopicFilter forClient(String clientId) {
    if (!perClient()) {
      return this;
    }
    if (clientId == null || clientId.isEmpty() || clientId.contains("/") || clientId.contains("+")
        || clientId.contains("#")) {
      return null;
    }
    return new TopicFilter(filter.replace(CLIENT_ID, clientId));
  }

  /** Whether this filter names exactly one topic (no wildcards). */
  public boolean exact() {
    return !filter.contains("+") && !filter.contains("#");
  }

  public static boolean anyMatches(List<TopicFilter> filters, String topic) {
    for (final var filter : filters) {
      if (filter.matches(topic)) {
        return true;
      }
    }
    return false;
  }

  public String filter() {
    return filter;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopicFilter other && other.filter.equals(filter);
  }

  @Override
  public int hashCode() {
    return filter.hashCode();
  }

  @Override
  public String toString() {
    return filter;
  }
}
