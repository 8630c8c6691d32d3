package org.meshflow.jobs.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.meshflow.jobs.health.HealthTopology;
import org.meshflow.jobs.nodes.NodesTopology;
import org.meshflow.records.Alert;
import org.meshflow.records.NodeState;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.RouterHealthState;
import org.meshflow.records.RouterOutage;

/**
 * The mesh's current state read from the jobs' stores (Kafka Streams interactive queries): router
 * health, nodes, and the state job's outages, alerts and heard-by lists.
 *
 * <p>It reads the stores of this process, which hold every key while one instance runs the jobs.
 * With several instances each holds only its partitions; the owner of a key is then found with
 * {@code KafkaStreams.queryMetadataForKey} and asked over {@code application.server} (not built yet).
 */
public final class MeshState {
  private final Function<String, KafkaStreams> jobs;

  /** @param jobs the running job of a name ({@code health}, {@code nodes}, {@code state}) */
  public MeshState(Function<String, KafkaStreams> jobs) {
    this.jobs = jobs;
  }

  public List<RouterHealthState> routers() {
    final var routers = new ArrayList<RouterHealthState>();
    try (var all = keyValue("health", HealthTopology.HEALTH_STORE, RouterHealthState.class).all()) {
      all.forEachRemaining(entry -> routers.add(entry.value));
    }
    routers.sort(Comparator.comparing(RouterHealthState::getRouterId));
    return routers;
  }

  public Optional<RouterHealthState> router(String routerId) {
    return Optional.ofNullable(keyValue("health", HealthTopology.HEALTH_STORE, RouterHealthState.class).get(routerId));
  }

  /** Closed outages of a router that started between {@code from} and {@code to}, oldest first. */
  public List<RouterOutage> outages(String routerId, Instant from, Instant to) {
    final var outages = new ArrayList<RouterOutage>();
    try (var found = window(MeshStateTopology.OUTAGES_STORE, RouterOutage.class).fetch(routerId, from, to)) {
      found.forEachRemaining(entry -> outages.add(entry.value));
    }
    return outages;
  }

  /** The latest alerts, newest first; only those about {@code subject} unless it is null. */
  public List<Alert> alerts(String subject, int limit) {
    final var alerts = new ArrayList<Alert>();
    final ReadOnlyWindowStore<String, Alert> store = window(MeshStateTopology.ALERTS_STORE, Alert.class);
    if (subject == null) {
      try (var all = store.all()) {
        all.forEachRemaining(entry -> alerts.add(entry.value));
      }
    } else {
      try (var found = store.fetch(subject, Instant.EPOCH, Instant.now().plusSeconds(86_400))) {
        found.forEachRemaining(entry -> alerts.add(entry.value));
      }
    }
    alerts.sort(Comparator.comparing(Alert::getAt).reversed().thenComparing(Alert::getAlertId));
    return alerts.subList(0, Math.min(limit, alerts.size()));
  }

  public Optional<NodeState> node(String nodeId) {
    return Optional.ofNullable(keyValue("nodes", NodesTopology.NODES_STORE, NodeState.class).get(nodeId));
  }

  /** The final heard-by list of a packet (the last one, if the packet was reported twice). */
  public Optional<PacketHeardBy> heardBy(String packetKey) {
    PacketHeardBy latest = null;
    try (var found = window(MeshStateTopology.HEARD_BY_STORE, PacketHeardBy.class)
        .fetch(packetKey, Instant.EPOCH, Instant.now().plusSeconds(86_400))) {
      while (found.hasNext()) {
        latest = found.next().value;
      }
    }
    return Optional.ofNullable(latest);
  }

  private <V> ReadOnlyKeyValueStore<String, V> keyValue(String job, String store, Class<V> type) {
    return store(job, store, QueryableStoreTypes.<String, V>keyValueStore());
  }

  private <V> ReadOnlyWindowStore<String, V> window(String store, Class<V> type) {
    return store("state", store, QueryableStoreTypes.<String, V>windowStore());
  }

  private <T> T store(String job, String store, QueryableStoreType<T> type) {
    final KafkaStreams streams = jobs.apply(job);
    if (streams == null) {
      throw new StateUnavailableException("the " + job + " job is not running in this process");
    }
    try {
      return streams.store(StoreQueryParameters.fromNameAndType(store, type));
    } catch (InvalidStateStoreException e) {
      throw new StateUnavailableException("the " + job + " job's state is not ready (starting or rebalancing); try again shortly");
    }
  }
}
