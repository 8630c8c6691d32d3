package org.meshflow.jobs.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The input positions kept in PostgreSQL next to the rows, written in the same transaction. They are
 * the truth the sink resumes from; Kafka's committed offsets follow them for tools and lag monitors.
 */
final class SinkOffsets {
  private final String group;

  SinkOffsets(String group) {
    this.group = group;
  }

  void store(Connection connection, Map<TopicPartition, OffsetAndMetadata> next) throws SQLException {
    try (var statement = connection.prepareStatement("""
        INSERT INTO sink_offsets (consumer_group, topic, kafka_partition, next_offset) VALUES (?,?,?,?)
        ON CONFLICT (consumer_group, topic, kafka_partition) DO UPDATE SET next_offset = EXCLUDED.next_offset""")) {
      for (var entry : next.entrySet()) {
        statement.setString(1, group);
        statement.setString(2, entry.getKey().topic());
        statement.setInt(3, entry.getKey().partition());
        statement.setLong(4, entry.getValue().offset());
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** Stored positions of those of {@code partitions} the sink has written before. */
  Map<TopicPartition, Long> read(Connection connection, Collection<TopicPartition> partitions) throws SQLException {
    final var stored = new HashMap<TopicPartition, Long>();
    try (var statement = connection.prepareStatement(
        "SELECT topic, kafka_partition, next_offset FROM sink_offsets WHERE consumer_group = ?")) {
      statement.setString(1, group);
      try (var rows = statement.executeQuery()) {
        while (rows.next()) {
          final var partition = new TopicPartition(rows.getString(1), rows.getInt(2));
          if (partitions.contains(partition)) {
            stored.put(partition, rows.getLong(3));
          }
        }
      }
    } finally {
      connection.rollback();
    }
    return stored;
  }
}
