package org.meshflow.jobs.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.meshflow.records.RouterState;

/**
 * Router health as Prometheus sees it: {@code meshflow_router_state{router,state}} is 1 for each
 * router's current state and 0 for the others (routers of this instance's partitions), plus counters
 * of closed outages per router and of alerts per type.
 */
final class HealthMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicReference<RouterState>> states = new ConcurrentHashMap<>();

  HealthMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void state(String router, RouterState state) {
    states.computeIfAbsent(router, r -> {
      final var current = new AtomicReference<RouterState>();
      for (RouterState candidate : RouterState.values()) {
        Gauge.builder("meshflow.router.state", current, c -> c.get() == candidate ? 1 : 0).tag("router", r)
            .tag("state", candidate.name()).description("1 when the router is in this state").register(registry);
      }
      return current;
    }).set(state);
  }

  void outage(String router) {
    Counter.builder("meshflow.router.outages").tag("router", router).description("Closed router outages")
        .register(registry).increment();
  }

  void alert(String type) {
    Counter.builder("meshflow.alerts").tag("type", type).description("Alerts raised").register(registry).increment();
  }
}
