package org.meshflow.jobs.dedup;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.state.KeyValueStore;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;

/**
 * The packet windows one dedup task keeps: the copies of each packet key ({@link PacketCopies}, one
 * lookup per copy), the windows by close time ({@link CloseIndex}), and two marks: everything up to
 * {@code closed-through} has been written out, everything up to {@code forgotten-through} dropped.
 * The marks are read from their store once per task start and written through.
 */
final class PacketWindows {
  private static final String CLOSED_THROUGH = "closed-through";
  private static final String FORGOTTEN_THROUGH = "forgotten-through";

  /** What a copy turned out to be. */
  enum Sighting { FIRST, DUPLICATE, LATE }

  private final KeyValueStore<String, PacketCopies> copies;
  private final CloseIndex index;
  private final KeyValueStore<String, Long> marks;
  private long closedThrough;
  private long forgottenThrough;

  PacketWindows(KeyValueStore<String, PacketCopies> copies, CloseIndex index, KeyValueStore<String, Long> marks) {
    this.copies = copies;
    this.index = index;
    this.marks = marks;
    closedThrough = mark(CLOSED_THROUGH);
    forgottenThrough = mark(FORGOTTEN_THROUGH);
  }

  long closedThrough() {
    return closedThrough;
  }

  long forgottenThrough() {
    return forgottenThrough;
  }

  /**
   * Adds a copy (of a map report or another packet) to the window of {@code storeKey} that closes earliest
   * within {@code [closesFrom, closesTo]};
   * a copy of a window closed already is late and not kept. With no such window the copy opens one
   * closing at {@code closesAt}.
   */
  Sighting add(String storeKey, boolean mapReport, long closesFrom, long closesTo, long closesAt, Reception copy,
      long at) {
    final PacketCopies known = copies.get(storeKey);
    final int window = known == null ? -1 : known.find(closesFrom, closesTo);
    if (window >= 0) {
      if (known.closesAt(window) <= closedThrough) {
        return Sighting.LATE;
      }
      copies.put(storeKey, known.with(window, copy, at));
      return Sighting.DUPLICATE;
    }
    copies.put(storeKey, known == null ? PacketCopies.first(closesAt, copy, at) : known.plus(closesAt, copy, at));
    index.add(closesAt, storeKey, mapReport);
    return Sighting.FIRST;
  }

  /** The heard-by list of the window of {@code storeKey} closing at {@code closesAt}. */
  PacketHeardBy heardBy(String storeKey, long closesAt) {
    final PacketCopies known = copies.get(storeKey);
    return known == null ? null : known.heardBy(closesAt);
  }

  /** Hands over each window closing after the closed-through mark and at or before {@code to}, in time order. */
  void closeThrough(long to, BiConsumer<Long, PacketHeardBy> closed) {
    if (to <= closedThrough) {
      return;
    }
    index.closing(closedThrough + 1, to, (closesAt, storeKey) -> {
      final PacketHeardBy heardBy = heardBy(storeKey, closesAt);
      if (heardBy != null) {
        closed.accept(closesAt, heardBy);
      }
    });
    closedThrough = to;
    marks.put(CLOSED_THROUGH, to);
  }

  /** Drops the windows that closed at or before {@code to}, which must not be after the closed-through mark. */
  void forgetThrough(long to) {
    final List<String> keys = new ArrayList<>();
    index.closing(forgottenThrough + 1, to, (closesAt, storeKey) -> keys.add(storeKey));
    for (String key : keys) {
      final PacketCopies known = copies.get(key);
      if (known == null) {
        continue;
      }
      final PacketCopies left = known.forgetThrough(to);
      if (left == null) {
        copies.delete(key);
      } else if (left != known) {
        copies.put(key, left);
      }
    }
    forgottenThrough = to;
    marks.put(FORGOTTEN_THROUGH, to);
  }

  private long mark(String name) {
    final Long value = marks.get(name);
    return value == null ? -1 : value;
  }
}
