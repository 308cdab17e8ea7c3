import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStoreCore } from './core';
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
        'checks', 'devices', 'host_cis', 'incident_alerts', 'incident_iocs', 'incident_poll_state', 'incident_seen_alerts',
        'incident_sequence', 'incident_settings', 'incident_timeline', 'incidents', 'polls', 'providers', 'pushed_iocs', 'runs', 'series', 'strings',
        'user_risk_events', 'user_risk_resets', 'user_risk_settings', 'user_risk_users',
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

  it('refuse a file written by a newer version, leaving it untouched', () => {
    const file = join(dir, 'future.db');
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA user_version = ${migrations.length + 1}`);
    db.close();
    expect(() => openStoreCore(file)).toThrow(expect.objectContaining({ code: 'store.schema_too_new' }));
    const after = new DatabaseSync(file);
    expect(schemaVersion(after)).toBe(migrations.length + 1);
    expect(after.prepare("SELECT count(*) AS n FROM sqlite_schema").get()).toEqual({ n: 0 });
    after.close();
  });
});
