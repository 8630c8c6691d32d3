package org.meshflow.jobs.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.flywaydb.core.api.FlywayException;
import org.meshflow.jobs.common.DeadLetters;
import org.meshflow.records.Rejected;
import org.meshflow.registry.SchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Meshflow's output topics to PostgreSQL on one thread with a plain consumer: each poll is
 * one transaction holding its rows and its input offsets, and Kafka's offsets are committed after
 * it. When the database goes away the sink pauses its partitions, rewinds to the first unwritten
 * record and retries with backoff; once back it resumes from the offsets stored in the database,
 * so nothing is lost or written twice. The schema is migrated before the first write.
 */
public final class PostgresSink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresSink.class);

  private final SinkConfig config;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Map<String, Deserializer<? extends SpecificRecord>> readers;
  private final DeadLetters deadLetters;
  private final SinkOffsets offsets;
  private final SinkMetrics metrics;
  private final Retention retention;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean writing;
  private volatile boolean migrated;
  private Connection connection;
  private BatchWriter writer;
  private boolean down;
  private Duration backoff;
  private Instant nextRetention;

  private PostgresSink(SinkConfig config, KafkaAccess kafka, SchemaRegistry registry, MeterRegistry meters,
      Clock clock) {
    this.config = config;
    this.clock = clock;
    this.consumer = new KafkaConsumer<>(consumerConfig(config, kafka), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    this.producer = new KafkaProducer<>(producerConfig(kafka), new ByteArraySerializer(),
        new ByteArraySerializer());
    this.readers = SinkInputs.readers(config, registry);
    this.deadLetters = new DeadLetters(config.dlqTopic(), registry);
    this.offsets = new SinkOffsets(config.groupId());
    this.metrics = new SinkMetrics(meters);
    this.retention = new Retention(config.retention(), config.retentionChunk(), clock);
    this.backoff = config.retryInitial();
    this.nextRetention = clock.instant();
    this.thread = new Thread(this::run, "meshflow-sink");
  }

  /** Starts the sink thread; the database may still be unreachable (the sink waits for it). */
  public static PostgresSink start(SinkConfig config, String bootstrapServers, SchemaRegistry registry,
      MeterRegistry meters) {
    return start(config, bootstrapServers, registry, meters, Clock.systemUTC());
  }

  /** As {@link #start(SinkConfig, String, SchemaRegistry, MeterRegistry)}, with the clock retention counts from. */
  public static PostgresSink start(SinkConfig config, String bootstrapServers, SchemaRegistry registry,
      MeterRegistry meters, Clock clock) {
    return start(config, new KafkaAccess(bootstrapServers, Map.of(), Map.of()), registry, meters, clock);
  }

  /** As {@link #start(SinkConfig, String, SchemaRegistry, MeterRegistry)}, with Kafka client properties (TLS, SASL). */
  public static PostgresSink start(SinkConfig config, KafkaAccess kafka, SchemaRegistry registry, MeterRegistry meters) {
    return start(config, kafka, registry, meters, Clock.systemUTC());
  }

  private static PostgresSink start(SinkConfig config, KafkaAccess kafka, SchemaRegistry registry, MeterRegistry meters,
      Clock clock) {
    final var sink = new PostgresSink(config, kafka, registry, meters, clock);
    sink.thread.start();
    return sink;
  }

  /**
   * Where the sink's Kafka is and the extra properties of its consumer and of its dead-letter producer
   * (security and tuning; the sink's own settings for offsets and isolation win).
   */
  public record KafkaAccess(String bootstrapServers, Map<String, ?> consumerProperties,
      Map<String, ?> producerProperties) {}

  /** Whether the sink is connected to PostgreSQL and consuming (for /health). */
  public boolean writing() {
    return writing && thread.isAlive();
  }

  private static Properties consumerConfig(SinkConfig config, KafkaAccess kafka) {
    final var props = new Properties();
    props.putAll(kafka.consumerProperties());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // the jobs write under exactly-once: aborted output must never reach the database
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.batchSize());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.groupId());
    return props;
  }

  private static Properties producerConfig(KafkaAccess kafka) {
    final var props = new Properties();
    props.putAll(kafka.producerProperties());
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "meshflow-sink-dlq");
    return props;
  }

  private void run() {
    try {
      consumer.subscribe(config.inputTopics(), new Rebalance());
      while (running) {
        if (connection == null && !connect()) {
          final ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(backoff);
          rewind(unexpected);
          continue;
        }
        enforceRetention();
        final ConsumerRecords<byte[], byte[]> records = consumer.poll(config.pollTimeout());
        recordLag();
        if (!records.isEmpty()) {
          write(records);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        LOG.error("sink woken up unexpectedly; stopping");
      }
    } catch (RuntimeException e) {
      LOG.error("sink stopped: {}", e.toString());
    } finally {
      writing = false;
      metrics.databaseUp(false);
      disconnect();
      consumer.close(Duration.ofSeconds(10));
      producer.close(Duration.ofSeconds(10));
    }
  }

  private void write(ConsumerRecords<byte[], byte[]> records) {
    final var readable = new ArrayList<BatchWriter.Readable>();
    final var rejects = new ArrayList<BatchWriter.Reject>();
    final var next = new HashMap<TopicPartition, OffsetAndMetadata>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      next.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
      if (record.value() == null) {
        continue; // a tombstone on a compacted topic: history keeps what it had
      }
      try {
        readable.add(new BatchWriter.Readable(record, readers.get(record.topic()).deserialize(record.topic(),
            record.value())));
      } catch (KafkaException | IllegalArgumentException e) {
        rejects.add(new BatchWriter.Reject(record, "not a readable record: " + e.getMessage()));
      }
    }
    try {
      final Map<SinkTable, Integer> written = writer.write(readable, rejects, next, this::sendDeadLetters);
      metrics.written(written);
      commitKafka(next);
    } catch (DatabaseLost e) {
      metrics.databaseError();
      lose(e.getMessage());
      rewind(records);
    } catch (KafkaException e) {
      LOG.warn("cannot write dead letters to {} ({}); retrying the batch", config.dlqTopic(), e.getMessage());
      rewind(records);
    }
  }

  private void sendDeadLetters(List<BatchWriter.Reject> rejects) {
    final var sent = new ArrayList<Future<?>>();
    for (BatchWriter.Reject reject : rejects) {
      final ConsumerRecord<byte[], byte[]> source = reject.source();
      LOG.warn("record {}-{}@{} to {}: {}", source.topic(), source.partition(), source.offset(), config.dlqTopic(),
          reject.reason());
      final Rejected rejected = DeadLetters.rejected("sink", reject.reason(), source.topic(), clock.instant())
          .setSourcePartition(source.partition()).setSourceOffset(source.offset())
          .setOriginalKey(DeadLetters.bytes(source.key())).setOriginalValue(DeadLetters.bytes(source.value())).build();
      sent.add(producer.send(deadLetters.record(source.key(), rejected)));
    }
    try {
      for (Future<?> future : sent) {
        future.get();
      }
    } catch (ExecutionException e) {
      throw new KafkaException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while writing dead letters");
    }
    metrics.rejected(rejects.size());
  }

  private void commitKafka(Map<TopicPartition, OffsetAndMetadata> next) {
    try {
      consumer.commitSync(next);
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      // the database holds the offsets that count; Kafka's catch up with the next commit
      LOG.debug("Kafka offset commit failed: {}", e.getMessage());
    }
  }

  /** Opens the database connection (migrating the schema the first time); false while it is unreachable. */
  private boolean connect() {
    try {
      if (!migrated) {
        final String version = SinkSchema.migrate(config.postgresUrl(), config.postgresUser(), config.postgresPassword());
        LOG.info("PostgreSQL schema at version {}", version);
        migrated = true;
      }
      final var props = new Properties();
      if (config.postgresUser() != null) {
        props.put("user", config.postgresUser());
      }
      if (config.postgresPassword() != null) {
        props.put("password", config.postgresPassword());
      }
      props.put("ApplicationName", "meshflow-sink");
      props.put("connectTimeout", "10");
      props.put("socketTimeout", "120");
      props.put("tcpKeepAlive", "true");
      connection = DriverManager.getConnection(config.postgresUrl(), props);
      connection.setAutoCommit(false);
      writer = new BatchWriter(connection, offsets);
      final Collection<TopicPartition> assigned = consumer.assignment();
      seekToStored(assigned);
      consumer.resume(assigned);
      LOG.info(down ? "PostgreSQL is back; sink resumed" : "sink writing to {}", config.postgresUrl());
      down = false;
      writing = true;
      backoff = config.retryInitial();
      metrics.databaseUp(true);
      return true;
    } catch (SQLException | FlywayException e) {
      metrics.databaseError();
      disconnect();
      lose(DatabaseLost.firstLine(e));
      backoff = backoff.multipliedBy(2).compareTo(config.retryMax()) > 0 ? config.retryMax() : backoff.multipliedBy(2);
      return false;
    }
  }

  private void lose(String reason) {
    disconnect();
    consumer.pause(consumer.assignment());
    writing = false;
    metrics.databaseUp(false);
    if (!down) {
      LOG.warn("PostgreSQL unavailable ({}); sink paused, retrying", reason);
      down = true;
    }
  }

  private void disconnect() {
    if (writer != null) {
      writer.close();
      writer = null;
    }
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // already broken
      }
      connection = null;
    }
  }

  /** Moves each partition back to the first of {@code records}, which were not written. */
  private void rewind(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      if (consumer.assignment().contains(partition)) {
        consumer.seek(partition, records.records(partition).get(0).offset());
      }
    }
  }

  private void seekToStored(Collection<TopicPartition> partitions) throws SQLException {
    if (!partitions.isEmpty()) {
      offsets.read(connection, partitions).forEach(consumer::seek);
    }
  }

  private void enforceRetention() {
    if (config.retention().isEmpty() || clock.instant().isBefore(nextRetention)) {
      return;
    }
    try {
      final Retention.Pass pass = retention.run(connection);
      metrics.deleted(pass.deleted());
      // more old rows wait: take the next chunk after the next poll instead of after the interval
      nextRetention = pass.more() ? clock.instant() : clock.instant().plus(config.retentionInterval());
    } catch (SQLException e) {
      metrics.databaseError();
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // reported by the next write
      }
      if (DatabaseLost.isLoss(e, connection)) {
        lose(DatabaseLost.firstLine(e));
      } else {
        LOG.warn("retention failed: {}", DatabaseLost.firstLine(e));
        nextRetention = clock.instant().plus(config.retentionInterval());
      }
    }
  }

  private void recordLag() {
    for (TopicPartition partition : consumer.assignment()) {
      consumer.currentLag(partition).ifPresent(lag -> metrics.lag(partition, lag));
    }
  }

  /** New partitions start where the database says; while it is down they stay paused. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (connection == null) {
        consumer.pause(partitions);
        return;
      }
      try {
        seekToStored(partitions);
      } catch (SQLException e) {
        metrics.databaseError();
        lose(DatabaseLost.firstLine(e));
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // every written batch is committed before the next poll: nothing to flush
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(60).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
