package org.meshflow.jobs.sink;

import java.time.Duration;

/** The history tables the sink writes, with the column retention looks at and its default retention. */
public enum SinkTable {
  PACKETS("packets", "packets", "first_heard_at", Duration.ofDays(90)),
  RECEPTIONS("receptions", "receptions", "received_at", Duration.ofDays(30)),
  HEARD_BY("heard-by", "heard_by", "first_heard_at", Duration.ofDays(30)),
  ROUTER_STATUS("router-status", "router_status", "since", null),
  ROUTER_OUTAGES("router-outages", "router_outages", "started_at", null),
  ALERTS("alerts", "alerts", "at", null),
  NODES("nodes", "nodes", "last_heard_at", null),
  TELEMETRY("telemetry", "telemetry", "reported_at", Duration.ofDays(365)),
  POSITIONS("positions", "positions", "reported_at", Duration.ofDays(365));

  private final String settingName;
  private final String sqlName;
  private final String timeColumn;
  private final Duration defaultRetention;

  SinkTable(String settingName, String sqlName, String timeColumn, Duration defaultRetention) {
    this.settingName = settingName;
    this.sqlName = sqlName;
    this.timeColumn = timeColumn;
    this.defaultRetention = defaultRetention;
  }

  /** Name in settings: {@code sink.retention.<settingName>}. */
  public String settingName() {
    return settingName;
  }

  public String sqlName() {
    return sqlName;
  }

  String timeColumn() {
    return timeColumn;
  }

  /** Null means kept forever. */
  Duration defaultRetention() {
    return defaultRetention;
  }
}
