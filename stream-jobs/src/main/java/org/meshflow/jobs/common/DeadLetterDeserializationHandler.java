package org.meshflow.jobs.common;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A record no serde can read (garbage, unknown schema id) goes to the DLQ and the job goes on. */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
  private DeadLetters deadLetters;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = DeadLetterConfig.from(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception error) {
    final String reason = "unreadable record: " + DeadLetterConfig.reason(error);
    LOG.warn("{} {}-{}@{}: {}", deadLetters == null ? "skipping" : "dead-lettering", record.topic(),
        record.partition(), record.offset(), reason);
    if (deadLetters == null) {
      return Response.resume();
    }
    final var rejected = DeadLetters.rejected("deserialize", reason, record.topic(), Instant.ofEpochMilli(context.timestamp() >= 0 ? context.timestamp() : record.timestamp()))
        .setSourcePartition(record.partition()).setSourceOffset(record.offset())
        .setOriginalKey(DeadLetters.bytes(record.key())).setOriginalValue(DeadLetters.bytes(record.value()))
        .build();
    return Response.resume(List.of(deadLetters.record(record.key(), rejected)));
  }
}
