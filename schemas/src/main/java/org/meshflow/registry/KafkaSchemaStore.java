package org.meshflow.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a registry's schemas and compatibility rules as records of a compacted, single-partition
 * Kafka topic, in the JSON layout of Confluent's {@code _schemas} topic (SCHEMA and CONFIG keys), so
 * the state survives restarts with the same ids. {@link #readNew()} reads what was added since the
 * last call (everything on the first); the {@code append…} methods return once Kafka acknowledged the
 * write (acks=all, idempotent producer).
 */
public final class KafkaSchemaStore implements AutoCloseable {
  public static final String DEFAULT_TOPIC = "_schemas";
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One fact read back from the topic. */
  public sealed interface Entry permits SchemaAdded, SchemaDeleted, CompatibilitySet {}

  public record SchemaAdded(SchemaVersion version) implements Entry {}

  public record SchemaDeleted(String subject, int version) implements Entry {}

  /** {@code subject} is null for the registry-wide default. */
  public record CompatibilitySet(String subject, Compatibility level) implements Entry {}

  private final String topic;
  private final TopicPartition partition;
  private final Duration timeout;
  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> consumer;

  private KafkaSchemaStore(String topic, Duration timeout, KafkaProducer<String, String> producer,
      KafkaConsumer<String, String> consumer) {
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
    this.timeout = timeout;
    this.producer = producer;
    this.consumer = consumer;
  }

  /**
   * Opens the store on {@code topic}, creating it (one partition, compacted) when missing.
   * {@code kafkaConfig} holds {@code bootstrap.servers} and any security settings of the cluster.
   */
  public static KafkaSchemaStore open(Map<String, ?> kafkaConfig, String topic, Duration timeout) {
    createTopicIfMissing(kafkaConfig, topic, timeout);
    final Map<String, Object> producerConfig = new HashMap<>(kafkaConfig);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "meshflow-registry-" + topic + "-writer");
    final Map<String, Object> consumerConfig = new HashMap<>(kafkaConfig);
    consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "meshflow-registry-" + topic + "-reader");
    final var producer = new KafkaProducer<>(only(producerConfig, ProducerConfig.configNames()),
        new StringSerializer(), new StringSerializer());
    final var consumer = new KafkaConsumer<>(only(consumerConfig, ConsumerConfig.configNames()),
        new StringDeserializer(), new StringDeserializer());
    final var store = new KafkaSchemaStore(topic, timeout, producer, consumer);
    consumer.assign(List.of(store.partition));
    consumer.seekToBeginning(List.of(store.partition));
    return store;
  }

  public static KafkaSchemaStore open(Map<String, ?> kafkaConfig) {
    return open(kafkaConfig, DEFAULT_TOPIC, Duration.ofSeconds(30));
  }

  public String topic() {
    return topic;
  }

  /** Reads the topic up to its current end and returns the facts found since the previous call, in order. */
  public List<Entry> readNew() {
    final long deadline = System.nanoTime() + timeout.toNanos();
    final var entries = new ArrayList<Entry>();
    try {
      final long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
      while (consumer.position(partition, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new SchemaRegistryException(500, 50002, "timed out reading the schema topic " + topic);
        }
        for (final var record : consumer.poll(Duration.ofMillis(200))) {
          final Entry entry = parse(record.key(), record.value(), record.offset());
          if (entry != null) {
            entries.add(entry);
          }
        }
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new SchemaRegistryException(500, 50002, "timed out reading the schema topic " + topic + ": " + e.getMessage(), e);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new SchemaRegistryException(500, 50001, "cannot read the schema topic " + topic + ": " + e.getMessage(), e);
    }
    return entries;
  }

  public void append(SchemaVersion version) {
    final var key = JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", version.subject())
        .put("version", version.version()).put("magic", 1);
    final var value = JSON.createObjectNode().put("subject", version.subject()).put("version", version.version())
        .put("id", version.id()).put("schema", version.schema().toString()).put("deleted", false);
    send(key.toString(), value.toString());
  }

  /** Records the rule of {@code subject}, or the registry-wide default when {@code subject} is null. */
  public void appendCompatibility(String subject, Compatibility level) {
    final var key = JSON.createObjectNode().put("keytype", "CONFIG").put("subject", subject).put("magic", 0);
    final var value = JSON.createObjectNode().put("compatibilityLevel", level.name());
    send(key.toString(), value.toString());
  }

  private void send(String key, String value) {
    try {
      producer.send(new ProducerRecord<>(topic, 0, key, value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(500, 50001, "interrupted while writing to the schema topic " + topic, e);
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      final Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new SchemaRegistryException(500, 50001, "cannot write to the schema topic " + topic + ": " + cause, cause);
    }
  }

  private Entry parse(String key, String value, long offset) {
    try {
      final JsonNode k = JSON.readTree(key);
      final String type = k.path("keytype").asText();
      final String subject = k.path("subject").isTextual() ? k.path("subject").asText() : null;
      final JsonNode v = value == null ? null : JSON.readTree(value);
      switch (type) {
        case "SCHEMA" -> {
          final int version = k.path("version").asInt();
          if (v == null || v.path("deleted").asBoolean(false)) {
            return new SchemaDeleted(subject, version);
          }
          if (!"AVRO".equals(v.path("schemaType").asText("AVRO"))) {
            LOG.warn("schema topic {} offset {}: skipping a {} schema (only Avro is served)", topic, offset,
                v.path("schemaType").asText());
            return null;
          }
          final Schema schema = new Schema.Parser().parse(v.path("schema").asText());
          return new SchemaAdded(new SchemaVersion(v.path("subject").asText(subject), v.path("version").asInt(version),
              v.path("id").asInt(), schema));
        }
        case "CONFIG" -> {
          if (v == null) {
            return null;
          }
          return new CompatibilitySet(subject, Compatibility.valueOf(v.path("compatibilityLevel").asText()));
        }
        default -> {
          return null;
        }
      }
    } catch (Exception e) {
      LOG.warn("schema topic {} offset {}: skipping an unreadable record: {}", topic, offset, e.getMessage());
      return null;
    }
  }

  private static void createTopicIfMissing(Map<String, ?> kafkaConfig, String topic, Duration timeout) {
    final Map<String, Object> adminConfig = new HashMap<>(kafkaConfig);
    try (var admin = Admin.create(only(adminConfig, org.apache.kafka.clients.admin.AdminClientConfig.configNames()))) {
      final int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
      final var newTopic = new NewTopic(topic, 1, (short) Math.min(3, Math.max(1, brokers)))
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      admin.createTopics(Set.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("created the schema topic {}", topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new SchemaRegistryException(500, 50001, "cannot create the schema topic " + topic + ": " + e.getCause(), e);
      }
    } catch (TimeoutException e) {
      throw new SchemaRegistryException(500, 50002, "Kafka did not answer within " + timeout + " while creating the schema topic " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(500, 50001, "interrupted while creating the schema topic " + topic, e);
    }
  }

  private static Map<String, Object> only(Map<String, Object> config, Set<String> known) {
    final Map<String, Object> filtered = new HashMap<>();
    config.forEach((k, v) -> {
      if (known.contains(k) || k.startsWith("sasl.") || k.startsWith("ssl.")) {
        filtered.put(k, v);
      }
    });
    return filtered;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    consumer.close();
  }
}
