package org.meshflow.bridge.mqtt;

import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.client.ClientContext;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.meshflow.bridge.configuration.BridgeConfig;
import org.meshflow.bridge.configuration.UplinkMapping;
import org.meshflow.bridge.kafka.RecordSender;
import org.meshflow.bridge.limits.PublishRateLimiter;
import org.meshflow.bridge.metrics.BridgeMetrics;
import org.meshflow.bridge.security.AccessPolicy;
import org.meshflow.bridge.security.BridgeAuthenticator;
import org.meshflow.bridge.security.Principals;
import org.meshflow.bridge.security.RejectCause;
import org.meshflow.bridge.security.Rejection;
import org.meshflow.bridge.security.RejectionLog;
import org.meshflow.records.MqttUplink;
import org.meshflow.serde.AvroSerde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every client PUBLISH passes here: access rules and limits first, then PUBLISHes on mapped topics
 * go to Kafka. A QoS 1/2 PUBLISH is acknowledged only once Kafka has it. While Kafka stores a
 * mapping's records, the PUBLISH goes on at once and its acknowledgement is held ({@link HeldAcks}),
 * so a client's PUBLISHes travel to Kafka side by side; if Kafka then fails, the client's connection
 * is closed without the acknowledgement (MQTT 5: DISCONNECT with an error reason code) and it sends
 * again. Once a mapping's store failed, its PUBLISHes wait here until Kafka answers, until one is
 * stored again: there an MQTT 5 client gets an error reason code in its PUBACK and an MQTT 3 client
 * no acknowledgement.
 */
