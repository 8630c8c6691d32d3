package org.meshflow.jobs.state;

import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Keeps each record in a window store under its key at the time the fact happened (an outage's
 * start, an alert's time), so the store answers "this key between then and then" and forgets facts
 * older than its retention.
 */
final class WindowedFacts<V> implements Processor<String, V, Void, Void> {
  private final String storeName;
  private final Function<V, Instant> happenedAt;
  private WindowStore<String, V> store;

  WindowedFacts(String storeName, Function<V, Instant> happenedAt) {
    this.storeName = storeName;
    this.happenedAt = happenedAt;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, V> record) {
    if (record.key() == null || record.value() == null) {
      return;
    }
    final Instant at = happenedAt.apply(record.value());
    store.put(record.key(), record.value(), at == null ? record.timestamp() : at.toEpochMilli());
  }
}
