package org.meshflow.jobs.dedup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** What the dedup job did with each copy, as Prometheus counters. */
final class DedupMetrics {
  private final Counter unique;
  private final Counter duplicates;
  private final Counter late;
  private final Counter rejected;
  private final Counter flooding;

  DedupMetrics(MeterRegistry registry) {
    unique = copies(registry, "first");
    duplicates = copies(registry, "duplicate");
    late = copies(registry, "late");
    rejected = copies(registry, "rejected");
    flooding = Counter.builder("meshflow.dedup.flooding.packets").description("Unique packets over a node's rate limit")
        .register(registry);
  }

  private static Counter copies(MeterRegistry registry, String outcome) {
    return Counter.builder("meshflow.dedup.copies").description("Receptions by what dedup made of them")
        .tag("outcome", outcome).register(registry);
  }

  void unique() {
    unique.increment();
  }

  void duplicate() {
    duplicates.increment();
  }

  void late() {
    late.increment();
  }

  void rejected() {
    rejected.increment();
  }

  void flooding() {
    flooding.increment();
  }
}
