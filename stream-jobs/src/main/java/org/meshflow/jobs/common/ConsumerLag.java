package org.meshflow.jobs.common;

import java.util.OptionalLong;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The input lag of a Kafka Streams app from its consumers' own {@code records-lag} metric: the end of
 * the partition (its last stable offset under exactly-once) less the consumer's position, measured at
 * each fetch. It is the figure Kafka Streams itself decides task idling by ({@code Consumer#currentLag}).
 * The topology is built before its {@link KafkaStreams}, so the app is attached with {@link #watch}.
 */
public final class ConsumerLag implements InputLag {
  private static final String GROUP = "consumer-fetch-manager-metrics";
  private static final String NAME = "records-lag";
  private volatile KafkaStreams streams;

  /** Reads the lag of {@code streams} from now on; returns it. */
  public KafkaStreams watch(KafkaStreams streams) {
    this.streams = streams;
    return streams;
  }

  @Override
  public OptionalLong of(String topic, int partition) {
    final KafkaStreams app = streams;
    if (app == null) {
      return OptionalLong.empty();
    }
    final String partitionTag = String.valueOf(partition);
    for (var entry : app.metrics().entrySet()) {
      final var name = entry.getKey();
      // a partition is assigned to one stream thread's main consumer; restore consumers read changelogs only
      if (name.name().equals(NAME) && name.group().equals(GROUP) && topic.equals(name.tags().get("topic"))
          && partitionTag.equals(name.tags().get("partition"))) {
        return lag(entry.getValue());
      }
    }
    return OptionalLong.empty();
  }

  private static OptionalLong lag(Metric metric) {
    final Object value = metric.metricValue();
    return value instanceof Number n && !Double.isNaN(n.doubleValue()) ? OptionalLong.of(n.longValue())
        : OptionalLong.empty();
  }
}
