// The audit trail's tables (migration 5): append under the write lock so two processes (the web host and a CLI
// command) extend one chain, query newest first, verify the chain, and prune behind a sealed anchor.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SQLInputValue } from 'node:sqlite';
import type { AuditBreak, AuditEntry, AuditFilter, AuditPage, AuditQuery, AuditVerifyResult } from '../../../src-shared/schemas/audit';
import type { Connection } from './connection';

/** The chain key travels with each call (from the vault, inside this process); it is never stored here. */
type Keyed = { key: Uint8Array };

export type AuditAppendInput = Keyed & { entry: Omit<AuditEntry, 'seq'> };
export type AuditPruneInput = Keyed & { before: number; now: number };
export type AuditPruneResult = { deleted: number; anchorSeq: number | null };
export type AuditVerifyReport = Omit<AuditVerifyResult, 'keyProtected'>;

/** What the first entry's MAC chains from when nothing was pruned. */
export const GENESIS = '';

/** JSON with object keys sorted at every depth and undefined left out: one text per value, the MAC's input. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

export function entryMac(key: Uint8Array, previousMac: string, doc: string): string {
  return createHmac('sha256', key).update(previousMac).update('\n').update(doc).digest('hex');
}

/** A value that says which key wrote the chain without revealing it. */
export function keyCheck(key: Uint8Array): string {
  return createHmac('sha256', key).update('posture-console audit chain key v1').digest('hex');
}

