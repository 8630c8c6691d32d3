package org.meshflow.jobs.common;

import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.meshflow.records.ClientSession;
import org.meshflow.records.LegacyStatus;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.Reception;

/**
 * Event time is when the broker received something (uplink, reception, session event), not when a
 * job produced the record: a job replaying a backlog then sees the same times as a live one.
 */
public final class EventTimeExtractor implements TimestampExtractor {

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    final Instant eventTime = eventTime(record.value());
    if (eventTime != null && eventTime.toEpochMilli() >= 0) {
      return eventTime.toEpochMilli();
    }
    return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
  }

  private static Instant eventTime(Object value) {
    if (value instanceof Reception r) {
      return r.getReceivedAt();
    }
    if (value instanceof MqttUplink u) {
      return u.getReceivedAt();
    }
    if (value instanceof ClientSession s) {
      return s.getAt();
    }
    if (value instanceof LegacyStatus s) {
      return s.getAt();
    }
    if (value instanceof PacketHeardBy h) {
      return h.getLastHeardAt();
    }
    return null;
  }
}
