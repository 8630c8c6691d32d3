package org.meshflow.jobs.dedup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Packet windows by the time they close: a key of close time (big-endian, so keys sort by time) and
 * store key, in a window store stamped with the same time. Closing a span of time is a range scan
 * over just the windows that close in it, and the store drops old entries by whole segments, so
 * nothing is ever deleted one by one.
 *
 * <p>Two stores, because a window store keeps everything for one retention behind the latest stamp:
 * packet windows close a window after their first copy, map-report windows at the end of their bucket
 * (an hour by default). In one store, the map reports' stamps an hour ahead would keep every packet
 * window indexed for over two hours; apart, packet windows stay indexed for about two windows and the
 * lateness. Closing merges the two by close time.
 */
final class CloseIndex {
  private static final byte[] PRESENT = new byte[0];
  private final WindowStore<Bytes, byte[]> packets;
  private final WindowStore<Bytes, byte[]> mapReports;

  CloseIndex(WindowStore<Bytes, byte[]> packets, WindowStore<Bytes, byte[]> mapReports) {
    this.packets = packets;
    this.mapReports = mapReports;
  }

  void add(long closesAt, String storeKey, boolean mapReport) {
    final byte[] key = storeKey.getBytes(StandardCharsets.UTF_8);
    (mapReport ? mapReports : packets).put(
        Bytes.wrap(ByteBuffer.allocate(Long.BYTES + key.length).putLong(closesAt).put(key).array()), PRESENT, closesAt);
  }

  /** Calls {@code window} with close time and store key for each window closing in {@code [from, to]}, in time order. */
  void closing(long from, long to, BiConsumer<Long, String> window) {
    final long start = Math.max(0, from);
    if (to < start) {
      return;
    }
    try (var packet = fetch(packets, start, to); var mapReport = fetch(mapReports, start, to)) {
      while (packet.hasNext() || mapReport.hasNext()) {
        final boolean packetFirst = !mapReport.hasNext()
            || packet.hasNext() && packet.peekNextKey().window().start() <= mapReport.peekNextKey().window().start();
        final byte[] key = (packetFirst ? packet : mapReport).next().key.key().get();
        window.accept(ByteBuffer.wrap(key).getLong(),
            new String(key, Long.BYTES, key.length - Long.BYTES, StandardCharsets.UTF_8));
      }
    }
  }

  private static KeyValueIterator<Windowed<Bytes>, byte[]> fetch(WindowStore<Bytes, byte[]> store, long from, long to) {
    return store.fetch(time(from), time(to + 1), from, to);
  }

  /** A bound below every key of {@code time} and above every key of an earlier time. */
  private static Bytes time(long time) {
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(time).array());
  }
}
