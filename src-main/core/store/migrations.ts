// The database schema as a versioned list of steps; PRAGMA user_version records how many have run.
import type { DatabaseSync } from 'node:sqlite';
import { ContractError } from '../../../src-shared/errors';
import { OUTBOX_SCHEMA } from './outbox';

/**
 * Compact by design (the scale target is 100k devices × 2 checks × 5-minute polls × 30 days in 2 GB):
 * text lives once in lookup tables, runs hold integers only, times are epoch milliseconds.
 */
const SCHEMA_V1 = `
  CREATE TABLE providers (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE) STRICT;
  CREATE TABLE checks (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (provider_id, key)
  ) STRICT;
  -- name/serial/platform are the latest seen; search is lower(name) || char(10) || lower(serial).
  CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL COLLATE NOCASE,
    serial TEXT,
    platform TEXT,
    search TEXT NOT NULL
  ) STRICT;
  CREATE INDEX devices_name ON devices (name);
  -- A series is one check on one device; its history is a sequence of runs.
  CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL,
    check_id INTEGER NOT NULL,
    device_id INTEGER NOT NULL,
    UNIQUE (device_id, check_id)
  ) STRICT;
  CREATE INDEX series_provider ON series (provider_id);
  -- expected / received / reason values repeat endlessly; each distinct text is stored once.
  CREATE TABLE strings (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE) STRICT;
  -- One row per committed poll; a run's evaluations are its provider's polls between first_at and last_at.
  CREATE TABLE polls (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    provider_id INTEGER NOT NULL,
    evaluated_at INTEGER NOT NULL,
    evaluations INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX polls_time ON polls (evaluated_at);
  CREATE INDEX polls_provider_time ON polls (provider_id, evaluated_at);
  -- One row per run of identical evaluations of a series at consecutive polls of its provider.
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL,
    result INTEGER NOT NULL,
    latest INTEGER NOT NULL,
    first_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    last_poll INTEGER NOT NULL,
    count INTEGER NOT NULL,
    expected INTEGER,
    received INTEGER,
    reason INTEGER
  ) STRICT;
  CREATE INDEX runs_time ON runs (first_at);
  CREATE INDEX runs_result ON runs (result, first_at);
  CREATE INDEX runs_series ON runs (series_id, first_at);
  -- The newest run of each series: small partial indexes behind the "latest" view and ingest.
  CREATE INDEX runs_latest ON runs (series_id, first_at) WHERE latest = 1;
  CREATE INDEX runs_latest_time ON runs (first_at) WHERE latest = 1;
  CREATE INDEX runs_latest_result ON runs (result, first_at) WHERE latest = 1;
`;

/**
 * The detection-to-incident engine's tables (src-main/core/incidents). Times are ISO text; created_key is
 * an alert's canonical created_timestamp (UTC, nine fraction digits), which sorts as text.
 */
const INCIDENTS_V1 = `
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

/**
 * User risk (src-main/core/users): users that ever had an event or a reset, their risk events and resets, and the
 * behavior settings. Times are epoch ms. An event is `ongoing` while its condition is still observed; `ended_at`
 * is when it was last observed (for a point event such as an alert, its own time).
 */
const USERS_V1 = `
  CREATE TABLE user_risk_users (
    user_id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    aliases TEXT NOT NULL,
    reset_at INTEGER
  ) STRICT;
  CREATE TABLE user_risk_events (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL,
    behavior TEXT NOT NULL,
    source TEXT NOT NULL,
    subject TEXT NOT NULL,
    level TEXT NOT NULL,
    device_key TEXT,
    device_name TEXT,
    signal TEXT NOT NULL,
    evidence TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    ongoing INTEGER NOT NULL,
    ended_at INTEGER
  ) STRICT;
  -- One occurrence per behavior, subject (agent, alert, device/check) and user: re-observing it never duplicates.
  CREATE UNIQUE INDEX user_risk_events_occurrence ON user_risk_events (behavior, subject, user_id, occurred_at);
  CREATE INDEX user_risk_events_ongoing ON user_risk_events (behavior) WHERE ongoing = 1;
  CREATE INDEX user_risk_events_user ON user_risk_events (user_id, occurred_at);
  CREATE INDEX user_risk_events_ended ON user_risk_events (ended_at);
  CREATE TABLE user_risk_resets (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL
  ) STRICT;
  CREATE INDEX user_risk_resets_user ON user_risk_resets (user_id, at);
  CREATE TABLE user_risk_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
`;

/**
 * The serial as each provider reported it, beside the match key. Providers format one machine's serial
 * differently ("SN-00002", "sn00002"), so the reported serial belongs to the series (one provider's record) and
 * the device row keeps the match key its `search` was built from. Runs written before this step show no
 * reported serial until their series is evaluated again.
 */
const SERIAL_AS_REPORTED = `
  ALTER TABLE devices RENAME COLUMN serial TO serial_key;
  ALTER TABLE series ADD COLUMN serial TEXT;
`;

/**
 * The audit trail (core/audit, store/audit.ts): append-only entries, each `mac` = HMAC-SHA256(key, previous mac ‖ doc),
 * `doc` the entry's canonical JSON. `audit_chain` holds one row: a check value of the key the chain is written with,
 * and the anchor retention leaves (the last pruned entry's seq and mac, sealed with the key).
 */
const AUDIT_V1 = `
  CREATE TABLE audit_entries (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    at_ms INTEGER NOT NULL,
    doc TEXT NOT NULL,
    mac TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_entries_time ON audit_entries (at_ms);
  CREATE TABLE audit_chain (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    key_check TEXT NOT NULL,
    anchor_seq INTEGER,
    anchor_mac TEXT,
    anchor_at TEXT,
    anchor_seal TEXT
  ) STRICT;
`;

/** Append only: a shipped step is never edited, a change is a new step. */
export const migrations: readonly string[] = [SCHEMA_V1, INCIDENTS_V1, USERS_V1, SERIAL_AS_REPORTED, AUDIT_V1, OUTBOX_SCHEMA];

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  return row.user_version;
}

export function migrate(db: DatabaseSync): void {
  for (;;) {
    const version = schemaVersion(db);
    if (version > migrations.length)
      throw new ContractError({
        code: 'store.schema_too_new',
        message: `The posture log was written by a newer Posture Console (schema ${version}; this one knows ${migrations.length}).`,
        fix: 'Update Posture Console, or point it at a different data directory.',
      });
    const step = migrations[version];
    if (step === undefined) return;
    db.exec('BEGIN IMMEDIATE');
    try {
      // Another process may have migrated while we waited for the write lock.
      if (schemaVersion(db) === version) {
        db.exec(step);
        db.exec(`PRAGMA user_version = ${version + 1}`);
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
