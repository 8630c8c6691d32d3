package org.meshflow.jobs.state;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.meshflow.jobs.health.HealthTopology;
import org.meshflow.jobs.nodes.NodesTopology;
import org.meshflow.records.Alert;
import org.meshflow.records.NodeState;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.RouterHealthState;
import org.meshflow.records.RouterOutage;

/**
 * One question to the jobs' stores, as one instance asks another over HTTP. A question with a
 * {@code key} is answered by the instance that owns the key's partition; one without is answered by
 * every instance for its own partitions, and the answers are merged.
 *
 * @param args further arguments ({@code from}, {@code to} in epoch milliseconds; {@code limit})
 * @param partition the partition to read, or null for every partition this instance holds
 */
record StateQuestion(Kind kind, String key, Map<String, String> args, Integer partition) {

  /** What is asked: which job's store, holding which records. */
  enum Kind {
    ROUTERS("health", HealthTopology.HEALTH_STORE, RouterHealthState.class),
    ROUTER("health", HealthTopology.HEALTH_STORE, RouterHealthState.class),
    OUTAGES("state", MeshStateTopology.OUTAGES_STORE, RouterOutage.class),
    ALERTS("state", MeshStateTopology.ALERTS_STORE, Alert.class),
    NODE("nodes", NodesTopology.NODES_STORE, NodeState.class),
    HEARD_BY("state", MeshStateTopology.HEARD_BY_STORE, PacketHeardBy.class);

    final String job;
    final String store;
    final Class<? extends SpecificRecord> type;

    Kind(String job, String store, Class<? extends SpecificRecord> type) {
      this.job = job;
      this.store = store;
      this.type = type;
    }

    String path() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Optional<Kind> ofPath(String path) {
      return Arrays.stream(values()).filter(k -> k.path().equals(path)).findFirst();
    }
  }

  StateQuestion {
    args = Map.copyOf(args);
  }

  static StateQuestion of(Kind kind, String key, Map<String, String> args) {
    return new StateQuestion(kind, key, args, null);
  }

  StateQuestion at(int partition) {
    return new StateQuestion(kind, key, args, partition);
  }

  String arg(String name) {
    return args.get(name);
  }

  /** The HTTP path and query that ask this question, relative to the endpoint's root. */
  String pathAndQuery() {
    final var params = new LinkedHashMap<String, String>();
    if (key != null) {
      params.put("key", key);
    }
    params.putAll(args);
    if (partition != null) {
      params.put("partition", partition.toString());
    }
    return kind.path() + (params.isEmpty() ? "" : "?" + params.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&")));
  }

  /** The question an HTTP request asks; empty when the path names no kind of question. */
  static Optional<StateQuestion> parse(String path, String rawQuery) {
    final Optional<Kind> kind = Kind.ofPath(path);
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    final var params = new LinkedHashMap<String, String>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        final int eq = pair.indexOf('=');
        final String name = eq < 0 ? pair : pair.substring(0, eq);
        params.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    final String key = params.remove("key");
    final String partition = params.remove("partition");
    return Optional.of(new StateQuestion(kind.get(), key, params,
        partition == null ? null : Integer.valueOf(partition)));
  }
}
