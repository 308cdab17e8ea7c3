// The forwarding outbox (migration 5): one queue of events per sink, written in the transaction that produced them
// (posture changes) or right after (incidents, user risk, audit), read in batches, removed once a sink took them.
// Each sink's queue is capped: beyond its cap the oldest events are dropped and counted, so a dead SIEM costs a
// bounded amount of disk and never blocks a poll.
import type { ForwardEvent, ForwardEventKind } from '../../../src-shared/schemas/forward';
import type { LogRow } from '../../../src-shared/schemas/posture-log';
import type { Connection } from './connection';

/** What the outbox knows of a sink: the delivery loop registers every configured sink on start and on change. */
export type OutboxSink = { sinkId: string; kinds: ForwardEventKind[]; maxPending: number };

export type OutboxEntry = { seq: number; event: ForwardEvent };

export type OutboxCounters = {
  sinkId: string;
  pending: number;
  oldestPendingAt: number | null;
  delivered: number;
  dropped: number;
  deadLetters: number;
  lastDeliveredAt: number | null;
  /** Delivered counts per minute over the last RATE_WINDOW minutes, newest last. */
  recent: number;
};

export type OutboxDeadLetter = { sinkId: string; seq: number; event: ForwardEvent; reason: string; deadAt: number };

export type AckInput = {
  sinkId: string;
  delivered: number[];
  dead: { seq: number; reason: string }[];
  now: number;
  /** Keep delivered events this long as sent-but-unsettled (0: remove at once). */
  settleMs?: number;
};

export const OUTBOX_SCHEMA = `
  -- One row per event per sink that wants it; seq orders delivery and is never reused (a retried dead letter keeps its own).
  -- The JSON is the ForwardEvent as sent.
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    sink_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    event TEXT NOT NULL,
    -- Set when a sink without receipts (syslog over TCP) took it; kept until it settles, sent again after a restart.
    sent_at INTEGER
  ) STRICT;
  CREATE INDEX outbox_sink ON outbox (sink_id, seq);
  -- The few rows waiting to settle, found without scanning a long queue on every acknowledgement.
  CREATE INDEX outbox_sent ON outbox (sink_id, sent_at) WHERE sent_at IS NOT NULL;
  CREATE TABLE outbox_sinks (
    sink_id TEXT PRIMARY KEY,
    kinds TEXT NOT NULL,
    max_pending INTEGER NOT NULL,
    pending INTEGER NOT NULL DEFAULT 0,
    delivered INTEGER NOT NULL DEFAULT 0,
    dropped INTEGER NOT NULL DEFAULT 0,
    last_delivered_at INTEGER,
    -- The highest seq delivered: the sink's cursor, for status and support.
    cursor INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE TABLE outbox_dead (
    sink_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    reason TEXT NOT NULL,
    dead_at INTEGER NOT NULL,
    PRIMARY KEY (sink_id, seq)
  ) STRICT;
  -- Delivered events per sink per minute, for the rate; pruned to the last hour.
  CREATE TABLE outbox_rate (sink_id TEXT NOT NULL, minute INTEGER NOT NULL, delivered INTEGER NOT NULL, PRIMARY KEY (sink_id, minute)) STRICT;
`;

const RATE_WINDOW_MINUTES = 5;

/** A posture change as the SOC reads it: one run of a result opening for one device and check. */
export function postureChangeEvent(pollId: string, row: LogRow): ForwardEvent {
  const expected = row.expected === null ? '' : `, expected ${row.expected}`;
  const received = row.received === null ? '' : `, received ${row.received}`;
  return {
    id: `posture:${pollId}:${row.id}`,
    kind: 'posture.change',
    time: new Date(row.at).toISOString(),
    summary: `${row.deviceName}: ${row.checkName} ${row.result}${expected}${received}`,
    body: {
      providerId: row.providerId,
      checkId: row.checkId,
      checkName: row.checkName,
      deviceKey: row.deviceKey,
      deviceName: row.deviceName,
      serial: row.serial,
      platform: row.platform,
      result: row.result,
      expected: row.expected,
      received: row.received,
      reason: row.reason,
    },
  };
}

