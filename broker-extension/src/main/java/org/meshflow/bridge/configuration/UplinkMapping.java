package org.meshflow.bridge.configuration;

import java.util.List;

/** PUBLISHes on any of {@code topicFilters} are forwarded to {@code kafkaTopic}. */
public record UplinkMapping(String id, List<TopicFilter> topicFilters, String kafkaTopic, KeySource key,
    int maxPayloadBytes) {
  public UplinkMapping {
    topicFilters = List.copyOf(topicFilters);
  }

  public boolean matches(String topic) {
    return TopicFilter.anyMatches(topicFilters, topic);
  }
}
