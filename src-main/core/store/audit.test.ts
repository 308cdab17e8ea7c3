import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src-shared/schemas/audit';
import { canonicalJson } from './audit';
import { openStoreCore, type StoreCore } from './sync-store';

let dir: string;
let file: string;
let core: StoreCore;
const key = randomBytes(32);
const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

const op = (name: string, input: unknown) => core.audit(name as never, input);
const verify = (k: Uint8Array = key) =>
  op('verify', { key: k }) as ReturnType<StoreCore['audit']> & { ok: boolean; broken: { seq: number; kind: string; message: string } | null };

function entry(i: number, at = T0 + i * DAY): Omit<AuditEntry, 'seq'> {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    at: new Date(at).toISOString(),
    actor: { surface: 'web', osUser: 'admin', session: 'web-abc', command: null, claimed: null },
    action: 'provider.edited',
    channel: 'providers.save',
    target: { kind: 'provider', id: `p${i}`, name: `Provider ${i}` },
    outcome: 'succeeded',
    error: null,
    summary: `Edited provider 'Provider ${i}'`,
    changes: [{ field: 'name', before: `Old ${i}`, after: `Provider ${i}` }],
  };
}

function appendMany(n: number): AuditEntry[] {
  return Array.from({ length: n }, (_, i) => op('append', { key, entry: entry(i + 1) }) as AuditEntry);
}