export function createOutbox(conn: Connection) {
  const { statement } = conn;
  // Sinks wanting each kind, cached: posture ingest asks on every poll inside its transaction.
  let wanted: Map<ForwardEventKind, { sinkId: string; maxPending: number }[]> | null = null;

  function sinksFor(kind: ForwardEventKind) {
    if (!wanted) {
      wanted = new Map();
      const rows = statement('SELECT sink_id, kinds, max_pending FROM outbox_sinks').all() as { sink_id: string; kinds: string; max_pending: number }[];
      for (const row of rows)
        for (const k of JSON.parse(row.kinds) as ForwardEventKind[]) {
          const list = wanted.get(k) ?? [];
          list.push({ sinkId: row.sink_id, maxPending: row.max_pending });
          wanted.set(k, list);
        }
    }
    return wanted.get(kind) ?? [];
  }

  /** Drops a sink's oldest events beyond its cap, counting them. Runs inside the appending transaction. */
  function enforceCap(sinkId: string, maxPending: number): void {
    const { pending } = statement('SELECT pending FROM outbox_sinks WHERE sink_id = ?').get(sinkId) as { pending: number };
    const excess = pending - maxPending;
    if (excess <= 0) return;
    const last = statement('SELECT seq FROM outbox WHERE sink_id = ? AND sent_at IS NULL ORDER BY seq LIMIT 1 OFFSET ?').get(sinkId, excess - 1) as
      { seq: number } | undefined;
    if (!last) return;
    const { changes } = statement('DELETE FROM outbox WHERE sink_id = ? AND seq <= ? AND sent_at IS NULL').run(sinkId, last.seq);
    statement('UPDATE outbox_sinks SET pending = pending - ?, dropped = dropped + ? WHERE sink_id = ?').run(changes, changes, sinkId);
  }

  /** Appends events for every sink that wants their kind; the caller provides the transaction. */
  function appendInTransaction(events: readonly ForwardEvent[]): number {
    if (events.length === 0) return 0;
    const touched = new Map<string, { count: number; maxPending: number }>();
    const insert = statement('INSERT INTO outbox (sink_id, at, event) VALUES (?, ?, ?)');
    for (const event of events) {
      const sinks = sinksFor(event.kind);
      if (sinks.length === 0) continue;
      const json = JSON.stringify(event);
      const at = Date.parse(event.time) || 0;
      for (const sink of sinks) {
        insert.run(sink.sinkId, at, json);
        const t = touched.get(sink.sinkId) ?? { count: 0, maxPending: sink.maxPending };
        t.count++;
        touched.set(sink.sinkId, t);
      }
    }
    let appended = 0;
    for (const [sinkId, { count, maxPending }] of touched) {
      statement('UPDATE outbox_sinks SET pending = pending + ? WHERE sink_id = ?').run(count, sinkId);
      enforceCap(sinkId, maxPending);
      appended += count;
    }
    return appended;
  }

  return {
    /** Whether any sink wants this kind (the ingest path skips building events when none does). */
    wants: (kind: ForwardEventKind): boolean => sinksFor(kind).length > 0,

    appendInTransaction,

    append: (events: readonly ForwardEvent[]): number => conn.write(() => appendInTransaction(events)),

    /** Registers the configured sinks: new ones start empty, removed ones lose their queue and dead letters. */
    syncSinks(sinks: OutboxSink[]): void {
      conn.write(() => {
        const keep = new Set(sinks.map((s) => s.sinkId));
        const existing = (statement('SELECT sink_id FROM outbox_sinks').all() as { sink_id: string }[]).map((r) => r.sink_id);
        for (const id of existing)
          if (!keep.has(id))
            for (const table of ['outbox', 'outbox_sinks', 'outbox_dead', 'outbox_rate']) statement(`DELETE FROM ${table} WHERE sink_id = ?`).run(id);
        for (const s of sinks) {
          statement(
            'INSERT INTO outbox_sinks (sink_id, kinds, max_pending) VALUES (?, ?, ?) ON CONFLICT (sink_id) DO UPDATE SET kinds = excluded.kinds, max_pending = excluded.max_pending',
          ).run(s.sinkId, JSON.stringify(s.kinds), s.maxPending);
          enforceCap(s.sinkId, s.maxPending);
        }
        wanted = null;
      });
    },

    /**
     * A new connection: what was sent but had not settled (the process died, the loop restarted) goes out again,
     * in its place. Receivers drop the duplicates by event id.
     */
    requeueUnsettled(sinkId: string): number {
      return conn.write(() => {
        const { changes } = statement('UPDATE outbox SET sent_at = NULL WHERE sink_id = ? AND sent_at IS NOT NULL').run(sinkId);
        statement('UPDATE outbox_sinks SET pending = pending + ? WHERE sink_id = ?').run(changes, sinkId);
        return Number(changes);
      });
    },

    /** The next batch for a sink, oldest first. */
    next(sinkId: string, limit: number): OutboxEntry[] {
      const rows = statement('SELECT seq, event FROM outbox WHERE sink_id = ? AND sent_at IS NULL ORDER BY seq LIMIT ?').all(sinkId, limit) as {
        seq: number;
        event: string;
      }[];
      return rows.map((r) => ({ seq: r.seq, event: JSON.parse(r.event) as ForwardEvent }));
    },

    /** Records what a batch became: delivered events leave the queue, refused ones move to dead letters. */
    ack({ sinkId, delivered, dead, now, settleMs = 0 }: AckInput): void {
      conn.write(() => {
        const remove = statement('DELETE FROM outbox WHERE sink_id = ? AND seq = ? AND sent_at IS NULL');
        // A batch in one statement each: the seqs travel as a JSON array.
        const seqs = JSON.stringify(delivered);
        const { changes } =
          settleMs > 0
            ? statement('UPDATE outbox SET sent_at = ? WHERE sink_id = ? AND sent_at IS NULL AND seq IN (SELECT value FROM json_each(?))').run(
                now,
                sinkId,
                seqs,
              )
            : statement('DELETE FROM outbox WHERE sink_id = ? AND sent_at IS NULL AND seq IN (SELECT value FROM json_each(?))').run(sinkId, seqs);
        let removed = Number(changes);
        let cursor = delivered.reduce((max, seq) => Math.max(max, seq), 0);
        if (settleMs > 0) statement('DELETE FROM outbox WHERE sink_id = ? AND sent_at IS NOT NULL AND sent_at < ?').run(sinkId, now - settleMs);
        const insertDead = statement(
          'INSERT OR REPLACE INTO outbox_dead (sink_id, seq, event, reason, dead_at) SELECT sink_id, seq, event, ?, ? FROM outbox WHERE sink_id = ? AND seq = ?',
        );
        for (const d of dead) {
          insertDead.run(d.reason, now, sinkId, d.seq);
          removed += Number(remove.run(sinkId, d.seq).changes);
          cursor = Math.max(cursor, d.seq);
        }
        statement(
          'UPDATE outbox_sinks SET pending = max(0, pending - ?), delivered = delivered + ?, cursor = max(cursor, ?), last_delivered_at = CASE WHEN ? > 0 THEN ? ELSE last_delivered_at END WHERE sink_id = ?',
        ).run(removed, delivered.length, cursor, delivered.length, now, sinkId);
        if (delivered.length > 0) {
          const minute = Math.floor(now / 60_000);
          statement(
            'INSERT INTO outbox_rate (sink_id, minute, delivered) VALUES (?, ?, ?) ON CONFLICT (sink_id, minute) DO UPDATE SET delivered = delivered + excluded.delivered',
          ).run(sinkId, minute, delivered.length);
          statement('DELETE FROM outbox_rate WHERE sink_id = ? AND minute < ?').run(sinkId, minute - 60);
        }
      });
    },

    counters(sinkId: string, now: number): OutboxCounters | null {
      const row = statement('SELECT pending, delivered, dropped, last_delivered_at FROM outbox_sinks WHERE sink_id = ?').get(sinkId) as
        { pending: number; delivered: number; dropped: number; last_delivered_at: number | null } | undefined;
      if (!row) return null;
      const oldest = statement('SELECT at FROM outbox WHERE sink_id = ? AND sent_at IS NULL ORDER BY seq LIMIT 1').get(sinkId) as { at: number } | undefined;
      const dead = statement('SELECT count(*) AS n FROM outbox_dead WHERE sink_id = ?').get(sinkId) as { n: number };
      const recent = statement('SELECT coalesce(sum(delivered), 0) AS n FROM outbox_rate WHERE sink_id = ? AND minute > ?').get(
        sinkId,
        Math.floor(now / 60_000) - RATE_WINDOW_MINUTES,
      ) as { n: number };
      return {
        sinkId,
        pending: row.pending,
        oldestPendingAt: oldest?.at ?? null,
        delivered: row.delivered,
        dropped: row.dropped,
        deadLetters: dead.n,
        lastDeliveredAt: row.last_delivered_at,
        recent: recent.n / RATE_WINDOW_MINUTES,
      };
    },

    deadLetters(sinkId: string, limit: number): OutboxDeadLetter[] {
      const rows = statement('SELECT sink_id, seq, event, reason, dead_at FROM outbox_dead WHERE sink_id = ? ORDER BY seq LIMIT ?').all(sinkId, limit) as {
        sink_id: string;
        seq: number;
        event: string;
        reason: string;
        dead_at: number;
      }[];
      return rows.map((r) => ({ sinkId: r.sink_id, seq: r.seq, event: JSON.parse(r.event) as ForwardEvent, reason: r.reason, deadAt: r.dead_at }));
    },

    /** Puts dead letters back in the queue (all of the sink's, or the listed event ids); they keep their place by seq. */
    retryDead(sinkId: string, eventIds: string[] | null): number {
      return conn.write(() => {
        const rows = statement('SELECT seq, event FROM outbox_dead WHERE sink_id = ?').all(sinkId) as { seq: number; event: string }[];
        const chosen = eventIds ? rows.filter((r) => eventIds.includes((JSON.parse(r.event) as ForwardEvent).id)) : rows;
        for (const r of chosen) {
          const event = JSON.parse(r.event) as ForwardEvent;
          statement('INSERT INTO outbox (seq, sink_id, at, event) VALUES (?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING').run(
            r.seq,
            sinkId,
            Date.parse(event.time) || 0,
            r.event,
          );
          statement('DELETE FROM outbox_dead WHERE sink_id = ? AND seq = ?').run(sinkId, r.seq);
        }
        statement('UPDATE outbox_sinks SET pending = pending + ? WHERE sink_id = ?').run(chosen.length, sinkId);
        return chosen.length;
      });
    },

    discardDead(sinkId: string, eventIds: string[] | null): number {
      return conn.write(() => {
        if (!eventIds) return Number(statement('DELETE FROM outbox_dead WHERE sink_id = ?').run(sinkId).changes);
        const rows = statement('SELECT seq, event FROM outbox_dead WHERE sink_id = ?').all(sinkId) as { seq: number; event: string }[];
        let n = 0;
        for (const r of rows)
          if (eventIds.includes((JSON.parse(r.event) as ForwardEvent).id))
            n += Number(statement('DELETE FROM outbox_dead WHERE sink_id = ? AND seq = ?').run(sinkId, r.seq).changes);
        return n;
      });
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

/** The outbox operations the main thread may call, by name (`store.outbox(operation, input)`). */
export function createOutboxOperations(conn: Connection) {
  const outbox = createOutbox(conn);
  return {
    outbox,
    operations: {
      append: (input: { events: ForwardEvent[] }) => outbox.append(input.events),
      syncSinks: (input: { sinks: OutboxSink[] }) => outbox.syncSinks(input.sinks),
      requeueUnsettled: (input: { sinkId: string }) => outbox.requeueUnsettled(input.sinkId),
      next: (input: { sinkId: string; limit: number }) => outbox.next(input.sinkId, input.limit),
      ack: (input: AckInput) => outbox.ack(input),
      counters: (input: { sinkId: string; now: number }) => outbox.counters(input.sinkId, input.now),
      deadLetters: (input: { sinkId: string; limit: number }) => outbox.deadLetters(input.sinkId, input.limit),
      retryDead: (input: { sinkId: string; eventIds: string[] | null }) => outbox.retryDead(input.sinkId, input.eventIds),
      discardDead: (input: { sinkId: string; eventIds: string[] | null }) => outbox.discardDead(input.sinkId, input.eventIds),
    },
  };
}

export type OutboxOperations = ReturnType<typeof createOutboxOperations>['operations'];
export type OutboxOperationName = keyof OutboxOperations;
