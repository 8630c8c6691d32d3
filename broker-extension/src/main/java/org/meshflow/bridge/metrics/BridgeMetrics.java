package org.meshflow.bridge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The bridge's meters, all named {@code meshflow.bridge.*}. */
public final class BridgeMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger inFlight = new AtomicInteger();
  // meters are looked up per PUBLISH: finding them here is cheaper than building and registering them again
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> ackLatencies = new ConcurrentHashMap<>();

  public BridgeMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("meshflow.bridge.in.flight", inFlight, AtomicInteger::get)
        .description("PUBLISHes waiting for a Kafka acknowledgement").register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public AtomicInteger inFlight() {
    return inFlight;
  }

  public void forwarded(String mapping) {
    counter("meshflow.bridge.forwarded", "PUBLISHes written to Kafka", "mapping", mapping).increment();
  }

  public void failed(String mapping) {
    counter("meshflow.bridge.failed", "PUBLISHes Kafka did not take", "mapping", mapping).increment();
  }

  public void rejected(String cause) {
    counter("meshflow.bridge.rejected", "PUBLISHes refused by access rules or limits", "cause", cause).increment();
  }

  public void ackLatency(String mapping, Duration latency) {
    ackLatencies.computeIfAbsent(mapping, m -> Timer.builder("meshflow.bridge.kafka.ack.latency")
        .description("time from PUBLISH to Kafka acknowledgement").tag("mapping", m).register(registry))
        .record(latency);
  }

  public void session(String event) {
    counter("meshflow.bridge.sessions", "session events written to Kafka", "event", event).increment();
  }

  public void sessionFailed() {
    counter("meshflow.bridge.sessions.failed", "session events Kafka did not take").increment();
  }

  public void delivered(String mapping) {
    counter("meshflow.bridge.delivered", "Kafka records published to MQTT", "mapping", mapping).increment();
  }

  public void replayed(String mapping, long count) {
    counter("meshflow.bridge.replayed", "Kafka records published to MQTT again on a replay trigger", "mapping", mapping)
        .increment(count);
  }

  public void undeliverable(String mapping) {
    counter("meshflow.bridge.undeliverable", "Kafka records that could not become an MQTT PUBLISH", "mapping", mapping)
        .increment();
  }

  /** Current value of a counter, for status pages and tests; 0 when it was never incremented. */
  public double count(String name, String... tags) {
    final var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  private Counter counter(String name, String description, String... tags) {
    final var parts = new String[tags.length + 1];
    parts[0] = name;
    System.arraycopy(tags, 0, parts, 1, tags.length);
    final var key = List.of(parts);
    return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags)
        .register(registry));
  }
}
