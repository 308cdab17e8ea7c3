import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFilter } from '../../../src-shared/schemas/posture-log';
import { CSV_HEADER } from '../csv/log-format';
import { openLogReader, type LogReader } from './log-reader';
import { migrations, schemaVersion } from './migrations';
import { openStoreCore } from './sync-store';
import { syntheticPolls } from './synthetic-polls.testkit';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-log-reader-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const request = (view: 'changes' | 'evaluations') => ({ filter: LogFilter.parse({ view }), sort: { by: 'time', dir: 'desc' } as const });
function exportAll(reader: LogReader, view: 'changes' | 'evaluations'): { text: string; total: number } {
  const { exportId, total } = reader.exportOpen(request(view));
  const parts: Uint8Array[] = [];
  for (;;) {
    const chunk = reader.exportNext(exportId, 7);
    parts.push(chunk.bytes);
    if (chunk.done) return { text: Buffer.concat(parts).toString('utf8'), total };
  }
}

describe('the log opened for an export only', () => {
  it('exports what the store exports, from a current file', () => {
    const file = join(dir, 'log.db');
    const core = openStoreCore(file);
    for (const poll of syntheticPolls({ devices: 30, polls: 4, changeRate: 0.3, seed: 5 })) core.ingest(poll);
    const expected = { changes: exportAll(core as unknown as LogReader, 'changes'), evaluations: exportAll(core as unknown as LogReader, 'evaluations') };
    core.close();
    const reader = openLogReader(file);
    try {
      for (const view of ['changes', 'evaluations'] as const) {
        const got = exportAll(reader, view);
        expect(got).toEqual(expected[view]);
        expect(got.text.split('\r\n').length - 2).toBe(got.total);
      }
    } finally {
      reader.close();
    }
  });

  it('creates a missing file as the store does (owner-only, current schema): an empty log exports its header', () => {
    const file = join(dir, 'new.db');
    const reader = openLogReader(file);
    expect(exportAll(reader, 'evaluations')).toEqual({ text: CSV_HEADER, total: 0 });
    reader.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const db = new DatabaseSync(file);
    expect(schemaVersion(db)).toBe(migrations.length);
    db.close();
  });

  it('migrates an older file before reading it', () => {
    const file = join(dir, 'v3.db');
    const db = new DatabaseSync(file);
    db.exec('PRAGMA journal_mode = WAL');
    for (const step of migrations.slice(0, 3)) db.exec(step);
    db.exec('PRAGMA user_version = 3');
    db.close();
    chmodSync(file, 0o644);
    const reader = openLogReader(file);
    expect(exportAll(reader, 'changes').total).toBe(0);
    reader.close();
    const after = new DatabaseSync(file);
    expect(schemaVersion(after)).toBe(migrations.length);
    after.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a file written by a newer version, as the store does', () => {
    const file = join(dir, 'future.db');
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA user_version = ${migrations.length + 1}`);
    db.close();
    expect(() => openLogReader(file)).toThrow(expect.objectContaining({ code: 'store.schema_too_new' }));
    expect(existsSync(file)).toBe(true);
  });
});
