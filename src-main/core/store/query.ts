// Pages of the changes and latest views (one row per run), their counts, and a series' state at a time.
import type { SQLInputValue } from 'node:sqlite';
import type { LogFilter, LogPage, LogQuery, LogRow } from '../../../src-shared/schemas/posture-log';
import type { Connection } from './connection';
import { decodeCursor, encodeCursor } from './cursor';
import { allOf, resolveFilter, resultConditions, selectsNothing, seriesConditions, timeConditions, whereClause } from './filter';
import { keysetBranches, orderBy, type Branch } from './keyset';
import { RUN_COLUMNS, RUN_LOOKUPS, toLogRow, type RunRecord } from './rows';

type SortBy = LogQuery['sort']['by'];
type KeyPart = { expr: string; field: keyof RunRecord };

const firstAt: KeyPart = { expr: 'r.first_at', field: 'first_at' };
const runId: KeyPart = { expr: 'r.id', field: 'run_id' };

/** Each sort is a total order ending in the run id, and each has an index that walks it without sorting. */
const SORT_KEYS: Record<SortBy, KeyPart[]> = {
  time: [firstAt, runId],
  result: [{ expr: 'r.result', field: 'result' }, firstAt, runId],
  device: [{ expr: 'd.name', field: 'device_name' }, { expr: 'd.id', field: 'device_id' }, { expr: 's.check_id', field: 'check_id' }, firstAt, runId],
};

/**
 * The FROM clause, with the join order and index fixed (CROSS JOIN is SQLite's "do not reorder") so a
 * page reads about `limit` index entries. A narrow text search instead seeks the few matching series and
 * sorts what they hold.
 */
function runsSource(latest: boolean, by: SortBy, narrow: boolean): string {
  const perSeries = latest ? 'runs_latest' : 'runs_series';
  if (by === 'device')
    return `devices d INDEXED BY devices_name
      CROSS JOIN series s ON s.device_id = d.id
      CROSS JOIN runs r INDEXED BY ${perSeries} ON r.series_id = s.id`;
  const index = narrow ? perSeries : `runs_${latest ? 'latest_' : ''}${by}`;
  return `runs r INDEXED BY ${index}
    CROSS JOIN series s ON s.id = r.series_id
    CROSS JOIN devices d ON d.id = s.device_id`;
}

export function runConditions(conn: Connection, filter: LogFilter) {
  const resolved = resolveFilter(conn, filter);
  const conditions = allOf(
    filter.view === 'latest' ? { where: ['r.latest = 1'], params: [] } : { where: [], params: [] },
    timeConditions(filter, 'r.first_at'),
    resultConditions(resolved),
    seriesConditions(resolved, 'r.series_id'),
  );
  // Checks, providers and a broad search test series and device columns; every other condition is on the run itself.
  const joins = Boolean(resolved.checks || resolved.providers || resolved.text?.kind === 'broad');
  return { conditions, narrow: resolved.text?.kind === 'narrow', nothing: selectsNothing(resolved), joins };
}

/** One page query of the changes or latest view; parameters: the conditions', the branch's, then the limit. */
export function runsPageSql(q: Pick<LogQuery, 'view' | 'sort'>, narrow: boolean, where: string[]): string {
  return `SELECT ${RUN_COLUMNS}
    FROM ${runsSource(q.view === 'latest', q.sort.by, narrow)} ${RUN_LOOKUPS}
    ${whereClause({ where, params: [] })}
    ORDER BY ${orderBy(
      SORT_KEYS[q.sort.by].map((k) => k.expr),
      q.sort.dir,
    )} LIMIT ?`;
}

export function queryRuns(conn: Connection, q: LogQuery): LogPage {
  const keys = SORT_KEYS[q.sort.by];
  const after = decodeCursor(q, keys.length);
  const { conditions, narrow, nothing } = runConditions(conn, q);
  if (nothing) return { rows: [], nextCursor: null };
  const branches: Branch[] = after
    ? keysetBranches(
        keys.map((k) => k.expr),
        after,
        q.sort.dir,
      )
    : [{ where: '1', params: [] }];
  const records: RunRecord[] = [];
  for (const branch of branches) {
    const sql = runsPageSql(q, narrow, [...conditions.where, branch.where]);
    const need = q.limit + 1 - records.length;
    records.push(...(conn.statement(sql).all(...conditions.params, ...branch.params, need) as RunRecord[]));
    // One row past the page tells whether another page exists.
    if (records.length > q.limit) break;
  }
  const page = records.slice(0, q.limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => toLogRow(r)),
    nextCursor:
      records.length > q.limit && last
        ? encodeCursor(
            q,
            keys.map((k) => last[k.field] as SQLInputValue),
          )
        : null,
  };
}

export function countRuns(conn: Connection, filter: LogFilter): number {
  const { conditions, nothing, joins } = runConditions(conn, filter);
  if (nothing) return 0;
  // Every run has its series and device (neither is ever deleted), so without their conditions the joins only cost:
  // two lookups per run, most of the total's time over a million-row log.
  const sql = `SELECT count(*) AS n FROM runs r
    ${joins ? 'CROSS JOIN series s ON s.id = r.series_id CROSS JOIN devices d ON d.id = s.device_id' : ''}
    ${whereClause(conditions)}`;
  return (conn.statement(sql).get(...conditions.params) as { n: number }).n;
}

export type ResultAtQuery = { providerId: string; checkId: string; deviceKey: string; at: number };

/**
 * The run in force at `at`: the last run of that device/check to start at or before it. When `at` is after
 * the run's last evaluation, this is the last known state (the device was not evaluated since).
 */
export function resultAt(conn: Connection, q: ResultAtQuery): LogRow | null {
  const series = conn
    .statement(
      `SELECT s.id FROM devices d
         CROSS JOIN series s ON s.device_id = d.id
         CROSS JOIN checks c ON c.id = s.check_id
         CROSS JOIN providers p ON p.id = s.provider_id
       WHERE d.key = ? AND c.key = ? AND p.key = ?`,
    )
    .get(q.deviceKey, q.checkId, q.providerId) as { id: number } | undefined;
  if (!series) return null;
  const record = conn
    .statement(
      `SELECT ${RUN_COLUMNS} FROM ${runsSource(false, 'time', true)} ${RUN_LOOKUPS}
       WHERE r.series_id = ? AND r.first_at <= ?
       ORDER BY r.first_at DESC, r.id DESC LIMIT 1`,
    )
    .get(series.id, q.at) as RunRecord | undefined;
  return record ? toLogRow(record) : null;
}
