package org.meshflow.jobs.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.meshflow.records.ClientSession;
import org.meshflow.records.DisconnectReason;
import org.meshflow.records.RouterHealthState;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterState;
import org.meshflow.records.RouterStatus;

/**
 * How one router's state moves with its events. All times are event times, so replaying the same
 * events gives the same outages and the same alerts. An event older than what it would override
 * (a late disconnect of a taken-over connection, a repeat) changes nothing.
 */
final class RouterTimeline {
  private final HealthConfig config;
  private final RouterHealthState state;
  private final List<SpecificRecord> outputs = new ArrayList<>();
  private boolean statusChanged;

  private RouterTimeline(HealthConfig config, RouterHealthState state) {
    this.config = config;
    this.state = state;
  }

  static RouterTimeline of(HealthConfig config, RouterHealthState known, String router, long at) {
    final RouterHealthState state = known != null ? RouterHealthState.newBuilder(known).build()
        : RouterHealthState.newBuilder().setRouterId(router).setState(RouterState.UNKNOWN).setSince(at)
            .setConnected(false).setLastActivityAt(at).setRecentOutageStarts(new ArrayList<>()).build();
    final var timeline = new RouterTimeline(config, state);
    timeline.statusChanged = known == null;
    return timeline;
  }

  RouterHealthState state() {
    return state;
  }

  /** Outage records and alerts this change produced, in order. */
  List<SpecificRecord> outputs() {
    return outputs;
  }

  /** The status record when something a status reader sees has changed, else null. */
  RouterStatus statusIfChanged(long at) {
    if (!statusChanged) {
      return null;
    }
    state.setStatusPublishedAt(at);
    return RouterStatus.newBuilder().setRouterId(state.getRouterId()).setState(state.getState())
        .setSince(Instant.ofEpochMilli(state.getSince())).setConnected(state.getConnected())
        .setLastUplinkAt(instant(state.getLastUplinkAt())).setLastConnectedAt(instant(state.getLastConnectedAt()))
        .setLastDisconnectedAt(instant(state.getLastDisconnectedAt()))
        .setLastDisconnectReason(state.getLastDisconnectReason()).setKeepAliveSeconds(state.getKeepAliveSeconds())
        .setUplinks(state.getUplinks()).setOutageCount(state.getOutageCount())
        .setLastOutageSeconds(state.getLastOutageSeconds()).setUpdatedAt(Instant.ofEpochMilli(at)).build();
  }

  void connected(ClientSession session, long at) {
    state.setSessionTracked(true);
    if (state.getConnected() && session.getConnectionId() != null
        && session.getConnectionId().equals(state.getConnectionId())) {
      return;
    }
    if (state.getLastConnectedAt() != null && at < state.getLastConnectedAt()) {
      return;
    }
    back(at, session.getConnectionId());
    state.setLastConnectedAt(at);
    state.setKeepAliveSeconds(session.getKeepAliveSeconds());
    statusChanged = true;
  }

  void disconnected(ClientSession session, long at) {
    state.setSessionTracked(true);
    final DisconnectReason reason = session.getReason() == null ? DisconnectReason.UNKNOWN : session.getReason();
    // a taken-over session was replaced by a new connection of the same router; a refused one never was up
    if (reason == DisconnectReason.TAKEN_OVER || reason == DisconnectReason.AUTH_FAILURE) {
      return;
    }
    if (session.getConnectionId() != null && state.getConnectionId() != null
        && !session.getConnectionId().equals(state.getConnectionId())) {
      return;
    }
    if (reason == DisconnectReason.SERVER_STOP) {
      unobserved(at, at, reason.name());
      return;
    }
    lost(at, reason.name());
  }

  /**
   * The broker (re)started at {@code at}: a session it had before is gone, though no disconnect may
   * have said so (a killed broker). The router gets offline-grace from now to come back.
   */
  void brokerStarted(long at) {
    if (!state.getSessionTracked()) {
      return;
    }
    if (state.getConnected() && (state.getLastConnectedAt() == null || state.getLastConnectedAt() < at)) {
      unobserved(state.getLastActivityAt(), at, "BROKER_RESTART");
    }
    if (state.getUnobservedSince() != null && !state.getConnected() && state.getUnobservedSince() <= at) {
      state.setAwaitingSince(at);
    }
  }

  /**
   * Meshflow's own broker went away under a connected router: that is not the router's outage. Nothing
   * is known of it from {@code lastSeen} until the broker is back; then it has offline-grace to return.
   */
  private void unobserved(long lastSeen, long at, String cause) {
    if (state.getLastConnectedAt() != null && at < state.getLastConnectedAt()) {
      return;
    }
    state.setConnected(false);
    state.setLastDisconnectedAt(at);
    state.setLastDisconnectReason(cause);
    if (state.getOutageStartedAt() == null) {
      state.setUnobservedSince(lastSeen);
    }
    statusChanged = true;
  }

  void uplink(long at) {
    state.setUplinks(state.getUplinks() + 1);
    state.setLastUplinkAt(Math.max(at, state.getLastUplinkAt() == null ? at : state.getLastUplinkAt()));
    state.setLastActivityAt(Math.max(at, state.getLastActivityAt()));
    if (state.getLastDisconnectedAt() != null && at < state.getLastDisconnectedAt()) {
      return;
    }
    if (!state.getConnected() || state.getState() != RouterState.ONLINE) {
      // a sign of life: the router is back even if its CONNECTED was not seen (yet)
      back(at, state.getConnectionId());
    }
    final Long published = state.getStatusPublishedAt();
    if (published == null || at - published >= config.statusRefresh().toMillis()) {
      statusChanged = true;
    }
  }

