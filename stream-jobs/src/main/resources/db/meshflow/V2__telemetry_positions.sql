-- Version 2: the history of what nodes report (from the decoded payloads of unique packets), and
-- the sanity checks a position must pass.

CREATE TABLE telemetry (
  node_id             text        NOT NULL,
  reported_at         timestamptz NOT NULL,
  packet_key          text        NOT NULL,
  battery_level       integer,
  voltage             real,
  channel_utilization real,
  air_util_tx         real,
  uptime_seconds      bigint,
  temperature         real,
  relative_humidity   real,
  barometric_pressure real,
  PRIMARY KEY (node_id, reported_at, packet_key)
);

CREATE TABLE positions (
  node_id     text             NOT NULL,
  reported_at timestamptz      NOT NULL,
  packet_key  text             NOT NULL,
  latitude    double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude   double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  altitude    integer          NOT NULL,
  PRIMARY KEY (node_id, reported_at, packet_key)
);

ALTER TABLE nodes ADD COLUMN channel_utilization real;
ALTER TABLE nodes ADD COLUMN air_util_tx real;
ALTER TABLE nodes ADD CONSTRAINT nodes_latitude CHECK (latitude BETWEEN -90 AND 90);
