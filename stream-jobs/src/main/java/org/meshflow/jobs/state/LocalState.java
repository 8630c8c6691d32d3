package org.meshflow.jobs.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.meshflow.records.Alert;

/** Answers {@link StateQuestion}s from the stores of this process: the partitions it holds, or one of them. */
final class LocalState {
  static final Comparator<Alert> NEWEST_FIRST = Comparator.comparing(Alert::getAt).reversed()
      .thenComparing(Alert::getAlertId);
  private static final Instant FAR_FUTURE = Instant.parse("9999-01-01T00:00:00Z");

  private final Function<String, KafkaStreams> jobs;

  LocalState(Function<String, KafkaStreams> jobs) {
    this.jobs = jobs;
  }

  List<SpecificRecord> answer(StateQuestion q) {
    final var found = new ArrayList<SpecificRecord>();
    switch (q.kind()) {
      case ROUTERS -> {
        try (KeyValueIterator<String, SpecificRecord> all = keyValue(q).all()) {
          all.forEachRemaining(entry -> found.add(entry.value));
        }
      }
      case ROUTER, NODE -> {
        final SpecificRecord value = keyValue(q).get(q.key());
        if (value != null) {
          found.add(value);
        }
      }
      case OUTAGES -> collect(window(q).fetch(q.key(), millis(q, "from", Instant.EPOCH), millis(q, "to", FAR_FUTURE)),
          found);
      case HEARD_BY -> collect(window(q).fetch(q.key(), Instant.EPOCH, FAR_FUTURE), found);
      case ALERTS -> {
        final ReadOnlyWindowStore<String, SpecificRecord> store = window(q);
        if (q.key() == null) {
          try (var all = store.all()) {
            all.forEachRemaining(entry -> found.add(entry.value));
          }
        } else {
          collect(store.fetch(q.key(), Instant.EPOCH, FAR_FUTURE), found);
        }
        found.sort(Comparator.comparing(a -> (Alert) a, NEWEST_FIRST));
        final int limit = Integer.parseInt(q.args().getOrDefault("limit", String.valueOf(Integer.MAX_VALUE)));
        return new ArrayList<>(found.subList(0, Math.min(limit, found.size())));
      }
    }
    return found;
  }

  private static void collect(WindowStoreIterator<SpecificRecord> values, List<SpecificRecord> into) {
    try (values) {
      values.forEachRemaining(entry -> into.add(entry.value));
    }
  }

  private static Instant millis(StateQuestion q, String arg, Instant fallback) {
    final String value = q.arg(arg);
    return value == null ? fallback : Instant.ofEpochMilli(Long.parseLong(value));
  }

  private ReadOnlyKeyValueStore<String, SpecificRecord> keyValue(StateQuestion q) {
    return store(q, QueryableStoreTypes.keyValueStore());
  }

  private ReadOnlyWindowStore<String, SpecificRecord> window(StateQuestion q) {
    return store(q, QueryableStoreTypes.windowStore());
  }

  private <T> T store(StateQuestion q, QueryableStoreType<T> type) {
    final String job = q.kind().job;
    final KafkaStreams streams = jobs.apply(job);
    if (streams == null) {
      throw new StateUnavailableException("the " + job + " job is not running in this process");
    }
    var parameters = StoreQueryParameters.fromNameAndType(q.kind().store, type);
    if (q.partition() != null) {
      parameters = parameters.withPartition(q.partition());
    }
    try {
      return streams.store(parameters);
    } catch (InvalidStateStoreException e) {
      throw new StateUnavailableException("the " + job + " job's state is not ready here (starting, or partitions "
          + "moving between instances); try again shortly");
    }
  }
}
