// The posture-log store as plain synchronous calls on one SQLite connection. The worker wraps it; tests and
// single-threaded tools (CLI export, benchmarks) may use it in-thread.
import type { LogFilter, LogPage, LogQuery, LogRow, PollEvaluations } from '../../../src-shared/schemas/posture-log';
import { closeConnection, openConnection, type Connection } from './connection';
import { countEvaluations, queryEvaluations } from './evaluations';
import { createIngest, type IngestResult } from './ingest';
import { createLookups } from './lookups';
import { countRuns, queryRuns, resultAt, type ResultAtQuery } from './query';
import {
  DEFAULT_PRUNE_BATCH,
  DEFAULT_RETENTION_DAYS,
  pruneBatch,
  releaseFreePages,
  retentionCutoff,
  type PruneBatch,
  type PruneCursor,
} from './retention';

export type PruneOptions = { days?: number; now?: number; batchSize?: number };
export type PruneResult = { cutoff: number; deleted: number; batches: number };

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

const FREE_PAGES_PER_STEP = 2_000;

export type StoreCore = ReturnType<typeof createStoreCore>;

export function openStoreCore(file: string): StoreCore {
  return createStoreCore(openConnection(file));
}

export function createStoreCore(conn: Connection) {
  const ingest = createIngest(conn, createLookups(conn));

  function cutoffOf(options: PruneOptions): number {
    return retentionCutoff(options.now ?? Date.now(), options.days ?? DEFAULT_RETENTION_DAYS);
  }

  return {
    ingest: (poll: PollEvaluations): IngestResult => ingest(poll),

    queryLog: (q: LogQuery): LogPage => (q.view === 'evaluations' ? queryEvaluations(conn, q) : queryRuns(conn, q)),

    countLog: (filter: LogFilter): number =>
      filter.view === 'evaluations' ? countEvaluations(conn, filter) : countRuns(conn, filter),

    resultAt: (q: ResultAtQuery): LogRow | null => resultAt(conn, q),

    cutoffOf,

    pruneBatch: (cutoff: number, after: PruneCursor, batchSize = DEFAULT_PRUNE_BATCH): PruneBatch =>
      pruneBatch(conn, cutoff, after, batchSize),

    releaseFreePages: (): boolean => releaseFreePages(conn, FREE_PAGES_PER_STEP),

    /** All batches in a row: for in-thread use; the worker interleaves them with other requests instead. */
    prune(options: PruneOptions = {}): PruneResult {
      const cutoff = cutoffOf(options);
      const result: PruneResult = { cutoff, deleted: 0, batches: 0 };
      for (let after: PruneCursor = null, done = false; !done; ) {
        const batch = pruneBatch(conn, cutoff, after, options.batchSize ?? DEFAULT_PRUNE_BATCH);
        result.deleted += batch.deleted;
        result.batches++;
        ({ next: after, done } = batch);
      }
      while (releaseFreePages(conn, FREE_PAGES_PER_STEP));
      return result;
    },

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

    /** Between calls no transaction is open, so closing checkpoints and closes. */
    close: (): void => closeConnection(conn),
  };
}
