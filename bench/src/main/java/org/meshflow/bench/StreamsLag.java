package org.meshflow.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Records the stream jobs have not committed yet, per job (consumer group), from Kafka's offsets. */
final class StreamsLag implements AutoCloseable {
  static final List<String> JOBS = List.of("meshflow-decode", "meshflow-dedup", "meshflow-health");

  private final Admin admin;
  private final List<String> groups;

  StreamsLag(String bootstrap) {
    this(bootstrap, JOBS);
  }

  /** @param groups the jobs' consumer groups (application ids) */
  StreamsLag(String bootstrap, List<String> groups) {
    admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    this.groups = List.copyOf(groups);
  }

  /** Lag of each job (consumer group). */
  Map<String, Long> lag() throws Exception {
    final var lags = new HashMap<String, Long>();
    for (String group : groups) {
      final Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      final var request = new HashMap<TopicPartition, OffsetSpec>();
      committed.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
      final var ends = admin.listOffsets(request).all().get();
      long lag = 0;
      for (var entry : committed.entrySet()) {
        if (entry.getValue() != null) {
          lag += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
        }
      }
      lags.put(group, lag);
    }
    return lags;
  }

  @Override
  public void close() {
    admin.close();
  }
}
