package org.meshflow.jobs.common;

import java.util.Map;
import org.meshflow.registry.SchemaRegistry;

/** What the exception handlers find in the Streams config: the registry object and the DLQ topic. */
final class DeadLetterConfig {
  static final String REGISTRY = "meshflow.schema.registry";
  static final String TOPIC = "meshflow.dlq.topic";
  static final String JOB = "meshflow.job";

  private DeadLetterConfig() {}

  /** Dead letters as configured, or null when no registry was given (then handlers only log). */
  static DeadLetters from(Map<String, ?> configs) {
    final Object registry = configs.get(REGISTRY);
    final Object topic = configs.get(TOPIC);
    if (registry instanceof SchemaRegistry schemaRegistry && topic != null) {
      return new DeadLetters(topic.toString(), schemaRegistry);
    }
    return null;
  }

  static String job(Map<String, ?> configs) {
    final Object job = configs.get(JOB);
    return job == null ? "unknown" : job.toString();
  }

  /** The first message in the cause chain: serdes and processors word theirs for people. */
  static String reason(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        return cause.getMessage();
      }
    }
    return error.getClass().getSimpleName();
  }
}
