package org.meshflow.jobs.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.meshflow.config.Durations;
import org.meshflow.records.Alert;

/** The router alerts, with ids made of type, router and event time so a replay repeats the same ids. */
final class RouterAlerts {
  private RouterAlerts() {}

  static Alert offline(String router, long since, String cause) {
    return alert("ROUTER_OFFLINE", router, "CRITICAL", since, "Router " + router + " is offline since "
        + Instant.ofEpochMilli(since) + " (" + cause + ").", null, Map.of("cause", cause, "since", iso(since)));
  }

  static Alert recovered(String router, long at, long outageSeconds, String cause) {
    return alert("ROUTER_RECOVERED", router, "INFO", at, "Router " + router + " is back after "
        + Durations.format(Duration.ofSeconds(outageSeconds)) + ".", outageSeconds, Map.of("cause", cause));
  }

  static Alert silent(String router, long at, long lastActivity, Duration threshold) {
    return alert("ROUTER_SILENT", router, "WARNING", at, "Router " + router + " is connected but has uplinked nothing for "
        + Durations.format(threshold) + ".", null, Map.of("lastSeen", iso(lastActivity)));
  }

  static Alert flapping(String router, long at, int outages, Duration window) {
    return alert("ROUTER_FLAPPING", router, "WARNING", at, "Router " + router + " went down " + outages + " times within "
        + Durations.format(window) + ".", null, Map.of("count", String.valueOf(outages), "window", Durations.format(window)));
  }

  private static Alert alert(String type, String router, String severity, long at, String message, Long outageSeconds,
      Map<String, String> details) {
    return Alert.newBuilder().setAlertId(type + "/" + router + "/" + at).setType(type).setSubject(router)
        .setSeverity(severity).setAt(Instant.ofEpochMilli(at)).setMessage(message).setOutageSeconds(outageSeconds)
        .setDetails(details).build();
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
