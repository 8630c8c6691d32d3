package org.meshflow.jobs.common;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A record a processor fails on is set aside in the DLQ instead of stopping the job. */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
  private DeadLetters deadLetters;
  private String job;

  @Override
  public void configure(Map<String, ?> configs) {
    deadLetters = DeadLetterConfig.from(configs);
    job = DeadLetterConfig.job(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception error) {
    final String reason = "failed in " + context.processorNodeId() + ": " + DeadLetterConfig.reason(error);
    LOG.warn("{} {} {}-{}@{}: {}", job, deadLetters == null ? "skipping" : "dead-lettering", context.topic(),
        context.partition(), context.offset(), reason, error);
    if (deadLetters == null) {
      return Response.resume();
    }
    final var rejected = DeadLetters.rejected(job, reason, context.topic(), Instant.ofEpochMilli(Math.max(record.timestamp(), 0)))
        .setSourcePartition(context.partition()).setSourceOffset(context.offset())
        .setOriginalKey(DeadLetters.bytes(context.sourceRawKey()))
        .setOriginalValue(DeadLetters.bytes(context.sourceRawValue())).build();
    return Response.resume(List.of(deadLetters.record(context.sourceRawKey(), rejected)));
  }
}
