package org.meshflow.bridge.security;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a rejection once per client and cause (a flooding client would otherwise flood the log too). */
public final class RejectionLog {
  private static final Logger log = LoggerFactory.getLogger(RejectionLog.class);
  private static final int MAX_REMEMBERED = 100_000;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  public void record(String clientId, String topic, Rejection rejection) {
    if (logged.size() > MAX_REMEMBERED) {
      logged.clear();
    }
    if (logged.add(clientId + '\0' + rejection.cause().tag())) {
      log.warn("rejected PUBLISH of client {} to {}: {} ({}); further {} rejections of this client are only counted",
          clientId, topic, rejection.reason(), rejection.cause().tag(), rejection.cause().tag());
    }
  }

  public void forget(String clientId) {
    logged.removeIf(key -> key.startsWith(clientId + '\0'));
  }
}
