// A CSV export of the posture log, produced where the data is. It reads on its own connection inside one
// read transaction, so the file is a consistent snapshot of the filter (WAL lets ingest carry on beside
// it), and hands out CSV text in chunks the caller pulls, so memory stays flat and nothing but text
// crosses the worker boundary. The format itself is export/csv-format.ts.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { ContractError } from '../../../src-shared/errors';
import type { LogFilter, LogSort } from '../../../src-shared/schemas/posture-log';
import { CSV_HEADER, csvTime, runCells, type CsvRun } from '../export/csv-format';
import type { Connection } from './connection';
import { countEvaluations, pollConditions } from './evaluations';
import { allOf, resolveFilter, seriesConditions, whereClause } from './filter';
import { orderBy } from './keyset';
import { countRuns, runConditions, runsPageSql, runsSource } from './query';
import { RUN_COLUMNS, RUN_LOOKUPS, resultName, type RunRecord } from './rows';

export type LogExportRequest = {
  filter: LogFilter;
  sort: LogSort;
  /** Display names by provider id; an id without one is written as is. */
  providerNames?: Record<string, string>;
};

/** `rows` counts records in `text`; the first chunk also carries the BOM and header. */
export type LogExportChunk = { text: string; rows: number; done: boolean };

export type LogExport = {
  /** Rows the export will write: the filter's count in the same snapshot. */
  total: number;
  next(maxRows: number): LogExportChunk;
  close(): void;
};

/** A second connection to the same file for reading only, with its own statements. */
function openSnapshot(file: string): Connection {
  const db = new DatabaseSync(file, { timeout: 5_000 });
  db.exec('PRAGMA query_only = ON; PRAGMA temp_store = MEMORY;');
  const statements = new Map<string, StatementSync>();
  return {
    db,
    statement(sql) {
      let stmt = statements.get(sql);
      if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
      return stmt;
    },
    write() {
      throw new Error('An export snapshot is read-only.');
    },
  };
}

export function openLogExport(file: string | null | undefined, request: LogExportRequest): LogExport {
  if (!file)
    throw new ContractError({ code: 'store.export_unavailable', message: 'An in-memory posture log cannot be exported.' });
  const conn = openSnapshot(file);
  try {
    // The snapshot starts with the first read after BEGIN and holds until close.
    conn.db.exec('BEGIN');
    const { filter } = request;
    const total = filter.view === 'evaluations' ? countEvaluations(conn, filter) : countRuns(conn, filter);
    const names = request.providerNames ?? {};
    const cellsOf = (r: RunRecord) => runCells(toCsvRun(r, names[r.provider_key] ?? r.provider_key));
    const lines = filter.view === 'evaluations' ? evaluationLines(conn, filter, request.sort, cellsOf) : runLines(conn, request, cellsOf);
    let started = false;
    // One line read ahead, so the chunk that holds the last record already says it is the last.
    let ahead = lines.next();
    return {
      total,
      next(maxRows) {
        let text = started ? '' : CSV_HEADER;
        started = true;
        let rows = 0;
        for (; !ahead.done && rows < maxRows; rows++) {
          text += ahead.value;
          ahead = lines.next();
        }
        return { text, rows, done: ahead.done === true };
      },
      close() {
        lines.return(undefined);
        close(conn);
      },
    };
  } catch (error) {
    close(conn);
    throw error;
  }
}

function close({ db }: Connection) {
  if (!db.isOpen) return;
  if (db.isTransaction) db.exec('ROLLBACK');
  db.close();
}

function toCsvRun(r: RunRecord, provider: string): CsvRun {
  return {
    deviceName: r.device_name,
    serial: r.serial,
    platform: r.platform,
    provider,
    checkName: r.check_name,
    result: resultName(r.result),
    expected: r.expected,
    received: r.received,
    reason: r.reason,
  };
}

/** The changes and latest views: one record per run, in the order `queryRuns` pages them. */
function* runLines(conn: Connection, { filter, sort }: LogExportRequest, cellsOf: (r: RunRecord) => string) {
  const { conditions, narrow } = runConditions(conn, filter);
  // The page query without its page: LIMIT -1 is SQLite's "no limit".
  const sql = runsPageSql({ view: filter.view, sort }, narrow, conditions.where);
  for (const r of conn.statement(sql).iterate(...conditions.params, -1) as Iterable<RunRecord>)
    yield csvTime(r.first_at) + cellsOf(r);
}

