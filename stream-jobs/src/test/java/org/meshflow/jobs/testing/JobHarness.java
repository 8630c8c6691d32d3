package org.meshflow.jobs.testing;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.meshflow.jobs.common.StreamsSettings;
import org.meshflow.registry.InMemorySchemaRegistry;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;

/**
 * A {@link TopologyTestDriver} around one job, with Avro topics over an in-memory registry and a
 * wall clock starting at {@link #T0}. (Restarts are tested on a real Kafka: the driver deletes its
 * state directory on close and cannot restore stores from changelogs.)
 */
public final class JobHarness implements AutoCloseable {
  public static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final SchemaRegistry registry = new InMemorySchemaRegistry();
  private final Function<SchemaRegistry, Topology> topology;
  private final Path stateDir;
  private TopologyTestDriver driver;
  private Instant wallClock;

  private final Map<String, Object> overrides;

  public JobHarness(Path stateDir, Function<SchemaRegistry, Topology> topology) {
    this(stateDir, topology, Map.of());
  }

  /** With Streams settings of the test's own on top of the job's. */
  public JobHarness(Path stateDir, Function<SchemaRegistry, Topology> topology, Map<String, Object> overrides) {
    this.topology = topology;
    this.stateDir = stateDir;
    this.overrides = overrides;
    this.wallClock = T0;
    this.driver = new TopologyTestDriver(topology.apply(registry), config(), wallClock);
  }

  private Properties config() {
    final var props = StreamsSettings.streamsConfig("test", "meshflow-test", "unused:9092", stateDir.resolve("state"),
        registry, "mesh.dlq.v1");
    // under exactly-once the driver drops what exception handlers send to the DLQ; exactly-once
    // itself (and the DLQ under it) is tested on a real Kafka in ExactlyOnceRestartTest
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    props.putAll(overrides);
    return props;
  }

  public SchemaRegistry registry() {
    return registry;
  }

  public TopologyTestDriver driver() {
    return driver;
  }

  /** How many entries a store iterator yields; closes it. */
  public static long count(KeyValueIterator<?, ?> iterator) {
    long n = 0;
    try (iterator) {
      while (iterator.hasNext()) {
        iterator.next();
        n++;
      }
    }
    return n;
  }

  public <T extends SpecificRecord> TestInputTopic<String, T> input(String topic, Class<T> type) {
    return driver.createInputTopic(topic, new StringSerializer(), AvroSerde.specific(registry, type).serializer());
  }

  public TestInputTopic<String, byte[]> rawInput(String topic) {
    return driver.createInputTopic(topic, new StringSerializer(), (t, bytes) -> bytes);
  }

  public <T extends SpecificRecord> TestOutputTopic<String, T> output(String topic, Class<T> type) {
    return driver.createOutputTopic(topic, new StringDeserializer(), AvroSerde.specific(registry, type).deserializer());
  }

  /** Advances the job's wall clock, firing wall-clock punctuators. */
  public void advance(java.time.Duration by) {
    wallClock = wallClock.plus(by);
    driver.advanceWallClockTime(by);
  }

  public Instant wallClock() {
    return wallClock;
  }

  @Override
  public void close() {
    driver.close();
  }
}
