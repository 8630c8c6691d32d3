package org.meshflow.bridge.mqtt;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.interceptor.puback.PubackOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.pubrec.PubrecOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.pubrec.parameter.PubrecOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.pubrec.parameter.PubrecOutboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's PUBACKs and PUBRECs for PUBLISHes on their way to Kafka: each leaves only once
 * Kafka has stored its PUBLISH. If Kafka did not, the connection is closed first (a PUBACK cannot be
 * turned into an error from here), so the acknowledgement goes nowhere and the client sends again.
 *
 * <p>Holding the acknowledgement instead of the PUBLISH lets a client's PUBLISHes travel to Kafka
 * side by side: HiveMQ runs one client's interceptors one after another, so an inbound interceptor
 * that waits for Kafka would let that client have one PUBLISH in flight at a time.
 */
final class HeldAcks implements PubackOutboundInterceptor, PubrecOutboundInterceptor {
  private static final Logger log = LoggerFactory.getLogger(HeldAcks.class);

  private final ConcurrentHashMap<Integer, CompletableFuture<?>> stored = new ConcurrentHashMap<>();
  private final Duration timeout;
  private final BiFunction<String, Throwable, CompletableFuture<?>> cutOff;
  private CompletableFuture<?> closing;  // guarded by this: the connection is closed once, for its first failure

  /**
   * @param timeout how long HiveMQ lets an acknowledgement wait; longer than it takes a store to
   *     end in success or failure, since at the timeout HiveMQ would send the acknowledgement anyway
   * @param cutOff closes a client's connection because of the failure given; completes once it is closed
   */
  HeldAcks(Duration timeout, BiFunction<String, Throwable, CompletableFuture<?>> cutOff) {
    this.timeout = timeout;
    this.cutOff = cutOff;
  }

  /** The acknowledgement of PUBLISH {@code packetId} waits for {@code store}. */
  void hold(int packetId, CompletableFuture<?> store) {
    // a client that reuses an id it has no acknowledgement for yet gets it once both are stored
    stored.merge(packetId, store, (earlier, later) -> CompletableFuture.allOf(earlier, later));
  }

  @Override
  public void onOutboundPuback(PubackOutboundInput input, PubackOutboundOutput output) {
    final var puback = input.getPubackPacket();
    release(input.getClientInformation().getClientId(), puback.getPacketIdentifier(), puback.getReasonCode(),
        output::async);
  }

  @Override
  public void onOutboundPubrec(PubrecOutboundInput input, PubrecOutboundOutput output) {
    final var pubrec = input.getPubrecPacket();
    release(input.getClientInformation().getClientId(), pubrec.getPacketIdentifier(), pubrec.getReasonCode(),
        output::async);
  }

  private void release(String clientId, int packetId, AckReasonCode code, Function<Duration, Async<?>> await) {
    final var store = stored.remove(packetId);
    if (store == null || isError(code) || (store.isDone() && !store.isCompletedExceptionally())) {
      return;
    }
    final var held = await.apply(timeout);
    store.whenComplete((ok, failure) -> {
      if (failure == null) {
        held.resume();
      } else {
        closeFor(clientId, failure).whenComplete((closed, e) -> {
          if (e != null) {
            log.error("client {} could not be disconnected, its PUBLISH is acknowledged though Kafka failed: {}",
                clientId, e.toString());
          }
          held.resume();
        });
      }
    });
  }

  private synchronized CompletableFuture<?> closeFor(String clientId, Throwable failure) {
    if (closing == null) {
      closing = cutOff.apply(clientId, failure);
    }
    return closing;
  }

  private static boolean isError(AckReasonCode code) {
    return code != AckReasonCode.SUCCESS && code != AckReasonCode.NO_MATCHING_SUBSCRIBERS;
  }
}
