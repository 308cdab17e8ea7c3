// Retention: deletes runs last evaluated before a cutoff, a few thousand per transaction so ingest
// (queued behind each batch in the worker) never waits long.
import type { Connection } from './connection';
import { keysetBranches } from './keyset';

export const DEFAULT_RETENTION_DAYS = 30;
export const DEFAULT_PRUNE_BATCH = 5_000;

/** Where the previous batch stopped in (first_at, id) order; null to start from the oldest run. */
export type PruneCursor = { firstAt: number; id: number } | null;
/** `newestDeleted`: a series lost its newest run (it was not evaluated since the cutoff), which ingest mirrors. */
export type PruneBatch = { deleted: number; newestDeleted: boolean; next: PruneCursor; done: boolean };

/**
 * One batch. Runs are walked by first_at (every expired run starts before the cutoff); runs that started
 * before the cutoff but are still current are stepped over once, not rescanned by every batch.
 */
export function pruneBatch(conn: Connection, cutoff: number, after: PruneCursor, batchSize: number): PruneBatch {
  return conn.write(() => {
    const exprs = ['first_at', 'id'];
    const branches = after ? keysetBranches(exprs, [after.firstAt, after.id], 'asc') : [{ where: '1', params: [] }];
    const expired: { id: number; first_at: number; latest: number }[] = [];
    for (const branch of branches) {
      const rows = conn
        .statement(
          `SELECT id, first_at, latest FROM runs INDEXED BY runs_time
           WHERE first_at < ? AND last_at < ? AND ${branch.where} ORDER BY first_at, id LIMIT ?`,
        )
        .all(cutoff, cutoff, ...branch.params, batchSize - expired.length) as typeof expired;
      expired.push(...rows);
      if (expired.length >= batchSize) break;
    }
    const remove = conn.statement('DELETE FROM runs WHERE id = ?');
    for (const run of expired) remove.run(run.id);
    const last = expired.at(-1);
    const done = expired.length < batchSize;
    if (done) {
      // Keep every poll a stored run spans, so runs still expand to all their evaluations.
      conn
        .statement(
          `DELETE FROM polls WHERE evaluated_at < ?
             AND evaluated_at < coalesce((SELECT min(first_at) FROM runs), ?)`,
        )
        .run(cutoff, cutoff);
    }
    return {
      deleted: expired.length,
      newestDeleted: expired.some((run) => run.latest === 1),
      next: last ? { firstAt: last.first_at, id: last.id } : after,
      done,
    };
  });
}

/** Hands up to `pages` pages freed by retention back to the file system; true while more remain. */
export function releaseFreePages(conn: Connection, pages: number): boolean {
  conn.db.exec(`PRAGMA incremental_vacuum(${Math.max(1, Math.floor(pages))})`);
  return (conn.db.prepare('PRAGMA freelist_count').get() as { freelist_count: number }).freelist_count > 0;
}

export type PruneOptions = { days?: number; now?: number; batchSize?: number };
export type PruneResult = { cutoff: number; deleted: number; batches: number };

const FREE_PAGES_PER_STEP = 2_000;

/**
 * Retention as small steps, each its own transaction; yields the running totals after each so a caller
 * can interleave other work (the worker) or simply drain it (in-thread use). `onNewestDeleted` runs after
 * a batch that deleted some series' newest run.
 */
export function* pruneSteps(conn: Connection, options: PruneOptions = {}, onNewestDeleted: () => void = () => {}): Generator<PruneResult, PruneResult> {
  const cutoff = (options.now ?? Date.now()) - (options.days ?? DEFAULT_RETENTION_DAYS) * 86_400_000;
  const result: PruneResult = { cutoff, deleted: 0, batches: 0 };
  for (let after: PruneCursor = null, done = false; !done; yield result) {
    const batch = pruneBatch(conn, cutoff, after, options.batchSize ?? DEFAULT_PRUNE_BATCH);
    result.deleted += batch.deleted;
    result.batches++;
    if (batch.newestDeleted) onNewestDeleted();
    ({ next: after, done } = batch);
  }
  while (releaseFreePages(conn, FREE_PAGES_PER_STEP)) yield result;
  return result;
}
