package org.meshflow.jobs.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/** The sink's meters: rows per table, batches, database errors, rejects, lag per partition, database up. */
final class SinkMetrics {
  private final MeterRegistry registry;
  private final Map<SinkTable, Counter> rows = new EnumMap<>(SinkTable.class);
  private final Counter batches;
  private final Counter databaseErrors;
  private final Counter rejected;
  private final Counter deleted;
  private final AtomicInteger databaseUp = new AtomicInteger();
  private final Map<TopicPartition, AtomicLong> lag = new ConcurrentHashMap<>();

  SinkMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (SinkTable table : SinkTable.values()) {
      rows.put(table, Counter.builder("meshflow.sink.rows").tag("table", table.sqlName())
          .description("Rows written (inserted or already present) per table").register(registry));
    }
    batches = Counter.builder("meshflow.sink.batches").description("Transactions committed").register(registry);
    databaseErrors = Counter.builder("meshflow.sink.database.errors")
        .description("Failed database calls (outages and rejected rows)").register(registry);
    rejected = Counter.builder("meshflow.sink.rejected").description("Records sent to the dead-letter topic")
        .register(registry);
    deleted = Counter.builder("meshflow.sink.retention.deleted").description("Rows removed by retention")
        .register(registry);
    Gauge.builder("meshflow.sink.database.up", databaseUp, AtomicInteger::get)
        .description("1 while the sink can write to PostgreSQL").register(registry);
  }

  void written(Map<SinkTable, Integer> counts) {
    counts.forEach((table, count) -> rows.get(table).increment(count));
    batches.increment();
  }

  void databaseError() {
    databaseErrors.increment();
  }

  void rejected(int count) {
    rejected.increment(count);
  }

  void deleted(long count) {
    deleted.increment(count);
  }

  void databaseUp(boolean up) {
    databaseUp.set(up ? 1 : 0);
  }

  /** Records still to be written in a partition, as the consumer last saw it. */
  void lag(TopicPartition partition, long records) {
    lag.computeIfAbsent(partition, p -> {
      final var value = new AtomicLong();
      Gauge.builder("meshflow.sink.lag", value, AtomicLong::get).tag("topic", p.topic())
          .tag("partition", String.valueOf(p.partition())).description("Records not yet written, per input partition")
          .baseUnit("records").register(registry);
      return value;
    }).set(records);
  }
}
