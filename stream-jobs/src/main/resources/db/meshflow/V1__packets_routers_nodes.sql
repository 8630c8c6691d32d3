-- Meshflow history, first version. Plain PostgreSQL; every history table has its time column in its
-- primary key, so each can be turned into a TimescaleDB hypertable (create_hypertable) unchanged.

-- Unique mesh packets (mesh.packets.v1), one row per packet.
CREATE TABLE packets (
  packet_key     text        NOT NULL,
  first_heard_at timestamptz NOT NULL,
  from_node      text        NOT NULL,
  to_node        text        NOT NULL,
  packet_id      bigint      NOT NULL,
  channel_id     text        NOT NULL,
  portnum        text,
  hop_start      integer     NOT NULL,
  via_mqtt       boolean     NOT NULL,
  encrypted      boolean     NOT NULL,
  decrypted      boolean     NOT NULL,
  first_gateway  text,
  PRIMARY KEY (packet_key, first_heard_at)
);
CREATE INDEX packets_time ON packets (first_heard_at);
CREATE INDEX packets_from ON packets (from_node, first_heard_at);

-- Every uplinked copy (mesh.receptions.v1): what each gateway uploaded, same-gateway repeats included.
CREATE TABLE receptions (
  packet_key   text        NOT NULL,
  gateway_id   text        NOT NULL,
  received_at  timestamptz NOT NULL,
  from_node    text        NOT NULL,
  channel_id   text        NOT NULL,
  portnum      text,
  hop_limit    integer     NOT NULL,
  hop_start    integer     NOT NULL,
  hops_away    integer,
  rx_rssi      integer     NOT NULL,
  rx_snr       real        NOT NULL,
  PRIMARY KEY (packet_key, gateway_id, received_at)
);
CREATE INDEX receptions_time ON receptions (received_at);

-- Who heard each packet (mesh.heard-by.v1), one row per packet and gateway, written when the dedup window closed.
CREATE TABLE heard_by (
  packet_key     text        NOT NULL,
  first_heard_at timestamptz NOT NULL,
  gateway_id     text        NOT NULL,
  from_node      text        NOT NULL,
  first_copy     boolean     NOT NULL,
  copies         integer     NOT NULL,
  rx_rssi        integer     NOT NULL,
  rx_snr         real        NOT NULL,
  hop_limit      integer     NOT NULL,
  hops_away      integer,
  received_at    timestamptz,
  PRIMARY KEY (packet_key, first_heard_at, gateway_id)
);
CREATE INDEX heard_by_gateway ON heard_by (gateway_id, first_heard_at);

-- Router state history (mesh.router-status.v1): one row per state a router entered.
CREATE TABLE router_status (
  router_id              text        NOT NULL,
  since                  timestamptz NOT NULL,
  state                  text        NOT NULL,
  connected              boolean     NOT NULL,
  last_uplink_at         timestamptz,
  last_disconnect_reason text,
  uplinks                bigint      NOT NULL,
  outage_count           bigint      NOT NULL,
  updated_at             timestamptz NOT NULL,
  PRIMARY KEY (router_id, since, state)
);
CREATE INDEX router_status_time ON router_status (since);

-- Closed outages (mesh.router-outages.v1).
CREATE TABLE router_outages (
  router_id        text        NOT NULL,
  started_at       timestamptz NOT NULL,
  ended_at         timestamptz NOT NULL,
  duration_seconds bigint      NOT NULL,
  cause            text        NOT NULL,
  alerted          boolean     NOT NULL,
  outage_id        text        NOT NULL,
  PRIMARY KEY (router_id, started_at)
);

-- Alerts (mesh.alerts.v1).
CREATE TABLE alerts (
  alert_id       text        NOT NULL,
  at             timestamptz NOT NULL,
  type           text        NOT NULL,
  subject        text        NOT NULL,
  severity       text        NOT NULL,
  message        text        NOT NULL,
  outage_seconds bigint,
  PRIMARY KEY (alert_id, at)
);
CREATE INDEX alerts_time ON alerts (at);

-- Latest state of each node (mesh.nodes.v1, compacted): one row per node, replaced by newer news.
CREATE TABLE nodes (
  node_id        text        PRIMARY KEY,
  long_name      text,
  short_name     text,
  hw_model       integer,
  role           text,
  latitude       double precision,
  longitude      double precision,
  altitude       integer,
  battery_level  integer,
  voltage        real,
  first_heard_at timestamptz NOT NULL,
  last_heard_at  timestamptz NOT NULL,
  packets        bigint      NOT NULL
);

-- Where the sink is in each input partition, committed in the same transaction as the rows.
CREATE TABLE sink_offsets (
  consumer_group text    NOT NULL,
  topic          text    NOT NULL,
  kafka_partition integer NOT NULL,
  next_offset    bigint  NOT NULL,
  PRIMARY KEY (consumer_group, topic, kafka_partition)
);
