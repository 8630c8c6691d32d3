package org.meshflow.bridge.mqtt;

import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListenerProvider;
import com.hivemq.extension.sdk.api.events.client.parameters.ClientLifecycleEventListenerProviderInput;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.meshflow.bridge.configuration.SessionEventsSettings;
import org.meshflow.bridge.kafka.RecordSender;
import org.meshflow.bridge.metrics.BridgeMetrics;
import org.meshflow.records.ClientSession;
import org.meshflow.records.SessionEvent;
import org.meshflow.serde.AvroSerde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Gives each connection a listener; writes the session records of covered clients, keyed by client id. */
public final class SessionEvents implements ClientLifecycleEventListenerProvider {
  private static final Logger log = LoggerFactory.getLogger(SessionEvents.class);

  private final SessionEventsSettings settings;
  private final RecordSender sender;
  private final AvroSerde<ClientSession> serde;
  private final BridgeMetrics metrics;
  private final Consumer<String> onGone;
  private volatile boolean brokerStopping;

  public SessionEvents(SessionEventsSettings settings, RecordSender sender, AvroSerde<ClientSession> serde,
      BridgeMetrics metrics, Consumer<String> onGone) {
    this.settings = settings;
    this.sender = sender;
    this.serde = serde;
    this.metrics = metrics;
    this.onGone = onGone;
  }

  @Override
  public ClientLifecycleEventListener getClientLifecycleEventListener(ClientLifecycleEventListenerProviderInput input) {
    return new SessionEventListener(this::write, onGone, () -> brokerStopping);
  }

  /** From now on a lost connection is the broker's stop (HiveMQ reports its own shutdown as connections lost). */
  public void brokerStopping() {
    brokerStopping = true;
  }

  /**
   * Tells the consumers that no connection from before this start is open any more (the records of
   * a broker that was killed never said so): one BROKER_STARTED record with an empty client id in
   * every partition of the session topic, ahead of the connects that follow.
   */
  public void brokerStarted() {
    if (!settings.enabled()) {
      return;
    }
    final var topic = settings.kafkaTopic();
    final var started = ClientSession.newBuilder().setClientId("").setEvent(SessionEvent.BROKER_STARTED)
        .setAt(java.time.Instant.now()).build();
    sender.sendToEveryPartition(topic, new byte[0], () -> serde.serialize(topic, started), (metadata, e) -> {
      if (e == null) {
        metrics.session(SessionEvent.BROKER_STARTED.name());
      } else {
        metrics.sessionFailed();
        log.warn("broker start not written to Kafka topic {}: {}", topic, e.toString());
      }
    });
  }

  private void write(ClientSession session) {
    if (!settings.covers(session.getClientId())) {
      return;
    }
    final var topic = settings.kafkaTopic();
    sender.send(topic, session.getClientId().getBytes(StandardCharsets.UTF_8), () -> serde.serialize(topic, session),
        (metadata, e) -> {
          if (e == null) {
            metrics.session(session.getEvent().name());
          } else {
            metrics.sessionFailed();
            log.warn("session event {} of client {} not written to Kafka: {}", session.getEvent(),
                session.getClientId(), e.toString());
          }
        });
  }
}