  void legacyStatus(boolean online, long at) {
    if (state.getSessionTracked()) {
      return;
    }
    if (online) {
      if (state.getLastConnectedAt() == null || at >= state.getLastConnectedAt()) {
        back(at, null);
        state.setLastConnectedAt(at);
      }
    } else {
      lost(at, "STATUS_OFFLINE");
    }
  }

  /** Decisions that need time to pass without events: offline grace, silence, end of flapping. */
  void tick(long now) {
    final Long awaiting = state.getAwaitingSince();
    if (awaiting != null && !state.getConnected() && now - awaiting >= config.offlineGrace().toMillis()) {
      // not back after the broker was: lost since it was last seen
      final long lastSeen = state.getUnobservedSince();
      clearUnobserved();
      openOutage(lastSeen, "NOT_BACK_AFTER_BROKER_RESTART");
      setState(RouterState.OFFLINE, lastSeen);
    }
    final Long start = state.getOutageStartedAt();
    if (start != null && state.getState() == RouterState.OFFLINE && !state.getOfflineAlerted()
        && now - start >= config.offlineGrace().toMillis()) {
      state.setOfflineAlerted(true);
      outputs.add(RouterAlerts.offline(state.getRouterId(), start, state.getOutageCause()));
    }
    final long silentAt = state.getLastActivityAt() + config.silenceThreshold().toMillis();
    if (state.getConnected() && state.getState() == RouterState.ONLINE && now >= silentAt) {
      if (start == null) {
        openOutage(state.getLastActivityAt(), "SILENT");
      }
      state.setSilentAlerted(true);
      setState(RouterState.SILENT, silentAt);
      outputs.add(RouterAlerts.silent(state.getRouterId(), silentAt, state.getLastActivityAt(), config.silenceThreshold()));
    }
    if (state.getFlapping() && recentOutages(now) < config.flappingOutages()) {
      state.setFlapping(false);
    }
  }

  private void back(long at, String connectionId) {
    clearUnobserved();
    state.setConnected(true);
    state.setConnectionId(connectionId);
    state.setLastActivityAt(Math.max(at, state.getLastActivityAt()));
    if (state.getOutageStartedAt() != null) {
      closeOutage(Math.max(at, state.getOutageStartedAt()));
    }
    if (state.getState() != RouterState.ONLINE) {
      setState(RouterState.ONLINE, at);
    }
  }

  private void lost(long at, String cause) {
    if (!state.getConnected() && state.getLastDisconnectedAt() != null && at <= state.getLastDisconnectedAt()) {
      return;
    }
    if (state.getLastConnectedAt() != null && at < state.getLastConnectedAt()) {
      return;
    }
    if (!state.getConnected() && state.getState() == RouterState.OFFLINE) {
      return;
    }
    state.setConnected(false);
    state.setLastDisconnectedAt(at);
    state.setLastDisconnectReason(cause);
    if (state.getOutageStartedAt() == null) {
      openOutage(at, cause);
    }
    setState(RouterState.OFFLINE, at);
  }

  private void clearUnobserved() {
    state.setUnobservedSince(null);
    state.setAwaitingSince(null);
  }

  private void openOutage(long start, String cause) {
    state.setOutageStartedAt(start);
    state.setOutageCause(cause);
    state.setOfflineAlerted(false);
    state.setSilentAlerted(false);
    final long windowStart = start - config.flappingWindow().toMillis();
    final var starts = new ArrayList<Long>();
    for (Long earlier : state.getRecentOutageStarts()) {
      if (earlier > windowStart) {
        starts.add(earlier);
      }
    }
    starts.add(start);
    state.setRecentOutageStarts(starts);
    if (starts.size() < config.flappingOutages()) {
      state.setFlapping(false);
    } else if (!state.getFlapping()) {
      state.setFlapping(true);
      outputs.add(RouterAlerts.flapping(state.getRouterId(), start, starts.size(), config.flappingWindow()));
    }
  }

  private void closeOutage(long end) {
    final long start = state.getOutageStartedAt();
    final long seconds = (end - start) / 1000;
    final String cause = Objects.requireNonNullElse(state.getOutageCause(), "UNKNOWN");
    boolean alerted = state.getOfflineAlerted() || state.getSilentAlerted();
    if (!alerted && end - start >= config.offlineGrace().toMillis()) {
      // the grace ran out while nobody was looking (job down or catching up): same alert, same id
      outputs.add(RouterAlerts.offline(state.getRouterId(), start, cause));
      alerted = true;
    }
    outputs.add(RouterOutage.newBuilder().setRouterId(state.getRouterId()).setOutageId(state.getRouterId() + "/" + start)
        .setStartedAt(Instant.ofEpochMilli(start)).setEndedAt(Instant.ofEpochMilli(end)).setDurationSeconds(seconds)
        .setCause(cause).setAlerted(alerted).build());
    if (alerted) {
      outputs.add(RouterAlerts.recovered(state.getRouterId(), end, seconds, cause));
    }
    state.setOutageCount(state.getOutageCount() + 1);
    state.setLastOutageSeconds(seconds);
    state.setOutageStartedAt(null);
    state.setOutageCause(null);
    state.setOfflineAlerted(false);
    state.setSilentAlerted(false);
  }

  private int recentOutages(long now) {
    final long windowStart = now - config.flappingWindow().toMillis();
    return (int) state.getRecentOutageStarts().stream().filter(start -> start > windowStart).count();
  }

  private void setState(RouterState next, long since) {
    state.setState(next);
    state.setSince(since);
    statusChanged = true;
  }

  private static Instant instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }
}
