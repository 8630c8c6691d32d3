package org.meshflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A job's processor run the way one Streams task runs it, minus Kafka: each input is deserialized
 * from its Kafka form (Confluent-framed Avro), processed against real RocksDB stores (changelog
 * and Streams' record cache off: the mock context supports neither), and every output is serialized
 * by its sink's serializer. After each batch the stores are
 * committed (as a Streams commit does every 100 ms) and the wall-clock punctuators fire with the
 * wall clock at the batch's last event time.
 */
public final class DrivenProcessor implements AutoCloseable {
  /** One input record in its Kafka form, with the event time the job's extractor would give it. */
  public record Input(String topic, String key, byte[] value, long eventTime) {}

  private final Path stateDir;
  private final Processor<String, Object, String, SpecificRecord> processor;
  private final MockProcessorContext<String, SpecificRecord> context;
  private final List<StateStore> stores = new ArrayList<>();
  private final Map<String, Deserializer<?>> sources;
  private final Map<String, Serializer<SpecificRecord>> sinks;
  private long offset;
  private long streamTime = -1;

  /**
   * @param sources deserializer by input topic
   * @param sinks serializer by the processor's child (sink) name
   */
  @SuppressWarnings("unchecked")
  public DrivenProcessor(Processor<String, ?, String, SpecificRecord> processor, List<StoreBuilder<?>> storeBuilders,
      Map<String, Deserializer<?>> sources, Map<String, Serializer<SpecificRecord>> sinks, long startMs) {
    this.stateDir = tempDir();
    this.processor = (Processor<String, Object, String, SpecificRecord>) processor;
    this.sources = sources;
    this.sinks = sinks;
    final var props = new Properties();
    props.put("application.id", "meshflow-bench");
    props.put("bootstrap.servers", "unused:9092");
    context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
    context.setCurrentSystemTimeMs(startMs);
    for (StoreBuilder<?> builder : storeBuilders) {
      final StateStore store = builder.withLoggingDisabled().withCachingDisabled().build();
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
      stores.add(store);
    }
    processor.init((MockProcessorContext) context);
  }

  /** Processes a batch, commits, punctuates; returns the bytes written (so nothing is optimised away). */
  public long run(List<Input> batch) {
    long written = 0;
    for (Input in : batch) {
      final Object value = sources.get(in.topic()).deserialize(in.topic(), in.value());
      context.setRecordMetadata(in.topic(), 0, offset++);
      streamTime = Math.max(streamTime, in.eventTime());
      context.setCurrentStreamTimeMs(streamTime);
      processor.process(new Record<>(in.key(), value, in.eventTime()));
      written += drain();
    }
    stores.forEach(store -> store.commit(Map.of()));
    context.setCurrentSystemTimeMs(Math.max(context.currentSystemTimeMs(), streamTime));
    for (var punctuator : context.scheduledPunctuators()) {
      if (punctuator.getType() == PunctuationType.WALL_CLOCK_TIME) {
        punctuator.getPunctuator().punctuate(context.currentSystemTimeMs());
      }
    }
    return written + drain();
  }

  private long drain() {
    long bytes = 0;
    for (var forward : context.forwarded()) {
      final String sink = forward.childName().orElseThrow();
      bytes += sinks.get(sink).serialize(sink, forward.record().value()).length;
    }
    context.resetForwards();
    return bytes;
  }

  @Override
  public void close() {
    processor.close();
    stores.forEach(StateStore::close);
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("meshflow-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
