package org.meshflow.jobs.dedup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Packet windows by the time they close: a key of close time (big-endian, so keys sort by time) and
 * store key, in a window store stamped with the same time. Closing a span of time is a range scan
 * over just the windows that close in it, and the store drops old entries by whole segments, so
 * nothing is ever deleted one by one.
 */
final class CloseIndex {
  private static final byte[] PRESENT = new byte[0];
  private final WindowStore<Bytes, byte[]> store;

  CloseIndex(WindowStore<Bytes, byte[]> store) {
    this.store = store;
  }

  void add(long closesAt, String storeKey) {
    final byte[] key = storeKey.getBytes(StandardCharsets.UTF_8);
    store.put(Bytes.wrap(ByteBuffer.allocate(Long.BYTES + key.length).putLong(closesAt).put(key).array()), PRESENT,
        closesAt);
  }

  /** Calls {@code window} with close time and store key for each window closing in {@code [from, to]}, in time order. */
  void closing(long from, long to, BiConsumer<Long, String> window) {
    final long start = Math.max(0, from);
    if (to < start) {
      return;
    }
    try (var entries = store.fetch(time(start), time(to + 1), start, to)) {
      while (entries.hasNext()) {
        final byte[] key = entries.next().key.key().get();
        window.accept(ByteBuffer.wrap(key).getLong(),
            new String(key, Long.BYTES, key.length - Long.BYTES, StandardCharsets.UTF_8));
      }
    }
  }

  /** A bound below every key of {@code time} and above every key of an earlier time. */
  private static Bytes time(long time) {
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(time).array());
  }
}
