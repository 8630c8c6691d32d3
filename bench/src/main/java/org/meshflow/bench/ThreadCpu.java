package org.meshflow.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time the threads of this process spent between {@link #start()} and {@link #stop()}, summed
 * per part of the system by thread name (HiveMQ's network threads, its extension executor, the
 * bridge's producer, the Kafka broker, the MQTT clients). Threads started in between count from zero.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final Map<String, String> PARTS = new LinkedHashMap<>();

  static {
    PARTS.put("hivemq-eventloop", "hivemq network");
    PARTS.put("extension-task-executor", "hivemq extension executor");
    PARTS.put("com.hivemq.client", "mqtt clients");
    PARTS.put("meshflow-bridge", "bridge serializer+producer");
    PARTS.put("kafka-producer-network-thread", "bridge serializer+producer");
    for (final var kafka : new String[] {"data-plane-kafka", "kafka-", "broker-", "raft", "quorum-controller",
        "ExpirationReaper", "log-", "LogDirFailureHandler", "group-coordinator", "executor-"}) {
      PARTS.put(kafka, "kafka broker");
    }
  }

  private final Map<Long, Long> before = new HashMap<>();
  private final Map<String, Long> spent = new LinkedHashMap<>();

  void start() {
    before.clear();
    for (final long id : THREADS.getAllThreadIds()) {
      before.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
    }
  }

  void stop() {
    spent.clear();
    final var infos = THREADS.getThreadInfo(THREADS.getAllThreadIds());
    for (final var info : infos) {
      if (info == null) {
        continue;
      }
      final long now = THREADS.getThreadCpuTime(info.getThreadId());
      if (now < 0) {
        continue;
      }
      final long used = now - before.getOrDefault(info.getThreadId(), 0L);
      spent.merge(part(info.getThreadName()), used, Long::sum);
    }
  }

  /** Microseconds of CPU per publish, by part, largest first. */
  String perPublish(long publishes) {
    final var line = new StringBuilder();
    spent.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> line.append(String.format("%s %.1f, ", e.getKey(), e.getValue() / 1e3 / publishes)));
    return line.length() == 0 ? "" : line.substring(0, line.length() - 2);
  }

  private static String part(String threadName) {
    for (final var part : PARTS.entrySet()) {
      if (threadName.startsWith(part.getKey()) || threadName.contains(part.getKey())) {
        return part.getValue();
      }
    }
    return "other";
  }
}