type Poll = { id: number; provider_id: number; evaluated_at: number };
type Run = { first: number; last: number; result: number; cells: string };
/** A series as the walk goes: the run in force at the last poll looked at, and when to look again. */
type SeriesState = { id: number; looked: boolean; run: Run | null; next: number };

/**
 * The every-evaluation view in the order `queryEvaluations` pages it: polls by time, then the series of the
 * poll's provider by id. Instead of finding the run in force for every (poll, series) pair, each series
 * keeps its current run and seeks the runs index only when the walk leaves it, so SQLite work grows with
 * runs, not evaluations, and each run is quoted once.
 */
function* evaluationLines(conn: Connection, filter: LogFilter, sort: LogSort, cellsOf: (r: RunRecord) => string) {
  const asc = sort.dir === 'asc';
  const dir = asc ? 'ASC' : 'DESC';
  const resolved = resolveFilter(conn, filter);
  const results = resolved.results && new Set(resolved.results);

  const scope = seriesConditions(resolved, 's.id');
  const byProvider = new Map<number, SeriesState[]>();
  const seriesSql = `SELECT s.id, s.provider_id FROM series s CROSS JOIN devices d ON d.id = s.device_id
    ${whereClause(scope)} ORDER BY s.id ${dir}`;
  for (const s of conn.statement(seriesSql).iterate(...scope.params) as Iterable<{ id: number; provider_id: number }>) {
    let list = byProvider.get(s.provider_id);
    if (!list) byProvider.set(s.provider_id, (list = []));
    list.push({ id: s.id, looked: false, run: null, next: asc ? Infinity : -Infinity });
  }

  // The run in force at a time (the last to start at or before it), and for an ascending walk the start
  // of the one after it.
  const inForce = conn.statement(`SELECT ${RUN_COLUMNS} FROM ${runsSource(false, 'time', true)} ${RUN_LOOKUPS}
    WHERE r.series_id = ? AND r.first_at <= ? ORDER BY r.first_at DESC, r.id DESC LIMIT 1`);
  const following = conn.statement(
    'SELECT first_at FROM runs INDEXED BY runs_series WHERE series_id = ? AND first_at > ? ORDER BY first_at LIMIT 1',
  );
  const look = (s: SeriesState, at: number) => {
    const r = inForce.get(s.id, at) as RunRecord | undefined;
    s.looked = true;
    s.run = r ? { first: r.first_at, last: r.last_at, result: r.result, cells: cellsOf(r) } : null;
    if (asc) s.next = (following.get(s.id, at) as { first_at: number } | undefined)?.first_at ?? Infinity;
    else s.next = s.run?.first ?? -Infinity;
  };

  const polls = pollConditions(filter, resolved);
  const pollSql = `SELECT id, provider_id, evaluated_at FROM polls ${whereClause(allOf(polls))}
    ORDER BY ${orderBy(['evaluated_at', 'id'], sort.dir)}`;
  for (const poll of conn.statement(pollSql).iterate(...polls.params) as Iterable<Poll>) {
    const at = poll.evaluated_at;
    const time = csvTime(at);
    for (const s of byProvider.get(poll.provider_id) ?? []) {
      if (!s.looked || (asc ? at >= s.next : at < s.next)) look(s, at);
      const run = s.run;
      // Runs span consecutive polls, so a run in force that lasted until this poll was evaluated at it.
      if (run && run.last >= at && (!results || results.has(run.result))) yield time + run.cells;
    }
  }
}

/** The store's open exports by id, so a caller on the other side of the worker can pull and close them. */
export function createLogExports(conn: Connection) {
  const open = new Map<number, LogExport>();
  let nextId = 1;
  return {
    open(request: LogExportRequest): { exportId: number; total: number } {
      const exportId = nextId++;
      const running = openLogExport(conn.db.location(), request);
      open.set(exportId, running);
      return { exportId, total: running.total };
    },
    /** The next chunk; after the last one the export is closed. */
    next(exportId: number, maxRows: number): LogExportChunk {
      const running = open.get(exportId);
      if (!running) throw new ContractError({ code: 'store.export_closed', message: 'This export is no longer open.' });
      const chunk = running.next(maxRows);
      if (chunk.done) this.close(exportId);
      return chunk;
    },
    close(exportId: number): void {
      open.get(exportId)?.close();
      open.delete(exportId);
    },
    closeAll(): void {
      for (const exportId of [...open.keys()]) this.close(exportId);
    },
  };
}
