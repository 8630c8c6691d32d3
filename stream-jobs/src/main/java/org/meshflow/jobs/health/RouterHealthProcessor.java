package org.meshflow.jobs.health;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.meshflow.jobs.common.DeadLetters;
import org.meshflow.config.Durations;
import org.meshflow.jobs.common.EventClock;
import org.meshflow.records.Alert;
import org.meshflow.records.ClientSession;
import org.meshflow.records.LegacyStatus;
import org.meshflow.records.MqttUplink;
import org.meshflow.records.RouterHealthState;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterStatus;
import org.meshflow.records.SessionEvent;

/**
 * Keeps every router's {@link RouterHealthState} in a persistent store and turns session events,
 * uplinks and legacy status messages into status records, outages and alerts. A wall-clock
 * punctuator lets grace and silence run out when no event comes.
 */
final class RouterHealthProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
  static final String STORE = "router-health";
  static final String STATUS = "status-sink";
  static final String OUTAGES = "outages-sink";
  static final String ALERTS = "alerts-sink";
  static final String DEAD_LETTERS = "dlq-sink";

  private final HealthConfig config;
  private final HealthMetrics metrics;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, RouterHealthState> routers;
  private EventClock clock;

  RouterHealthProcessor(HealthConfig config, HealthMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    routers = context.getStateStore(STORE);
    clock = new EventClock(config.idleAfter(), context);
    context.schedule(config.checkInterval(), PunctuationType.WALL_CLOCK_TIME, wall -> check());
    try (var all = routers.all()) {
      all.forEachRemaining(entry -> metrics.state(entry.key, entry.value.getState()));
    }
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    clock.recordSeen(context);
    final SpecificRecord event = record.value();
    if (event instanceof ClientSession session && session.getEvent() == SessionEvent.BROKER_STARTED) {
      brokerStarted(record.timestamp());
      return;
    }
    final String router = routerOf(event);
    if (router == null || !config.isRouter(router)) {
      return;
    }
    final long at = record.timestamp();
    final long wall = context.currentSystemTimeMs();
    if (at > wall + config.maxFutureSkew().toMillis()) {
      reject(record, "event at " + Instant.ofEpochMilli(at) + " is more than "
          + Durations.format(config.maxFutureSkew()) + " ahead of the job's clock (" + Instant.ofEpochMilli(wall) + ")");
      return;
    }
    final var timeline = RouterTimeline.of(config, routers.get(router), router, at);
    if (event instanceof ClientSession session) {
      if (session.getEvent() == SessionEvent.CONNECTED) {
        timeline.connected(session, at);
      } else if (session.getEvent() == SessionEvent.DISCONNECTED) {
        timeline.disconnected(session, at);
      }
    } else if (event instanceof MqttUplink) {
      timeline.uplink(at);
    } else if (event instanceof LegacyStatus status) {
      timeline.legacyStatus(status.getOnline(), at);
    }
    publish(timeline, at);
  }

  /** Every router of this task learns of the broker's start: it arrived once in each partition. */
  private void brokerStarted(long at) {
    forEveryRouter(at, timeline -> timeline.brokerStarted(at), timeline -> at);
  }

  private void check() {
    final long now = clock.now(context);
    if (now >= 0) {
      forEveryRouter(now, timeline -> timeline.tick(now), timeline -> timeline.state().getSince());
    }
  }

  /** Applies {@code change} to each router's timeline and publishes those it changed, stamped {@code when}. */
  private void forEveryRouter(long at, java.util.function.Consumer<RouterTimeline> change,
      java.util.function.ToLongFunction<RouterTimeline> when) {
    final var changed = new java.util.ArrayList<RouterTimeline>();
    try (var all = routers.all()) {
      while (all.hasNext()) {
        final var entry = all.next();
        final var timeline = RouterTimeline.of(config, entry.value, entry.key, at);
        change.accept(timeline);
        if (!timeline.outputs().isEmpty() || !timeline.state().equals(entry.value)) {
          changed.add(timeline);
        }
      }
    }
    for (RouterTimeline timeline : changed) {
      publish(timeline, when.applyAsLong(timeline));
    }
  }

  private void publish(RouterTimeline timeline, long at) {
    final String router = timeline.state().getRouterId();
    for (SpecificRecord output : timeline.outputs()) {
      if (output instanceof Alert alert) {
        context.forward(new Record<>(router, output, alert.getAt().toEpochMilli()), ALERTS);
        metrics.alert(alert.getType());
      } else if (output instanceof RouterOutage outage) {
        context.forward(new Record<>(router, output, outage.getEndedAt().toEpochMilli()), OUTAGES);
        metrics.outage(router);
      }
    }
    final RouterStatus status = timeline.statusIfChanged(at);
    if (status != null) {
      context.forward(new Record<>(router, status, at), STATUS);
    }
    routers.put(router, timeline.state());
    metrics.state(router, timeline.state().getState());
  }

  private static String routerOf(SpecificRecord event) {
    if (event instanceof ClientSession session) {
      return session.getClientId();
    }
    if (event instanceof MqttUplink uplink) {
      return uplink.getClientId();
    }
    if (event instanceof LegacyStatus status) {
      return status.getGatewayId();
    }
    return null;
  }

  private void reject(Record<String, SpecificRecord> record, String reason) {
    final RecordMetadata source = context.recordMetadata().orElse(null);
    final var rejected = DeadLetters.rejected("health", reason, source == null ? null : source.topic(),
            Instant.ofEpochMilli(record.timestamp()))
        .setSourcePartition(source == null ? null : source.partition())
        .setSourceOffset(source == null ? null : source.offset())
        .setOriginalKey(record.key() == null ? null : DeadLetters.bytes(record.key().getBytes(StandardCharsets.UTF_8)))
        .setClientId(routerOf(record.value())).build();
    context.forward(new Record<>(record.key(), rejected, record.timestamp()), DEAD_LETTERS);
  }
}
