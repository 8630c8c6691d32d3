package org.meshflow.launcher.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterAvailabilityTest {
  private static final Instant FROM = Instant.parse("2026-03-01T10:00:00Z");
  private static final Instant TO = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void outagesAreClippedToTheWindowMergedWhenTheyOverlapAndOpenOnesRunToItsEnd() {
    final var rows = RouterAvailability.of(Set.of("!0000000c"), List.of(
        outage("!0000000a", "09:30", "10:30"),     // 30 minutes inside
        outage("!0000000a", "11:00", "11:06"),
        outage("!0000000a", "11:03", "11:12"),     // overlaps the one before: 12 minutes together
        outage("!0000000a", "12:10", "12:20"),     // after the window
        outage("!0000000b", "11:30", null),        // still open: until the end of the window
        outage("!0000000d", "08:00", "09:00")),    // before the window
        FROM, TO);

    assertThat(rows).extracting(RouterAvailability::router)
        .containsExactly("!0000000a", "!0000000b", "!0000000c", "!0000000d");
    final var a = rows.get(0);
    assertThat(a.outages()).isEqualTo(3);
    assertThat(a.downtime()).isEqualTo(Duration.ofMinutes(42));
    assertThat(a.longest()).isEqualTo(Duration.ofMinutes(30));
    assertThat(a.percent()).isCloseTo(65.0, org.assertj.core.data.Offset.offset(1e-9));
    final var b = rows.get(1);
    assertThat(b.outages()).isEqualTo(1);
    assertThat(b.open()).isEqualTo(1);
    assertThat(b.downtime()).isEqualTo(Duration.ofMinutes(30));
    assertThat(b.percent()).isEqualTo(75.0);
    assertThat(rows.get(2).percent()).isEqualTo(100.0);
    assertThat(rows.get(2).outages()).isZero();
    assertThat(rows.get(3).outages()).isZero();
  }

  @Test
  void aBlipInsideTheWindowCountsEvenWhenItLastedNoWholeSecond() {
    final var rows = RouterAvailability.of(Set.of(), List.of(outage("!0000000a", "10:15", "10:15")), FROM, TO);
    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.outages()).isEqualTo(1);
      assertThat(row.percent()).isEqualTo(100.0);
    });
  }

  private static RouterAvailability.Outage outage(String router, String start, String end) {
    return new RouterAvailability.Outage(router, Instant.parse("2026-03-01T" + start + ":00Z"),
        end == null ? null : Instant.parse("2026-03-01T" + end + ":00Z"));
  }
}
