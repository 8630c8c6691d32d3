package org.meshflow.jobs.common;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output the broker refuses for good (too large, invalid) or that cannot be serialized goes to
 * the DLQ with the input that caused it; transient errors are retried.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
  private DeadLetters deadLetters;
  private String job;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = DeadLetterConfig.from(configs);
    job = DeadLetterConfig.job(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception error) {
    if (error instanceof RetriableException) {
      return Response.retry();
    }
    return deadLetter(context, record.topic(), "cannot write to " + record.topic() + ": " + DeadLetterConfig.reason(error));
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception error,
      SerializationExceptionOrigin origin) {
    return deadLetter(context, record.topic(), "cannot serialize the " + origin.name().toLowerCase()
        + " for " + record.topic() + ": " + DeadLetterConfig.reason(error));
  }

  private Response deadLetter(ErrorHandlerContext context, String target, String reason) {
    LOG.warn("{} {}: {}", job, deadLetters == null || target.equals(deadLetters.topic()) ? "dropping output" : "dead-lettering", reason);
    if (deadLetters == null || target.equals(deadLetters.topic())) {
      return Response.resume();
    }
    final var rejected = DeadLetters.rejected(job, reason, context.topic(), Instant.ofEpochMilli(Math.max(context.timestamp(), 0)))
        .setSourcePartition(context.partition()).setSourceOffset(context.offset())
        .setOriginalKey(DeadLetters.bytes(context.sourceRawKey()))
        .setOriginalValue(DeadLetters.bytes(context.sourceRawValue())).build();
    return Response.resume(List.of(deadLetters.record(context.sourceRawKey(), rejected)));
  }
}
