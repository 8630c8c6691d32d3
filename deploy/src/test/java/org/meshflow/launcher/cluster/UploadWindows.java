package org.meshflow.launcher.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.meshflow.records.GatewayDuplicates;
import org.meshflow.records.HeardBy;
import org.meshflow.records.PacketHeardBy;

/**
 * What the insight job must count, worked out from the heard-by lists themselves: each gateway's uploads
 * in each hopping window a list falls into (by its last copy's time), keyed {@code "<gateway> <window start>"}.
 */
final class UploadWindows {
  private final long size;
  private final long advance;

  UploadWindows(Duration size, Duration advance) {
    this.size = size.toMillis();
    this.advance = advance.toMillis();
  }

  /** Uploads (first copies and duplicates) per gateway and window. */
  Map<String, Long> uploads(Collection<PacketHeardBy> lists) {
    final var uploads = new TreeMap<String, Long>();
    for (PacketHeardBy list : lists) {
      for (long start : starts(list.getLastHeardAt().toEpochMilli())) {
        for (HeardBy gateway : list.getHeardBy()) {
          uploads.merge(key(gateway.getGatewayId(), start), (long) Math.max(gateway.getCopies(), 1), Long::sum);
        }
      }
    }
    return uploads;
  }

  /** Uploads per gateway and window as the job reports them. */
  static Map<String, Long> uploadsReported(Collection<GatewayDuplicates> windows) {
    final var uploads = new TreeMap<String, Long>();
    windows.forEach(w -> uploads.merge(key(w.getGatewayId(), w.getWindowStart().toEpochMilli()),
        w.getFirstCopies() + w.getDuplicates(), Long::sum));
    return uploads;
  }

  static String key(String gateway, long windowStart) {
    return gateway + " " + Instant.ofEpochMilli(windowStart);
  }

  /** The starts of the windows holding {@code at}, as Kafka Streams' hopping windows align them (on the epoch). */
  private long[] starts(long at) {
    final long last = at - at % advance;
    final int count = (int) Math.min(size / advance, last / advance + 1);
    final long[] starts = new long[count];
    for (int i = 0; i < count; i++) {
      starts[i] = last - i * advance;
    }
    return starts;
  }
}
