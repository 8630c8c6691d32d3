package org.meshflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * What a running job holds: its state directory's size on disk; per RocksDB store the keys RocksDB
 * estimates ({@code estimate-num-keys}: memtable writes count until flushed, so an updated key counts
 * more than once) and the entries really there (read through interactive queries); and RocksDB's own
 * memory (memtables, table readers, block cache: off the Java heap). The RocksDB figures are the
 * properties Kafka Streams reports as metrics ({@code stream-state-metrics}, recording level INFO).
 */
record StateFootprint(long diskBytes, Map<String, Long> keysByStore, Map<String, Long> entriesByStore,
    long rocksDbMemoryBytes, long memtableBytes, long sstBytes) {
  private static final List<String> MEMORY = List.of("size-all-mem-tables", "estimate-table-readers-mem",
      "block-cache-usage");
  private static final String KEY_VALUE = "rocksdb-state-id";
  private static final String WINDOW = "rocksdb-window-state-id";

  static StateFootprint of(KafkaStreams streams, Path stateDir) {
    final var keys = new TreeMap<String, Long>();
    final var kinds = new TreeMap<String, String>();
    long memory = 0;
    long memtables = 0;
    long sst = 0;
    for (var metric : streams.metrics().entrySet()) {
      final var name = metric.getKey();
      if (!name.group().equals("stream-state-metrics") || !(metric.getValue().metricValue() instanceof Number n)) {
        continue;
      }
      final var store = name.tags().entrySet().stream().filter(t -> t.getKey().startsWith("rocksdb-")).findFirst();
      if (store.isEmpty()) {
        continue;
      }
      kinds.put(store.get().getValue(), store.get().getKey());
      if (name.name().equals("estimate-num-keys")) {
        keys.merge(store.get().getValue(), n.longValue(), Long::sum);
      } else if (MEMORY.contains(name.name())) {
        memory += n.longValue();
      }
      if (name.name().equals("cur-size-all-mem-tables")) {
        memtables += n.longValue();
      } else if (name.name().equals("total-sst-files-size")) {
        sst += n.longValue();
      }
    }
    final var entries = new TreeMap<String, Long>();
    kinds.forEach((store, kind) -> entries.put(store, entries(streams, store, kind)));
    return new StateFootprint(diskBytes(stateDir), keys, entries, memory, memtables, sst);
  }

  long keys() {
    return keysByStore.values().stream().mapToLong(Long::longValue).sum();
  }

  long entries() {
    return entriesByStore.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Entries of one store across this instance's tasks; -1 when the store cannot be read (not queryable). */
  private static long entries(KafkaStreams streams, String store, String kind) {
    long count = 0;
    try {
      if (kind.equals(KEY_VALUE)) {
        try (var all = streams.store(StoreQueryParameters.fromNameAndType(store,
            QueryableStoreTypes.<Object, Object>keyValueStore())).all()) {
          for (; all.hasNext(); all.next()) {
            count++;
          }
        }
      } else if (kind.equals(WINDOW)) {
        try (var all = streams.store(StoreQueryParameters.fromNameAndType(store,
            QueryableStoreTypes.<Object, Object>windowStore())).all()) {
          for (; all.hasNext(); all.next()) {
            count++;
          }
        }
      } else {
        return -1;
      }
    } catch (InvalidStateStoreException e) {
      return -1;
    }
    return count;
  }

  static long diskBytes(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> {
        try {
          return Files.size(file);
        } catch (IOException e) {
          return 0; // a RocksDB file compacted away while walking
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (UncheckedIOException e) {
      return diskBytes(dir); // a directory vanished while walking: walk again
    }
  }

  /** Heap in use after a full collection (whole JVM), in bytes. */
  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
