package org.meshflow.jobs.common;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.meshflow.registry.SchemaRegistry;

/** The Streams configuration every Meshflow job shares: exactly-once, event time, dead letters. */
public final class StreamsSettings {

  private StreamsSettings() {}

  /**
   * @param job short job name (decode, dedup, ...), used as stage in dead letters and in the application id
   * @param applicationId consumer group and prefix of internal topics
   */
  public static Properties streamsConfig(String job, String applicationId, String bootstrapServers, Path stateDir,
      SchemaRegistry registry, String dlqTopic) {
    final var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, EventTimeExtractor.class);
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
    props.put("processing.exception.handler.global.enabled", true);
    // internal topics and stores keep their names across topology changes, so state survives upgrades
    props.put("ensure.explicit.internal.resource.naming", true);
    props.put(DeadLetterConfig.REGISTRY, registry);
    props.put(DeadLetterConfig.TOPIC, dlqTopic);
    props.put(DeadLetterConfig.JOB, job);
    return props;
  }
}
