package org.meshflow.bridge.mqtt;

import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes client connections through HiveMQ's client service. The future completes once the
 * connection is closed (or there was none); a refusal by the service (its rate limit) is tried again
 * for a few seconds before the future fails.
 */
public final class ClientCutOff {
  private static final long RETRY_MILLIS = 100;
  private static final int ATTEMPTS = 50;

  private final ClientService clients;

  public ClientCutOff(ClientService clients) {
    this.clients = clients;
  }

  public CompletableFuture<Boolean> cutOff(String clientId, DisconnectReasonCode code, String reason) {
    final var closed = new CompletableFuture<Boolean>();
    attempt(clientId, code, reason, closed, 1);
    return closed;
  }

  private void attempt(String clientId, DisconnectReasonCode code, String reason, CompletableFuture<Boolean> closed,
      int attempt) {
    CompletableFuture<Boolean> request;
    try {
      request = clients.disconnectClient(clientId, false, code, reason);
    } catch (RuntimeException e) {
      request = CompletableFuture.failedFuture(e);
    }
    request.whenComplete((done, refused) -> {
      if (refused == null) {
        closed.complete(done);
      } else if (attempt >= ATTEMPTS) {
        closed.completeExceptionally(refused);
      } else {
        CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS)
            .execute(() -> attempt(clientId, code, reason, closed, attempt + 1));
      }
    });
  }
}
