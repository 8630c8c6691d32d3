package org.meshflow.launcher.report;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.meshflow.launcher.Settings;
import org.meshflow.launcher.UsageException;
import org.meshflow.launcher.run.ExternalServices;
import org.meshflow.registry.SchemaRegistries;

/**
 * {@code ./meshflow report availability --from ISO [--to ISO]}: per-router availability, outage counts
 * and downtime in a window, from {@code mesh.router-outages.v1} and {@code mesh.router-status.v1}.
 */
public final class ReportCommand {
  public static final String HELP = """
      usage: ./meshflow report availability --from TIME [--to TIME] [--kafka HOST:PORT] [--registry URL]
                                            [--json] [--outages-topic T] [--status-topic T] [--config FILE]

      Availability of every router between --from and --to (ISO-8601 like 2026-03-01T00:00:00Z or a date
      like 2026-03-01, meaning its start in UTC; --to defaults to now): the share of the window it was up,
      how many outages touched the window, how many are still open (counted until --to), the downtime
      inside the window and the longest outage. Reads the health job's topics at --kafka (default
      127.0.0.1:9092) with the registry at --registry (default http://127.0.0.1:8081), as ./meshflow run
      serves them. --json prints one JSON object instead of the table.
      """;

  private static final Set<String> SWITCHES = Set.of("json", "help");
  private static final Set<String> NAMES = Set.of("from", "to", "kafka", "registry", "json", "outages-topic",
      "status-topic", "help");

  private final PrintStream out;
  private final Clock clock;

  public ReportCommand(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  public static int main(String[] args) throws Exception {
    return new ReportCommand(System.out, Clock.systemUTC()).run(args);
  }

  public int run(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      out.print(HELP);
      return args.length == 0 ? 2 : 0;
    }
    if (!args[0].equals("availability")) {
      throw new UsageException("unknown report '" + args[0] + "'; the one report is 'availability'");
    }
    final Settings s = Settings.parse(Arrays.copyOfRange(args, 1, args.length), SWITCHES, NAMES, System.getenv());
    if (s.flag("help")) {
      out.print(HELP);
      return 0;
    }
    final String kafka = ExternalServices.kafka(s, "127.0.0.1:9092", true);
    final String registry = ExternalServices.registry(s, "http://127.0.0.1:8081", true);
    final Instant from = time(s, "from", null);
    final Instant to = time(s, "to", clock.instant());
    if (from != null && to != null && !from.isBefore(to)) {
      s.error("--from must be before --to");
    }
    final boolean json = s.flag("json");
    s.check();
    final var report = AvailabilityReport.read(kafka, SchemaRegistries.fromConfig(Map.of(SchemaRegistries.URL, registry)),
        s.string("outages-topic", "mesh.router-outages.v1"), s.string("status-topic", "mesh.router-status.v1"), from,
        to.isAfter(clock.instant()) ? clock.instant() : to);
    out.print(json ? report.json() : report.text());
    return 0;
  }

  private static Instant time(Settings s, String name, Instant fallback) {
    final String text = s.string(name, null);
    if (text == null) {
      if (fallback == null) {
        s.error("--" + name + " TIME is required");
      }
      return fallback;
    }
    try {
      return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
    } catch (DateTimeParseException e) {
      s.error("--" + name + " '" + text + "' is not an ISO-8601 time (2026-03-01T12:00:00Z) or date (2026-03-01)");
      return fallback;
    }
  }
}
