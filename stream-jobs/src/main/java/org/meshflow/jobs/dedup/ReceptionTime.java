package org.meshflow.jobs.dedup;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.meshflow.jobs.common.EventTimeExtractor;

/**
 * Event time of a reception, except that one stamped more than {@code max-future-skew} ahead of this
 * machine's clock keeps the partition's time: the deduplicator rejects it either way, and it must not
 * drag stream time ahead, or every later reception would look far behind it and be rejected too.
 */
final class ReceptionTime implements TimestampExtractor {
  private final EventTimeExtractor eventTime = new EventTimeExtractor();
  private final long maxFutureSkewMs;

  ReceptionTime(Duration maxFutureSkew) {
    this.maxFutureSkewMs = maxFutureSkew.toMillis();
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    final long at = eventTime.extract(record, partitionTime);
    return at > System.currentTimeMillis() + maxFutureSkewMs ? Math.max(partitionTime, 0) : at;
  }
}
