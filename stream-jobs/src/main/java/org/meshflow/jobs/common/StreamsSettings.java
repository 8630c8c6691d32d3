package org.meshflow.jobs.common;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.meshflow.registry.SchemaRegistry;

/** The Streams configuration every Meshflow job shares: exactly-once, event time, dead letters. */
public final class StreamsSettings {

  /**
   * Commit interval of the jobs a packet crosses on its way to {@code mesh.packets.v1} (decode, dedup).
   * Under exactly-once a record is visible downstream only after its job's commit, so each of the two
   * adds up to this much latency; Kafka Streams' own 100 ms put the p99 over 200 ms (docs/BENCHMARKS.md).
   */
  public static final Duration PACKET_PATH_COMMIT = Duration.ofMillis(50);

  private StreamsSettings() {}

  /** {@link #streamsConfig} with its own {@code commit.interval.ms}. */
  public static Properties streamsConfig(String job, String applicationId, String bootstrapServers, Path stateDir,
      SchemaRegistry registry, String dlqTopic, Duration commitInterval) {
    final var props = streamsConfig(job, applicationId, bootstrapServers, stateDir, registry, dlqTopic);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    return props;
  }

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
