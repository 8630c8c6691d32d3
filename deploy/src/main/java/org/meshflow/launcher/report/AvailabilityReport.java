package org.meshflow.launcher.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.meshflow.records.RouterOutage;
import org.meshflow.records.RouterState;
import org.meshflow.records.RouterStatus;
import org.meshflow.registry.SchemaRegistry;
import org.meshflow.serde.AvroSerde;

/**
 * Per-router availability from the health job's topics: closed outages from the outages topic (one per
 * outage id), open ones from routers whose latest status is OFFLINE or SILENT, and every router with a
 * status even when it had no outage.
 */
final class AvailabilityReport {
  private final List<RouterAvailability> rows;
  private final Instant from;
  private final Instant to;

  private AvailabilityReport(List<RouterAvailability> rows, Instant from, Instant to) {
    this.rows = rows;
    this.from = from;
    this.to = to;
  }

  static AvailabilityReport read(String bootstrap, SchemaRegistry registry, String outagesTopic, String statusTopic,
      Instant from, Instant to) {
    final var outageSerde = AvroSerde.specific(registry, RouterOutage.class);
    final Map<String, RouterAvailability.Outage> outages = new LinkedHashMap<>();
    for (var record : TopicSnapshot.read(bootstrap, outagesTopic)) {
      final RouterOutage outage = outageSerde.deserialize(outagesTopic, record.value());
      if (outage != null) {
        outages.put(outage.getOutageId(),
            new RouterAvailability.Outage(outage.getRouterId(), outage.getStartedAt(), outage.getEndedAt()));
      }
    }
    final var statusSerde = AvroSerde.specific(registry, RouterStatus.class);
    final Map<String, RouterStatus> latest = new LinkedHashMap<>();
    for (var record : TopicSnapshot.read(bootstrap, statusTopic)) {
      if (record.value() == null) {
        latest.remove(record.key());
      } else {
        final RouterStatus status = statusSerde.deserialize(statusTopic, record.value());
        latest.put(status.getRouterId(), status);
      }
    }
    final List<RouterAvailability.Outage> all = new ArrayList<>(outages.values());
    latest.values().forEach(status -> openOutage(status).ifPresent(all::add));
    final Set<String> routers = new TreeSet<>(latest.keySet());
    return new AvailabilityReport(RouterAvailability.of(routers, all, from, to), from, to);
  }

  /** The outage a router is in now, as its status tells; a silent router was lost at its last uplink. */
  private static java.util.Optional<RouterAvailability.Outage> openOutage(RouterStatus status) {
    if (status.getState() == RouterState.OFFLINE) {
      return java.util.Optional.of(new RouterAvailability.Outage(status.getRouterId(), status.getSince(), null));
    }
    if (status.getState() == RouterState.SILENT) {
      final Instant start = status.getLastUplinkAt() != null ? status.getLastUplinkAt() : status.getSince();
      return java.util.Optional.of(new RouterAvailability.Outage(status.getRouterId(), start, null));
    }
    return java.util.Optional.empty();
  }

  String text() {
    final var out = new StringBuilder();
    out.append("Router availability ").append(from).append(" .. ").append(to).append('\n');
    final List<String[]> table = new ArrayList<>();
    table.add(new String[] {"router", "available", "outages", "open", "downtime", "longest"});
    for (RouterAvailability row : rows) {
      table.add(new String[] {row.router(), String.format(Locale.ROOT, "%.3f%%", row.percent()),
          String.valueOf(row.outages()), String.valueOf(row.open()), duration(row.downtime()), duration(row.longest())});
    }
    final int[] width = new int[table.get(0).length];
    table.forEach(cells -> {
      for (int i = 0; i < cells.length; i++) {
        width[i] = Math.max(width[i], cells[i].length());
      }
    });
    for (String[] cells : table) {
      final var line = new StringBuilder();
      for (int i = 0; i < cells.length; i++) {
        // the router column reads left to right, numbers line up on the right
        line.append(i == 0 ? String.format("%-" + width[i] + "s", cells[i]) : String.format("  %" + width[i] + "s", cells[i]));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    if (rows.isEmpty()) {
      out.append("(no routers known)\n");
    }
    return out.toString();
  }

  String json() throws IOException {
    final var text = new StringWriter();
    try (JsonGenerator g = JsonFactory.builder().build().createGenerator(text)) {
      g.writeStartObject();
      g.writeStringField("from", from.toString());
      g.writeStringField("to", to.toString());
      g.writeArrayFieldStart("routers");
      for (RouterAvailability row : rows) {
        g.writeStartObject();
        g.writeStringField("router", row.router());
        g.writeNumberField("availabilityPercent", Math.round(row.percent() * 1000) / 1000.0);
        g.writeNumberField("outages", row.outages());
        g.writeNumberField("openOutages", row.open());
        g.writeNumberField("downtimeSeconds", row.downtime().toSeconds());
        g.writeNumberField("longestOutageSeconds", row.longest().toSeconds());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return text + "\n";
  }

  /** 1d 2h, 3h 4m, 5m 6s, 7s. */
  static String duration(Duration d) {
    final long s = d.toSeconds();
    if (s >= 86_400) {
      return (s / 86_400) + "d " + (s % 86_400 / 3600) + "h";
    }
    if (s >= 3600) {
      return (s / 3600) + "h " + (s % 3600 / 60) + "m";
    }
    if (s >= 60) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    return s + "s";
  }
}