/** Edits the SQLite file behind the store's back, as an attacker with file access would. */
function tamper(sql: string, ...params: (string | number)[]): void {
  core.close();
  const db = new DatabaseSync(file);
  db.prepare(sql).run(...params);
  db.close();
  core = openStoreCore(file);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pc-audit-'));
  file = join(dir, 'log.sqlite');
  core = openStoreCore(file);
});
afterEach(() => {
  core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit chain', () => {
  it('numbers entries 1, 2, 3 and verifies an untouched chain', () => {
    const appended = appendMany(5);
    expect(appended.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(verify()).toMatchObject({ ok: true, checked: 5, firstSeq: 1, lastSeq: 5, broken: null, anchor: null });
  });

  it('names an entry edited directly in the SQLite file', () => {
    appendMany(5);
    tamper(`UPDATE audit_entries SET doc = replace(doc, 'Provider 3', 'Someone else') WHERE seq = 3`);
    expect(verify()).toMatchObject({ ok: false, checked: 2, broken: { seq: 3, kind: 'edited', at: new Date(T0 + 3 * DAY).toISOString() } });
  });

  it('names the entry after one deleted from the middle, and the missing number', () => {
    appendMany(5);
    tamper('DELETE FROM audit_entries WHERE seq = 2');
    const result = verify();
    expect(result).toMatchObject({ ok: false, broken: { seq: 3, kind: 'removed' } });
    expect(result.broken?.message).toContain('Entry 2 is missing');
  });

  it('notices the first entries deleted when nothing was pruned', () => {
    appendMany(4);
    tamper('DELETE FROM audit_entries WHERE seq <= 2');
    expect(verify()).toMatchObject({ ok: false, broken: { seq: 3, kind: 'removed' } });
  });

  it('catches an edit whose hashes were recomputed without the key (plain SHA-256 and a guessed key)', () => {
    appendMany(5);
    core.close();
    const db = new DatabaseSync(file);
    const rows = db.prepare('SELECT seq, doc, mac FROM audit_entries ORDER BY seq').all() as { seq: number; doc: string; mac: string }[];
    let previous = rows[1]!.mac;
    for (const row of rows.slice(2)) {
      const doc = row.seq === 3 ? row.doc.replace('Provider 3', 'Someone else') : row.doc;
      const mac = createHash('sha256').update(previous).update('\n').update(doc).digest('hex');
      db.prepare('UPDATE audit_entries SET doc = ?, mac = ? WHERE seq = ?').run(doc, mac, row.seq);
      previous = mac;
    }
    db.close();
    core = openStoreCore(file);
    expect(verify()).toMatchObject({ ok: false, checked: 2, broken: { seq: 3, kind: 'edited' } });
  });

  it('calls entries swapped between positions reordered', () => {
    appendMany(4);
    core.close();
    const db = new DatabaseSync(file);
    const [a, b] = db.prepare('SELECT seq, doc, mac FROM audit_entries WHERE seq IN (2, 3) ORDER BY seq').all() as { seq: number; doc: string; mac: string }[];
    db.prepare('UPDATE audit_entries SET id = id || ? WHERE seq IN (2, 3)').run('-x');
    db.prepare('UPDATE audit_entries SET doc = ?, mac = ?, id = ? WHERE seq = 2').run(b!.doc, b!.mac, JSON.parse(b!.doc).id);
    db.prepare('UPDATE audit_entries SET doc = ?, mac = ?, id = ? WHERE seq = 3').run(a!.doc, a!.mac, JSON.parse(a!.doc).id);
    db.close();
    core = openStoreCore(file);
    expect(verify()).toMatchObject({ ok: false, broken: { seq: 2, kind: 'reordered' } });
  });

  it('reports a key mismatch rather than blaming every entry when the vault key is not the chain key', () => {
    appendMany(3);
    expect(verify(randomBytes(32))).toMatchObject({ ok: false, broken: { seq: 1, kind: 'key_mismatch' } });
  });

  it('stores each entry as canonical JSON, so the MAC input does not depend on key order', () => {
    const [first] = appendMany(1);
    const db = new DatabaseSync(file, { readOnly: true });
    const { doc } = db.prepare('SELECT doc FROM audit_entries WHERE seq = 1').get() as { doc: string };
    db.close();
    expect(doc).toBe(canonicalJson(first));
    expect(Object.keys(JSON.parse(doc))).toEqual([...Object.keys(JSON.parse(doc))].sort());
  });
});

describe('audit retention', () => {
  it('prunes old entries behind an anchor; the rest still verifies and new entries continue the chain', () => {
    appendMany(10);
    const pruned = op('prune', { key, before: T0 + 6 * DAY, now: T0 + 20 * DAY }) as { deleted: number; anchorSeq: number };
    expect(pruned).toEqual({ deleted: 5, anchorSeq: 5 });
    expect(verify()).toMatchObject({ ok: true, checked: 5, firstSeq: 6, anchor: { seq: 5 } });
    const next = op('append', { key, entry: entry(11) }) as AuditEntry;
    expect(next.seq).toBe(11);
    expect(verify()).toMatchObject({ ok: true, checked: 6 });
  });

  it('keeps numbering after everything is pruned', () => {
    appendMany(3);
    op('prune', { key, before: T0 + 100 * DAY, now: T0 + 100 * DAY });
    expect(verify()).toMatchObject({ ok: true, checked: 0, anchor: { seq: 3 } });
    expect((op('append', { key, entry: entry(4, T0 + 101 * DAY) }) as AuditEntry).seq).toBe(4);
    expect(verify()).toMatchObject({ ok: true, checked: 1 });
  });

  it('still catches the first kept entry deleted, and an anchor moved without the key', () => {
    appendMany(8);
    op('prune', { key, before: T0 + 4 * DAY, now: T0 + 20 * DAY });
    tamper('DELETE FROM audit_entries WHERE seq = 4');
    expect(verify()).toMatchObject({ ok: false, broken: { seq: 5, kind: 'removed' } });

    // Hiding the deletion by moving the anchor forward breaks its seal.
    tamper(`UPDATE audit_chain SET anchor_seq = 4, anchor_mac = (SELECT mac FROM audit_entries WHERE seq = 5) WHERE id = 1`);
    expect(verify()).toMatchObject({ ok: false, broken: { seq: 4, kind: 'anchor' } });
  });
});

describe('audit query', () => {
  it('pages newest first and filters by surface, action noun, target and text', () => {
    appendMany(5);
    op('append', {
      key,
      entry: {
        ...entry(6),
        actor: { ...entry(6).actor, surface: 'cli', session: null, command: 'checks add' },
        action: 'check.created',
        target: { kind: 'check', id: 'c1', name: 'ZTA 70' },
      },
    });
    const first = op('query', { limit: 4 }) as { entries: AuditEntry[]; nextBefore: number; total: number };
    expect(first.entries.map((e) => e.seq)).toEqual([6, 5, 4, 3]);
    expect(first.total).toBe(6);
    const second = op('query', { limit: 4, before: first.nextBefore }) as { entries: AuditEntry[]; nextBefore: number | null };
    expect(second.entries.map((e) => e.seq)).toEqual([2, 1]);
    expect(second.nextBefore).toBeNull();
    const q = (filter: object) => (op('query', { limit: 100, ...filter }) as { entries: AuditEntry[] }).entries.map((e) => e.seq);
    expect(q({ surface: 'cli' })).toEqual([6]);
    expect(q({ action: 'check' })).toEqual([6]);
    expect(q({ action: 'provider.edited' })).toEqual([5, 4, 3, 2, 1]);
    expect(q({ target: 'provider 2' })).toEqual([2]);
    expect(q({ actor: 'web-abc' })).toEqual([5, 4, 3, 2, 1]);
    expect(q({ search: 'zta 70' })).toEqual([6]);
    expect(q({ from: new Date(T0 + 4 * DAY).toISOString(), to: new Date(T0 + 5 * DAY).toISOString() })).toEqual([5, 4]);
  });
});