function anchorSeal(key: Uint8Array, seq: number, mac: string, at: string): string {
  return createHmac('sha256', key).update(`anchor\n${seq}\n${mac}\n${at}`).digest('hex');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

type ChainRow = { key_check: string; anchor_seq: number | null; anchor_mac: string | null; anchor_at: string | null; anchor_seal: string | null };
type EntryRow = { seq: number; id: string; at_ms: number; doc: string; mac: string };

const likePattern = (value: string): string => `%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function where(filter: AuditFilter): { sql: string; params: SQLInputValue[] } {
  const clauses: string[] = [];
  const params: SQLInputValue[] = [];
  const add = (clause: string, ...values: SQLInputValue[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (filter.from) add('at_ms >= ?', Date.parse(filter.from));
  if (filter.to) add('at_ms <= ?', Date.parse(filter.to));
  if (filter.surface) add("json_extract(doc, '$.actor.surface') = ?", filter.surface);
  if (filter.actor) {
    clauses.push(
      "(lower(json_extract(doc, '$.actor.osUser')) LIKE ? ESCAPE '\\' OR lower(coalesce(json_extract(doc, '$.actor.session'), '')) LIKE ? ESCAPE '\\' OR lower(coalesce(json_extract(doc, '$.actor.claimed'), '')) LIKE ? ESCAPE '\\')",
    );
    const p = likePattern(filter.actor);
    params.push(p, p, p);
  }
  if (filter.action) {
    clauses.push("(json_extract(doc, '$.action') = ? OR json_extract(doc, '$.action') LIKE ? ESCAPE '\\')");
    params.push(filter.action, `${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`);
  }
  if (filter.target) {
    clauses.push(
      "(lower(json_extract(doc, '$.target.kind')) LIKE ? ESCAPE '\\' OR lower(coalesce(json_extract(doc, '$.target.id'), '')) LIKE ? ESCAPE '\\' OR lower(coalesce(json_extract(doc, '$.target.name'), '')) LIKE ? ESCAPE '\\')",
    );
    const p = likePattern(filter.target);
    params.push(p, p, p);
  }
  if (filter.search) add("lower(doc) LIKE ? ESCAPE '\\'", likePattern(filter.search));
  return { sql: clauses.length ? clauses.join(' AND ') : '1', params };
}

const entryOf = (row: EntryRow): AuditEntry => JSON.parse(row.doc) as AuditEntry;

export function createAuditOperations(conn: Connection) {
  const chain = () =>
    conn.statement('SELECT key_check, anchor_seq, anchor_mac, anchor_at, anchor_seal FROM audit_chain WHERE id = 1').get() as ChainRow | undefined;

  return {
    /** Appends one entry after the newest, in one write transaction; returns it with its seq. */
    append({ key, entry }: AuditAppendInput): AuditEntry {
      return conn.write(() => {
        if (!chain()) conn.statement('INSERT INTO audit_chain (id, key_check) VALUES (1, ?)').run(keyCheck(key));
        const last = conn.statement('SELECT seq, mac FROM audit_entries ORDER BY seq DESC LIMIT 1').get() as { seq: number; mac: string } | undefined;
        const anchor = chain();
        const previous = last ?? (anchor?.anchor_seq != null ? { seq: anchor.anchor_seq, mac: anchor.anchor_mac ?? GENESIS } : { seq: 0, mac: GENESIS });
        const full: AuditEntry = { ...entry, seq: previous.seq + 1 };
        const doc = canonicalJson(full);
        conn
          .statement('INSERT INTO audit_entries (seq, id, at_ms, doc, mac) VALUES (?, ?, ?, ?, ?)')
          .run(full.seq, full.id, Date.parse(full.at), doc, entryMac(key, previous.mac, doc));
        return full;
      });
    },

    query(q: AuditQuery): AuditPage {
      const { sql, params } = where(q);
      const total = (conn.statement(`SELECT count(*) AS n FROM audit_entries WHERE ${sql}`).get(...params) as { n: number }).n;
      const rows = conn
        .statement(`SELECT seq, id, at_ms, doc, mac FROM audit_entries WHERE ${sql} AND seq < ? ORDER BY seq DESC LIMIT ?`)
        .all(...params, q.before ?? Number.MAX_SAFE_INTEGER, q.limit + 1) as EntryRow[];
      const more = rows.length > q.limit;
      const page = rows.slice(0, q.limit);
      return { entries: page.map(entryOf), nextBefore: more ? (page.at(-1)?.seq ?? null) : null, total };
    },

    /** Every entry the filter matches, oldest first (CSV export, `audit list`). */
    all(filter: AuditFilter): AuditEntry[] {
      const { sql, params } = where(filter);
      return (conn.statement(`SELECT seq, id, at_ms, doc, mac FROM audit_entries WHERE ${sql} ORDER BY seq`).all(...params) as EntryRow[]).map(entryOf);
    },

    /** Entries after a seq, oldest first: how a forwarder catches up with entries other processes appended. */
    since({ afterSeq, limit }: { afterSeq: number; limit: number }): AuditEntry[] {
      return (conn.statement('SELECT seq, id, at_ms, doc, mac FROM audit_entries WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as EntryRow[]).map(
        entryOf,
      );
    },

    /** Walks the chain from the anchor (or the start) and reports the first entry that does not hold. */
    verify({ key }: Keyed): AuditVerifyReport {
      const row = chain();
      const rows = conn.statement('SELECT seq, id, at_ms, doc, mac FROM audit_entries ORDER BY seq').all() as EntryRow[];
      const report: AuditVerifyReport = {
        ok: true,
        checked: 0,
        firstSeq: rows[0]?.seq ?? null,
        lastSeq: rows.at(-1)?.seq ?? null,
        anchor: row?.anchor_seq != null ? { seq: row.anchor_seq, prunedAt: row.anchor_at ?? '' } : null,
        broken: null,
      };
      const fail = (broken: AuditBreak): AuditVerifyReport => ({ ...report, ok: false, broken });
      const atOf = (r: EntryRow | undefined): string | null => {
        try {
          return r ? ((JSON.parse(r.doc) as { at?: string }).at ?? null) : null;
        } catch {
          return null;
        }
      };
      if (!row) {
        if (rows.length === 0) return report;
        return fail({
          seq: rows[0]!.seq,
          at: atOf(rows[0]),
          kind: 'removed',
          message: 'The chain record is missing: the trail was rebuilt outside the console.',
        });
      }
      if (!same(row.key_check, keyCheck(key)))
        return fail({
          seq: rows[0]?.seq ?? 0,
          at: atOf(rows[0]),
          kind: 'key_mismatch',
          message: 'The chain was written with a different key than the vault holds: the vault was replaced or its audit key lost, so no entry can be checked.',
        });
      let previous = { seq: 0, mac: GENESIS };
      if (row.anchor_seq != null) {
        const seal = anchorSeal(key, row.anchor_seq, row.anchor_mac ?? '', row.anchor_at ?? '');
        if (!row.anchor_seal || !same(row.anchor_seal, seal))
          return fail({
            seq: row.anchor_seq,
            at: row.anchor_at,
            kind: 'anchor',
            message: `The retention anchor (entry ${row.anchor_seq}) was changed outside the console: its seal does not match.`,
          });
        previous = { seq: row.anchor_seq, mac: row.anchor_mac ?? GENESIS };
      }
      for (const r of rows) {
        let entry: AuditEntry | undefined;
        try {
          entry = JSON.parse(r.doc) as AuditEntry;
        } catch {
          entry = undefined;
        }
        const at = entry?.at ?? null;
        if (r.seq !== previous.seq + 1) {
          if (entry && entry.seq !== r.seq)
            return fail({ seq: r.seq, at, kind: 'reordered', message: `Entry ${r.seq} holds entry ${entry.seq}: entries were moved.` });
          const gap = r.seq - previous.seq - 1;
          return fail({
            seq: r.seq,
            at,
            kind: 'removed',
            message:
              gap > 0
                ? `${gap === 1 ? `Entry ${previous.seq + 1} is` : `Entries ${previous.seq + 1}–${r.seq - 1} are`} missing before entry ${r.seq}.`
                : `Entry ${r.seq} is out of sequence.`,
          });
        }
        if (!entry || entry.seq !== r.seq || entry.id !== r.id || Date.parse(entry.at) !== r.at_ms) {
          const moved = entry && entry.seq !== r.seq;
          return fail({
            seq: r.seq,
            at,
            kind: moved ? 'reordered' : 'edited',
            message: moved
              ? `Entry ${r.seq} holds entry ${entry!.seq}: entries were moved.`
              : `Entry ${r.seq} was edited: its columns disagree with its content.`,
          });
        }
        if (!same(r.mac, entryMac(key, previous.mac, r.doc)))
          return fail({
            seq: r.seq,
            at,
            kind: 'edited',
            message: `Entry ${r.seq} does not match its MAC: it was edited, or its MAC was rewritten without the chain key.`,
          });
        report.checked++;
        previous = { seq: r.seq, mac: r.mac };
      }
      return report;
    },

    /** Deletes entries older than `before` from the start of the chain and leaves a sealed anchor at the last one. */
    prune({ key, before, now }: AuditPruneInput): AuditPruneResult {
      return conn.write(() => {
        const row = chain();
        if (!row) return { deleted: 0, anchorSeq: null };
        // The prefix of the chain older than the cutoff: an entry written with a skewed clock never opens a gap.
        const firstKept = conn.statement('SELECT min(seq) AS seq FROM audit_entries WHERE at_ms >= ?').get(before) as { seq: number | null };
        const last = (
          firstKept.seq === null
            ? conn.statement('SELECT seq, mac FROM audit_entries ORDER BY seq DESC LIMIT 1').get()
            : conn.statement('SELECT seq, mac FROM audit_entries WHERE seq < ? ORDER BY seq DESC LIMIT 1').get(firstKept.seq)
        ) as { seq: number; mac: string } | undefined;
        if (!last) return { deleted: 0, anchorSeq: row.anchor_seq };
        const deleted = Number(conn.statement('DELETE FROM audit_entries WHERE seq <= ?').run(last.seq).changes);
        const at = new Date(now).toISOString();
        conn
          .statement('UPDATE audit_chain SET anchor_seq = ?, anchor_mac = ?, anchor_at = ?, anchor_seal = ? WHERE id = 1')
          .run(last.seq, last.mac, at, anchorSeal(key, last.seq, last.mac, at));
        return { deleted, anchorSeq: last.seq };
      });
    },
  };
}

export type AuditOperations = ReturnType<typeof createAuditOperations>;
export type AuditOperationName = keyof AuditOperations;
