// The posture-log store as plain synchronous calls on one SQLite connection. The worker wraps it; tests and
// single-threaded tools (CLI export, benchmarks) may use it in-thread.
import type { LogFilter, LogPage, LogQuery, LogRow, PollEvaluations } from '../../../src-shared/schemas/posture-log';
import { closeConnection, openConnection, openReadConnection, type Connection } from './connection';
import { countEvaluations, queryEvaluations } from './evaluations';
import type { IncidentEngine } from './incident-tx';
import { createIncidentOperations } from './incident-tables';
import { latestForDevices } from './device-results';
import { createIngest, type IngestOptions, type IngestResult } from './ingest';
import { createLookups } from './lookups';
import type { PackedPoll } from './packed-poll';
import { createLogExports, type LogExportChunk, type LogExportRequest } from './log-export';
import { countRuns, queryRuns, resultAt, type ResultAtQuery } from './query';
import { pruneSteps, type PruneOptions, type PruneResult } from './retention';
import { createUserOperations, type UserOperationName } from './users';
import { createOutboxOperations, postureChangeEvent, type OutboxOperationName, type OutboxOperations } from './outbox';
import { createAuditOperations, type AuditOperationName } from './audit';

export type StoreStats = {
  runs: number;
  evaluations: number;
  polls: number;
  series: number;
  devices: number;
  /** Bytes of the main database file in use (page_count × page_size), excluding the WAL. */
  bytes: number;
  freeBytes: number;
};

export type StoreCore = ReturnType<typeof createStoreCore>;

/** What the store runs for the layers above it, handed in so that it imports nothing of theirs. */
export interface StoreEngines {
  /** The incident engine's operations (`incidents/operations.ts` runOperation); without it, `incidents` refuses. */
  incidents?: IncidentEngine;
}

export function openStoreCore(file: string, engines: StoreEngines = {}): StoreCore {
  return createStoreCore(openConnection(file), engines);
}

export function createStoreCore(conn: Connection, engines: StoreEngines = {}) {
  const lookups = createLookups(conn);
  const { outbox, operations: outboxOperations } = createOutboxOperations(conn);
  // Posture changes enter the outbox in their poll's transaction: a kill between the two cannot lose one.
  const ingest = createIngest(conn, lookups, {
    wants: () => outbox.wants('posture.change'),
    opened: (pollId, opened) => void outbox.appendInTransaction(opened.map((row) => postureChangeEvent(pollId, row))),
  });
  const incidentOperations = createIncidentOperations(conn, engines.incidents);
  const userOperations = createUserOperations(conn);
  const auditOperations = createAuditOperations(conn);
  const exports = createLogExports(conn.db.location());

  return {
    ingest: (poll: PollEvaluations, options?: IngestOptions): IngestResult => ingest.rows(poll, options),

    /** `ingest` for a poll packed by `packPoll`: how the worker receives polls. */
    ingestPacked: (packed: PackedPoll, options?: IngestOptions): IngestResult => ingest.packed(packed, options),

    /** `ingestPacked` as steps in one open transaction: the worker answers reads from a snapshot between them. */
    ingestPackedSteps: (packed: PackedPoll, options?: IngestOptions): Generator<void, IngestResult> => ingest.packedSteps(packed, options),

    ...createLogReads(conn),

    /** Retention step by step; the worker runs other requests between steps. */
    pruneSteps: (options?: PruneOptions) => pruneSteps(conn, options, lookups.forget),

    /**
     * Between polls: drops the ingest mirror (the next poll reloads its provider's part in one query) and SQLite's
     * page cache. At 100k devices the mirror is ~150 MB held for a poll that comes minutes or hours later.
     */
    releaseMemory(): void {
      lookups.forget();
      conn.db.exec('PRAGMA shrink_memory');
    },

    /** All of retention at once, for in-thread use. */
    prune(options?: PruneOptions): PruneResult {
      const steps = pruneSteps(conn, options, lookups.forget);
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
      }
    },

    /** One operation of the incident engine (its IncidentRepository), in one write transaction. */
    incidents: (operation: string, input: unknown): unknown => incidentOperations(operation, input),

    /** One operation of user risk (`users.ts`); typed for callers by `core/users/risk-store.ts`. */
    users: (operation: UserOperationName, input: unknown): unknown => (userOperations[operation] as (input: unknown) => unknown)(input),

    /** One operation of the forwarding outbox (`outbox.ts`); typed for callers by `core/forward/outbox-store.ts`. */
    outbox: <O extends OutboxOperationName>(operation: O, input: Parameters<OutboxOperations[O]>[0]): ReturnType<OutboxOperations[O]> =>
      (outboxOperations[operation] as (input: unknown) => ReturnType<OutboxOperations[O]>)(input),
    /** One operation of the audit trail (`audit.ts`); typed for callers by `core/audit/trail-store.ts`. */
    audit: (operation: AuditOperationName, input: unknown): unknown => (auditOperations[operation] as (input: unknown) => unknown)(input),

    /** Starts a CSV export of a filter: a snapshot read on its own connection, pulled in chunks. */
    exportOpen: (request: LogExportRequest): { exportId: number; total: number } => exports.open(request),

    exportNext: (exportId: number, maxRows: number): LogExportChunk => exports.next(exportId, maxRows),

    exportClose: (exportId: number): void => exports.close(exportId),

    /** Between calls no transaction is open, so closing checkpoints and closes. */
    close(): void {
      exports.closeAll();
      closeConnection(conn);
    },
  };
}

/** The log's reads on a connection: the store's own, or a read-only snapshot beside a write in progress. */
export function createLogReads(conn: Connection) {
  return {
    queryLog: (q: LogQuery): LogPage => (q.view === 'evaluations' ? queryEvaluations(conn, q) : queryRuns(conn, q)),

    countLog: (filter: LogFilter): number => (filter.view === 'evaluations' ? countEvaluations(conn, filter) : countRuns(conn, filter)),

    resultAt: (q: ResultAtQuery): LogRow | null => resultAt(conn, q),

    /** The latest-view rows of some devices (a page of the Devices table). */
    latestForDevices: (deviceKeys: string[]): LogRow[] => latestForDevices(conn, deviceKeys),

    stats(): StoreStats {
      const count = (sql: string) => (conn.statement(sql).get() as { n: number }).n;
      const pragma = (name: string) => (conn.db.prepare(`PRAGMA ${name}`).get() as Record<string, number>)[name] ?? 0;
      const pageSize = pragma('page_size');
      return {
        runs: count('SELECT count(*) AS n FROM runs'),
        evaluations: count('SELECT coalesce(sum(count), 0) AS n FROM runs'),
        polls: count('SELECT count(*) AS n FROM polls'),
        series: count('SELECT count(*) AS n FROM series'),
        devices: count('SELECT count(*) AS n FROM devices'),
        bytes: pragma('page_count') * pageSize,
        freeBytes: pragma('freelist_count') * pageSize,
      };
    },
  };
}

export type LogReads = ReturnType<typeof createLogReads>;

/** The reads on their own connection: in WAL mode it sees the last committed poll while another is being written. */
export function openLogReads(file: string): LogReads & { close(): void } {
  // A page of rows or a count needs few pages cached: 4 MB, not the writer's 32 MB.
  const conn = openReadConnection(file, 4096);
  return { ...createLogReads(conn), close: () => (conn.db.isOpen ? conn.db.close() : undefined) };
}
