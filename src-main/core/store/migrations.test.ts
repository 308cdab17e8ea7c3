import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogQuery } from '../../../src-shared/schemas/posture-log';
import { openStoreCore } from './sync-store';
import { migrations, schemaVersion } from './migrations';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-migrate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('migrations', () => {
  it('bring a new file to the current schema in WAL mode with incremental vacuum', () => {
    const file = join(dir, 'new.db');
    openStoreCore(file).close();
    const db = new DatabaseSync(file);
    try {
      expect(schemaVersion(db)).toBe(migrations.length);
      expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
      expect(db.prepare('PRAGMA auto_vacuum').get()).toEqual({ auto_vacuum: 2 });
      const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
      expect(tables).toEqual([
        'audit_chain',
        'audit_entries',
        'checks',
        'devices',
        'host_cis',
        'incident_alerts',
        'incident_iocs',
        'incident_poll_state',
        'incident_seen_alerts',
        'incident_sequence',
        'incident_settings',
        'incident_timeline',
        'incidents',
        'outbox',
        'outbox_dead',
        'outbox_rate',
        'outbox_sinks',
        'polls',
        'providers',
        'pushed_iocs',
        'runs',
        'series',
        'sqlite_sequence',
        'strings',
        'user_risk_events',
        'user_risk_resets',
        'user_risk_settings',
        'user_risk_users',
      ]);
    } finally {
      db.close();
    }
  });

  it('bring an existing empty SQLite file to the current schema', () => {
    const file = join(dir, 'empty.db');
    new DatabaseSync(file).close();
    const core = openStoreCore(file);
    expect(core.stats()).toMatchObject({ runs: 0, polls: 0 });
    core.close();
  });

  it('leave a current file and its data alone on reopen', () => {
    const file = join(dir, 'log.db');
    const core = openStoreCore(file);
    core.ingest({ pollId: 'p', providerId: 'x', evaluatedAt: 1, rows: [] });
    core.close();
    const again = openStoreCore(file);
    expect(again.stats()).toMatchObject({ polls: 1 });
    again.close();
  });

  it('keep a log written before serials were stored as reported: its rows show the match key, and the next poll adds the serial', () => {
    // The file as schema 3 left it: the device row held the normalized serial, runs had no reported one.
    const file = join(dir, 'v3.db');
    const db = new DatabaseSync(file);
    db.exec('PRAGMA journal_mode = WAL');
    for (const step of migrations.slice(0, 3)) db.exec(step);
    db.exec(`PRAGMA user_version = 3;
      INSERT INTO providers (id, key) VALUES (1, 'falcon');
      INSERT INTO checks (id, provider_id, key, name) VALUES (1, 1, 'zta', 'ZTA');
      INSERT INTO devices (id, key, name, serial, platform, search) VALUES (1, 'sn:SN00002', 'WS-2', 'SN00002', 'Windows', 'ws-2' || char(10) || 'sn00002');
      INSERT INTO series (id, provider_id, check_id, device_id) VALUES (1, 1, 1, 1);
      INSERT INTO strings (id, value) VALUES (1, 'overall >= 70'), (2, 'overall = 80');
      INSERT INTO polls (id, key, provider_id, evaluated_at, evaluations) VALUES (1, 'p1', 1, 1000, 1);
      INSERT INTO runs (id, series_id, result, latest, first_at, last_at, last_poll, count, expected, received, reason)
        VALUES (1, 1, 0, 1, 1000, 1000, 1, 1, 1, 2, NULL);`);
    db.close();
    chmodSync(file, 0o644);

    const core = openStoreCore(file);
    // Owner-only from now on, like a file this version creates.
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const latest = () => core.queryLog(LogQuery.parse({ view: 'latest' })).rows;
    expect(latest()).toMatchObject([{ deviceKey: 'sn:SN00002', serial: null, serialKey: 'SN00002', result: 'pass', count: 1 }]);
    expect(core.queryLog(LogQuery.parse({ view: 'latest', text: 'SN-00002' })).rows).toHaveLength(1);

    const row = {
      deviceKey: 'sn:SN00002',
      deviceName: 'WS-2',
      serial: 'SN-00002',
      serialKey: 'SN00002',
      platform: 'Windows',
      checkId: 'zta',
      checkName: 'ZTA',
      result: 'pass' as const,
      expected: 'overall >= 70',
      received: 'overall = 80',
      reason: null,
    };
    expect(core.ingest({ pollId: 'p2', providerId: 'falcon', evaluatedAt: 2000, rows: [row] })).toMatchObject({ extended: 1, opened: [] });
    expect(latest()).toMatchObject([{ id: '1', serial: 'SN-00002', serialKey: 'SN00002', count: 2 }]);
    core.close();
  });

  it('refuse a file written by a newer version, leaving it untouched', () => {
    const file = join(dir, 'future.db');
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA user_version = ${migrations.length + 1}`);
    db.close();
    expect(() => openStoreCore(file)).toThrow(expect.objectContaining({ code: 'store.schema_too_new' }));
    const after = new DatabaseSync(file);
    expect(schemaVersion(after)).toBe(migrations.length + 1);
    expect(after.prepare('SELECT count(*) AS n FROM sqlite_schema').get()).toEqual({ n: 0 });
    after.close();
  });
});
