// The incident engine's tables. Queried columns are real columns; the rest of a record is JSON beside them.
// Times are ISO text; created_key is the canonical (nanosecond) alert time, which sorts as text.

/** Version 1 of the incident tables; a later change is a new statement list, never an edit of this one. */
export const INCIDENT_TABLES_V1 = `
  CREATE TABLE incident_poll_state (
    integration_id TEXT PRIMARY KEY,
    cursor TEXT,
    alerts_seen INTEGER NOT NULL,
    incidents_created INTEGER NOT NULL,
    last_poll_at TEXT,
    last_success_at TEXT
  ) STRICT;
  -- The de-duplication set: composite ids inside the overlap window, pruned behind it.
  CREATE TABLE incident_seen_alerts (
    integration_id TEXT NOT NULL,
    composite_id TEXT NOT NULL,
    created_key TEXT NOT NULL,
    PRIMARY KEY (integration_id, composite_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX incident_seen_alerts_created ON incident_seen_alerts (integration_id, created_key);
  -- The alert log: every alert once, with the rule that decided it and the full record for back-tests.
  CREATE TABLE incident_alerts (
    integration_id TEXT NOT NULL,
    composite_id TEXT NOT NULL,
    created_key TEXT NOT NULL,
    received_at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    rule_index INTEGER,
    rule_id TEXT,
    incident_number TEXT,
    summary TEXT NOT NULL,
    raw TEXT NOT NULL,
    PRIMARY KEY (integration_id, composite_id)
  ) STRICT;
  CREATE INDEX incident_alerts_created ON incident_alerts (created_key, composite_id);
  CREATE INDEX incident_alerts_outcome ON incident_alerts (outcome, created_key);
  -- One row: the last incident number handed out, so a number is never reused.
  CREATE TABLE incident_sequence (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL) STRICT;
  CREATE TABLE incidents (
    seq INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    integration_id TEXT NOT NULL,
    state TEXT NOT NULL,
    priority TEXT NOT NULL,
    aggregate_id TEXT,
    search TEXT NOT NULL,
    awaiting INTEGER NOT NULL,
    doc TEXT NOT NULL
  ) STRICT;
  CREATE INDEX incidents_state ON incidents (state, seq);
  CREATE INDEX incidents_priority ON incidents (priority, seq);
  CREATE INDEX incidents_aggregate ON incidents (integration_id, aggregate_id) WHERE aggregate_id IS NOT NULL;
  CREATE INDEX incidents_awaiting ON incidents (integration_id) WHERE awaiting = 1;
  CREATE TABLE incident_timeline (
    number TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    message TEXT NOT NULL,
    data TEXT,
    PRIMARY KEY (number, seq)
  ) STRICT;
  -- Host configuration items, keyed by Falcon device id.
  CREATE TABLE host_cis (
    device_id TEXT PRIMARY KEY,
    integration_id TEXT NOT NULL,
    fields TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE incident_iocs (
    number TEXT NOT NULL,
    type TEXT NOT NULL,
    value TEXT NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (number, type, value)
  ) STRICT;
  CREATE TABLE pushed_iocs (
    id TEXT PRIMARY KEY,
    integration_id TEXT NOT NULL,
    source_incident TEXT,
    pushed_at TEXT NOT NULL,
    deleted INTEGER NOT NULL,
    doc TEXT NOT NULL
  ) STRICT;
  CREATE INDEX pushed_iocs_time ON pushed_iocs (pushed_at);
  CREATE TABLE incident_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
`;
