package org.meshflow.jobs.insight;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.meshflow.records.GatewayDuplicates;

/** The latest closed window of every gateway, as Prometheus gauges. */
final class GatewayDuplicateGauges {
  private final MeterRegistry meters;
  private final Map<String, GatewayDuplicates> latest = new ConcurrentHashMap<>();

  GatewayDuplicateGauges(MeterRegistry meters) {
    this.meters = meters;
  }

  void update(GatewayDuplicates window) {
    final String gateway = window.getGatewayId();
    final GatewayDuplicates previous = latest.put(gateway, window);
    if (previous == null) {
      Gauge.builder("meshflow.gateway.uploads", latest, m -> m.get(gateway).getFirstCopies())
          .tags("gateway", gateway, "copy", "first").description("Uploads in the last closed window").register(meters);
      Gauge.builder("meshflow.gateway.uploads", latest, m -> m.get(gateway).getDuplicates())
          .tags("gateway", gateway, "copy", "duplicate").description("Uploads in the last closed window").register(meters);
      Gauge.builder("meshflow.gateway.duplicate.ratio", latest, m -> m.get(gateway).getDuplicateRatio())
          .tags("gateway", gateway).description("Share of a gateway's uploads that were duplicates").register(meters);
    }
  }
}
