// The every-evaluation view: runs expanded to one row per poll they span, in poll-time order, and its count.
import type { SQLInputValue } from 'node:sqlite';
import type { LogFilter, LogPage, LogQuery, LogRow } from '../../../src-shared/schemas/posture-log';
import type { Connection } from './connection';
import { decodeCursor, encodeCursor } from './cursor';
import { allOf, resolveFilter, resultConditions, selectsNothing, seriesConditions, timeConditions, whereClause, type ResolvedFilter } from './filter';
import { keysetBranches, orderBy, type Dir } from './keyset';
import { RUN_COLUMNS, RUN_LOOKUPS, toLogRow, type RunRecord } from './rows';

type Poll = { id: number; provider_id: number; evaluated_at: number };

export function pollConditions(filter: LogFilter, resolved: ResolvedFilter) {
  return allOf(timeConditions(filter, 'evaluated_at'), {
    where: resolved.providers ? [resolved.providers.length ? `provider_id IN (${resolved.providers.join(',')})` : '0'] : [],
    params: [],
  });
}

/** The next poll after `after` in the sort order, within the filter's time range and providers. */
function nextPoll(conn: Connection, filter: LogFilter, resolved: ResolvedFilter, after: Poll | null, dir: Dir): Poll | null {
  const base = pollConditions(filter, resolved);
  const exprs = ['evaluated_at', 'id'];
  const branches = after ? keysetBranches(exprs, [after.evaluated_at, after.id], dir) : [{ where: '1', params: [] }];
  for (const branch of branches) {
    const sql = `SELECT id, provider_id, evaluated_at FROM polls
      ${whereClause(allOf(base, { where: [branch.where], params: [] }))} ORDER BY ${orderBy(exprs, dir)} LIMIT 1`;
    const poll = conn.statement(sql).get(...base.params, ...branch.params) as Poll | undefined;
    if (poll) return poll;
  }
  return null;
}

/**
 * The evaluations of one poll, in series order after `afterSeries`: for each series of the poll's provider,
 * the run that started last at or before the poll, kept when it lasted until the poll. Runs only span
 * consecutive polls, so that run was evaluated at this poll.
 */
function evaluationsAt(
  conn: Connection,
  resolved: ResolvedFilter,
  poll: Poll,
  afterSeries: number | null,
  dir: Dir,
  limit: number,
): (RunRecord & { series_id: number })[] {
  const narrow = resolved.text?.kind === 'narrow';
  const conditions = allOf(
    { where: ['s.provider_id = ?', 'r.last_at >= ?'], params: [poll.provider_id, poll.evaluated_at] },
    afterSeries === null ? { where: [], params: [] } : { where: [`s.id ${dir === 'asc' ? '>' : '<'} ?`], params: [afterSeries] },
    seriesConditions(resolved, 's.id'),
    resultConditions(resolved),
  );
  // A narrow search seeks its few series by primary key; otherwise walk the provider's series in order.
  const sql = `SELECT ${RUN_COLUMNS}, s.id AS series_id
    FROM series s ${narrow ? '' : 'INDEXED BY series_provider'}
      CROSS JOIN devices d ON d.id = s.device_id
      CROSS JOIN runs r ON r.id = (
        SELECT x.id FROM runs x INDEXED BY runs_series
        WHERE x.series_id = s.id AND x.first_at <= ? ORDER BY x.first_at DESC LIMIT 1)
      ${RUN_LOOKUPS}
    ${whereClause(conditions)}
    ORDER BY s.id ${dir.toUpperCase()} LIMIT ?`;
  return conn.statement(sql).all(poll.evaluated_at, ...conditions.params, limit) as (RunRecord & { series_id: number })[];
}

/** Keyset: (poll time, poll id, series id). */
export function queryEvaluations(conn: Connection, q: LogQuery): LogPage {
  const after = decodeCursor(q, 3);
  const resolved = resolveFilter(conn, q);
  if (selectsNothing(resolved)) return { rows: [], nextCursor: null };
  const dir = q.sort.dir;
  const rows: { record: RunRecord & { series_id: number }; poll: Poll }[] = [];
  const take = (poll: Poll, afterSeries: number | null) => {
    for (const record of evaluationsAt(conn, resolved, poll, afterSeries, dir, q.limit + 1 - rows.length)) rows.push({ record, poll });
  };

  let poll: Poll | null = null;
  if (after) {
    const [evaluatedAt, pollId, seriesId] = after as [number, number, number];
    const current = conn.statement('SELECT provider_id FROM polls WHERE id = ?').get(pollId) as { provider_id: number } | undefined;
    poll = { id: pollId, provider_id: current?.provider_id ?? -1, evaluated_at: evaluatedAt };
    // The cursor's poll may have been pruned since; then carry on from the next one.
    if (current) take(poll, seriesId);
  }
  while (rows.length <= q.limit) {
    poll = nextPoll(conn, q, resolved, poll, dir);
    if (!poll) break;
    take(poll, null);
  }

  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const key = (r: (typeof rows)[number]): SQLInputValue[] => [r.poll.evaluated_at, r.poll.id, r.record.series_id];
  return {
    rows: page.map(({ record, poll: p }): LogRow => toLogRow(record, { id: p.id, at: p.evaluated_at })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(q, key(last)) : null,
  };
}

/**
 * Evaluations in the filter: whole runs inside the time range count `count`; a run cut by a bound counts
 * the polls of its provider inside both. Retention keeps every poll a stored run spans, so both agree.
 */
export function countEvaluations(conn: Connection, filter: LogFilter): number {
  const resolved = resolveFilter(conn, filter);
  if (selectsNothing(resolved)) return 0;
  const from = filter.from ?? 0;
  const to = filter.to ?? Number.MAX_SAFE_INTEGER;
  const conditions = allOf(
    { where: ['r.first_at <= ?', 'r.last_at >= ?'], params: [to, from] },
    seriesConditions(resolved, 'r.series_id'),
    resultConditions(resolved),
  );
  const sql = `SELECT coalesce(sum(CASE WHEN r.first_at >= ? AND r.last_at <= ? THEN r.count ELSE (
      SELECT count(*) FROM polls pl INDEXED BY polls_provider_time
      WHERE pl.provider_id = s.provider_id AND pl.evaluated_at BETWEEN max(r.first_at, ?) AND min(r.last_at, ?)) END), 0) AS n
    FROM runs r INDEXED BY runs_time
      CROSS JOIN series s ON s.id = r.series_id
      CROSS JOIN devices d ON d.id = s.device_id
    ${whereClause(conditions)}`;
  return (conn.statement(sql).get(from, to, from, to, ...conditions.params) as { n: number }).n;
}