public final class UplinkInterceptor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UplinkInterceptor.class);
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final BridgeConfig config;
  private final Principals principals;
  private final AccessPolicy policy;
  private final PublishRateLimiter rateLimiter;
  private final RejectionLog rejectionLog;
  private final RecordSender sender;
  private final AvroSerde<MqttUplink> serde;
  private final BridgeMetrics metrics;
  private final Semaphore inFlight;
  private final ClientCutOff cutOff;
  private final AcceptedPublishes accepted;
  private final Duration mqttTimeout;
  private final long storeDeadlineNanos;
  private final StoreDeadlines storeDeadlines;
  private final Duration heldAckTimeout;
  private final Set<String> failingMappings = ConcurrentHashMap.newKeySet();

  public UplinkInterceptor(BridgeConfig config, Principals principals, PublishRateLimiter rateLimiter,
      RejectionLog rejectionLog, RecordSender sender, AvroSerde<MqttUplink> serde, BridgeMetrics metrics,
      ClientCutOff cutOff, AcceptedPublishes accepted) {
    this.config = config;
    this.principals = principals;
    this.policy = new AccessPolicy(config.access());
    this.rateLimiter = rateLimiter;
    this.rejectionLog = rejectionLog;
    this.sender = sender;
    this.serde = serde;
    this.metrics = metrics;
    this.inFlight = new Semaphore(config.limits().maxInFlight());
    this.cutOff = cutOff;
    this.accepted = accepted;
    // a little longer than the producer's own delivery timeout, so Kafka's verdict normally arrives first
    this.mqttTimeout = config.kafka().ackTimeout().plusSeconds(2);
    final var storeDeadline = config.kafka().ackTimeout().plusSeconds(1);
    this.storeDeadlineNanos = storeDeadline.toNanos();
    this.storeDeadlines = new StoreDeadlines(storeDeadline, Duration.ofMillis(100), failingMappings::add);
    // HiveMQ sends a held acknowledgement at this timeout: the deadline above and the cut-off come well before
    this.heldAckTimeout = storeDeadline.plusSeconds(15);
  }

  /** Sets up a new connection: its PUBLISHes pass here, its acknowledgements wait for Kafka in its own {@link HeldAcks}. */
  public void initialize(ClientContext client) {
    final var held = new HeldAcks(heldAckTimeout, this::cutOffUnstored);
    client.addPublishInboundInterceptor((input, output) -> onInboundPublish(input, output, held));
    client.addPubackOutboundInterceptor(held);
    client.addPubrecOutboundInterceptor(held);
  }

  private void onInboundPublish(PublishInboundInput input, PublishInboundOutput output, HeldAcks held) {
    final var clientId = input.getClientInformation().getClientId();
    final var packet = input.getPublishPacket();
    final var topic = packet.getTopic();
    final var connection = input.getConnectionInformation();
    final var mqtt5 = connection.getMqttVersion() == MqttVersion.V_5;
    final var qos0 = packet.getQos() == Qos.AT_MOST_ONCE;
    final var username = connection.getConnectionAttributeStore()
        .getAsString(BridgeAuthenticator.USER_ATTRIBUTE).orElse(null);
    final var principal = principals.resolve(username);
    final var payload = packet.getPayload().orElse(EMPTY);
    final var mapping = config.uplinkFor(topic).orElse(null);

    var rejection = policy.check(principal, clientId, topic, payload, mapping != null);
    if (rejection == null && mqtt5) {
      rejection = policy.checkProperties(principal, clientId, topic, packet.getUserProperties()::getAllForName);
    }
    if (rejection == null && !principal.privileged()) {
      final var verdict = rateLimiter.admit(clientId);
      if (verdict != PublishRateLimiter.Verdict.ALLOW) {
        rejection = new Rejection(RejectCause.RATE, "publish rate above " + config.limits().publishRate() + "/s");
        if (verdict == PublishRateLimiter.Verdict.DISCONNECT) {
          log.warn("disconnecting client {}: it kept publishing above its rate limit", clientId);
          cutOff.cutOff(clientId, DisconnectReasonCode.MESSAGE_RATE_TOO_HIGH, "publish rate limit exceeded");
        }
      }
    }
    if (rejection == null && mapping != null && payload.remaining() > mapping.maxPayloadBytes()) {
      rejection = new Rejection(RejectCause.PAYLOAD_SIZE, "payload of " + payload.remaining() + " bytes exceeds "
          + mapping.maxPayloadBytes());
    }
    if (rejection == null && mapping != null && !inFlight.tryAcquire()) {
      rejection = new Rejection(RejectCause.IN_FLIGHT, "too many messages waiting for Kafka, try again");
    }
    if (rejection != null) {
      reject(output, clientId, topic, rejection, mqtt5, qos0);
      return;
    }
    accepted.accepted(clientId, topic, payload);
    if (mapping != null) {
      final var stored = store(mapping, UplinkRecords.uplink(packet, clientId, username),
          UplinkRecords.key(mapping, clientId, topic));
      if (qos0) {
        return;
      }
      if (failingMappings.contains(mapping.id())) {
        awaitStore(output, stored);
      } else {
        held.hold(packet.getPacketId(), storeDeadlines.watch(stored, mapping.id()));
      }
    }
  }

  /** Sends the record; the future completes when Kafka stored it or failed to. */
  private CompletableFuture<Void> store(UplinkMapping mapping, MqttUplink record, byte[] key) {
    metrics.inFlight().incrementAndGet();
    final long start = System.nanoTime();
    final var stored = new CompletableFuture<Void>();
    sender.send(mapping.kafkaTopic(), key, () -> serde.serialize(mapping.kafkaTopic(), record),
        start + storeDeadlineNanos, (metadata, e) -> {
          done(mapping, start, e);
          if (e == null) {
            stored.complete(null);
          } else {
            stored.completeExceptionally(e);
          }
        });
    return stored;
  }

  /** Holds the PUBLISH itself until Kafka answered, so that a failure can still refuse it with a reason code. */
  private void awaitStore(PublishInboundOutput output, CompletableFuture<Void> stored) {
    final var async = output.async(mqttTimeout, TimeoutFallback.FAILURE, AckReasonCode.UNSPECIFIED_ERROR,
        "Kafka did not acknowledge in time");
    stored.whenComplete((ok, e) -> {
      try {
        if (e != null) {
          output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, "not stored: " + e.getMessage());
        }
        async.resume();
      } catch (RuntimeException late) {
        log.debug("Kafka answered after the MQTT timeout: {}", late.toString());
      }
    });
  }

  private CompletableFuture<?> cutOffUnstored(String clientId, Throwable failure) {
    log.warn("closing the connection of client {} without acknowledging its PUBLISH: not stored in Kafka ({})",
        clientId, failure.toString());
    return cutOff.cutOff(clientId, DisconnectReasonCode.UNSPECIFIED_ERROR, "PUBLISH not stored in Kafka, send it again");
  }

  @Override
  public void close() {
    storeDeadlines.close();
  }

  private void done(UplinkMapping mapping, long start, Exception e) {
    inFlight.release();
    metrics.inFlight().decrementAndGet();
    if (e == null) {
      if (!failingMappings.isEmpty()) {
        failingMappings.remove(mapping.id());
      }
      metrics.forwarded(mapping.id());
      metrics.ackLatency(mapping.id(), Duration.ofNanos(System.nanoTime() - start));
    } else {
      failingMappings.add(mapping.id());
      metrics.failed(mapping.id());
      log.warn("PUBLISH not written to Kafka topic {}: {}", mapping.kafkaTopic(), e.toString());
    }
  }

  private void reject(PublishInboundOutput output, String clientId, String topic, Rejection rejection, boolean mqtt5,
      boolean qos0) {
    metrics.rejected(rejection.cause().tag());
    rejectionLog.record(clientId, topic, rejection);
    if (mqtt5 || (rejection.cause().transientFailure() && !qos0)) {
      output.preventPublishDelivery(rejection.cause().reasonCode(), rejection.reason());
    } else {
      // MQTT 3 knows no reason codes and would be disconnected by any; a refusal for good is acknowledged and dropped
      output.preventPublishDelivery(AckReasonCode.SUCCESS);
    }
  }
}
