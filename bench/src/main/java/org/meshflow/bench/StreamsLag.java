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

  StreamsLag(String bootstrap) {
    admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
  }

  /** Lag of each job in {@link #JOBS}. */
  Map<String, Long> lag() throws Exception {
    final var lags = new HashMap<String, Long>();
    for (String group : JOBS) {
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
