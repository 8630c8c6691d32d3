package org.meshflow.jobs.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.meshflow.jobs.state.StateQuestion.Kind;
import org.meshflow.records.Alert;
import org.meshflow.records.NodeState;
import org.meshflow.records.PacketHeardBy;
import org.meshflow.records.RouterHealthState;
import org.meshflow.records.RouterOutage;

/**
 * The mesh's current state read from the jobs' stores (Kafka Streams interactive queries): router
 * health, nodes, and the state job's outages, alerts and heard-by lists.
 *
 * <p>A single instance ({@link #local}) holds every partition and reads its own stores. With several
 * instances of one application id ({@link #across}) each holds only its partitions: a question about
 * one key goes to the instance that owns the key's partition ({@code queryMetadataForKey}), a question
 * about everything goes to every instance that holds the store, and the answers are merged. Instances
 * find each other through {@code application.server} and answer over their {@link StateEndpoint}.
 */
public final class MeshState {
  private final Function<String, KafkaStreams> jobs;
  private final LocalState local;
  private final HostInfo self;
  private final StateClient remote;

  private MeshState(Function<String, KafkaStreams> jobs, HostInfo self, StateClient remote) {
    this.jobs = jobs;
    this.local = new LocalState(jobs);
    this.self = self;
    this.remote = remote;
  }

  /** @param jobs the running job of a name ({@code health}, {@code nodes}, {@code state}) in this process */
  public static MeshState local(Function<String, KafkaStreams> jobs) {
    return new MeshState(jobs, null, null);
  }

  /**
   * @param self this instance's {@code application.server}, where its {@link StateEndpoint} answers
   * @param timeout how long another instance may take to answer
   * @param secret what this instance shows the others' endpoints
   */
  public static MeshState across(Function<String, KafkaStreams> jobs, HostInfo self, Duration timeout,
      StateSecret secret) {
    return new MeshState(jobs, self, new StateClient(timeout, secret));
  }

  public List<RouterHealthState> routers() {
    final var routers = new ArrayList<>(everywhere(StateQuestion.of(Kind.ROUTERS, null, Map.of()),
        RouterHealthState.class));
    routers.sort(Comparator.comparing(RouterHealthState::getRouterId));
    return routers;
  }

  public Optional<RouterHealthState> router(String routerId) {
    return last(owner(StateQuestion.of(Kind.ROUTER, routerId, Map.of()), RouterHealthState.class));
  }

  /** Closed outages of a router that started between {@code from} and {@code to}, oldest first. */
  public List<RouterOutage> outages(String routerId, Instant from, Instant to) {
    return owner(StateQuestion.of(Kind.OUTAGES, routerId, Map.of("from", String.valueOf(from.toEpochMilli()),
        "to", String.valueOf(to.toEpochMilli()))), RouterOutage.class);
  }

  /** The latest alerts, newest first; only those about {@code subject} unless it is null. */
  public List<Alert> alerts(String subject, int limit) {
    final var question = StateQuestion.of(Kind.ALERTS, subject, Map.of("limit", String.valueOf(limit)));
    final var alerts = new ArrayList<>(subject == null ? everywhere(question, Alert.class)
        : owner(question, Alert.class));
    alerts.sort(LocalState.NEWEST_FIRST);
    return alerts.subList(0, Math.min(limit, alerts.size()));
  }

  public Optional<NodeState> node(String nodeId) {
    return last(owner(StateQuestion.of(Kind.NODE, nodeId, Map.of()), NodeState.class));
  }

  /** The final heard-by list of a packet (the last one, if the packet was reported twice). */
  public Optional<PacketHeardBy> heardBy(String packetKey) {
    return last(owner(StateQuestion.of(Kind.HEARD_BY, packetKey, Map.of()), PacketHeardBy.class));
  }

  /** Asks the instance that owns the question's key. */
  private <T extends SpecificRecord> List<T> owner(StateQuestion question, Class<T> type) {
    if (self == null) {
      return cast(local.answer(question), type);
    }
    final Kind kind = question.kind();
    final KeyQueryMetadata owner = running(kind.job).queryMetadataForKey(kind.store, question.key(),
        Serdes.String().serializer());
    if (owner == null || owner.activeHost() == null || owner.activeHost().port() < 0) {
      throw moving(kind.job);
    }
    final StateQuestion there = question.at(owner.partition());
    return owner.activeHost().equals(self) ? cast(local.answer(there), type) : remote.ask(owner.activeHost(), there, type);
  }

  /** Asks every instance that holds the store, each for its own partitions. */
  private <T extends SpecificRecord> List<T> everywhere(StateQuestion question, Class<T> type) {
    if (self == null) {
      return cast(local.answer(question), type);
    }
    final Kind kind = question.kind();
    // standby copies are not asked: they may lag, and their partitions are answered by the active instance
    final List<HostInfo> holders = running(kind.job).streamsMetadataForStore(kind.store).stream()
        .filter(instance -> instance.stateStoreNames().contains(kind.store)).map(StreamsMetadata::hostInfo)
        .distinct().toList();
    if (holders.isEmpty()) {
      throw moving(kind.job);
    }
    final var answers = new ArrayList<T>();
    for (HostInfo holder : holders) {
      answers.addAll(holder.equals(self) ? cast(local.answer(question), type) : remote.ask(holder, question, type));
    }
    return answers;
  }

  private KafkaStreams running(String job) {
    final KafkaStreams streams = jobs.apply(job);
    if (streams == null) {
      throw new StateUnavailableException("the " + job + " job is not running in this process");
    }
    if (streams.state() != KafkaStreams.State.RUNNING) {
      throw new StateUnavailableException("the " + job + " job is " + streams.state().name().toLowerCase(Locale.ROOT)
          + " (partitions moving between instances); try again shortly");
    }
    return streams;
  }

  private static StateUnavailableException moving(String job) {
    return new StateUnavailableException("no instance holds the " + job + " job's state right now (starting or "
        + "rebalancing); try again shortly");
  }

  private static <T> List<T> cast(List<SpecificRecord> records, Class<T> type) {
    return records.stream().map(type::cast).toList();
  }

  private static <T> Optional<T> last(List<T> values) {
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
  }
}
