package org.meshflow.bridge.configuration;

/** How a Kafka record value becomes an MQTT payload. */
public enum PayloadFormat {
  /** Avro (Confluent wire format) rendered as plain JSON. */
  JSON,
  /** The record value's bytes unchanged. */
  RAW
}
