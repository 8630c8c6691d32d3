package org.meshflow.jobs.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes rows older than each table's retention, at most {@code chunk} rows per statement so a
 * large backlog never holds long locks or stalls the sink: {@link #run} does one chunk per table
 * and reports whether any table has more to delete.
 */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  private final Map<SinkTable, Duration> retention;
  private final int chunk;
  private final Clock clock;

  Retention(Map<SinkTable, Duration> retention, int chunk, Clock clock) {
    this.retention = retention;
    this.chunk = chunk;
    this.clock = clock;
  }

  /** One pass, committed per table: the rows deleted, and whether some table has more old rows. */
  Pass run(Connection connection) throws SQLException {
    long deleted = 0;
    boolean more = false;
    final Instant now = clock.instant();
    for (var entry : retention.entrySet()) {
      final SinkTable table = entry.getKey();
      final String sql = "DELETE FROM " + table.sqlName() + " WHERE ctid IN (SELECT ctid FROM " + table.sqlName()
          + " WHERE " + table.timeColumn() + " < ? LIMIT " + chunk + ")";
      try (var statement = connection.prepareStatement(sql)) {
        statement.setObject(1, OffsetDateTime.ofInstant(now.minus(entry.getValue()), ZoneOffset.UTC));
        final int rows = statement.executeUpdate();
        connection.commit();
        if (rows > 0) {
          LOG.info("retention removed {} rows older than {} from {}", rows, entry.getValue(), table.sqlName());
        }
        deleted += rows;
        more |= rows >= chunk;
      }
    }
    return new Pass(deleted, more);
  }

  record Pass(long deleted, boolean more) {}
}
