// A CSV export of the posture log, produced where the data is. It reads on its own connection inside one
// read transaction, so the file is a consistent snapshot of the filter (WAL lets ingest carry on beside
// it), and hands out CSV text in chunks the caller pulls, so memory stays flat and nothing but text
// crosses the worker boundary. The format itself is csv/log-format.ts.
import type { StatementSync } from 'node:sqlite';
import { ContractError } from '../../../src-shared/errors';
import type { LogFilter, LogSort } from '../../../src-shared/schemas/posture-log';
import { CSV_HEADER, csvTime, runCells, type CsvRun } from '../csv/log-format';
import { createByteChunks, type ByteChunks } from './byte-chunks';
import { openReadConnection, type Connection } from './connection';
import { countEvaluations, pollConditions } from './evaluations';
import { allOf, resolveFilter, selectsNothing, seriesConditions, whereClause } from './filter';
import { orderBy } from './keyset';
import { countRuns, runConditions, runsPageSql } from './query';
import { RUN_LOOKUPS, resultName, type RunRecord } from './rows';

export type LogExportRequest = {
  filter: LogFilter;
  sort: LogSort;
  /** Display names by provider id; an id without one is written as is. */
  providerNames?: Record<string, string>;
};

/** `rows` counts records in `bytes` (UTF-8); the first chunk also carries the BOM and header. */
export type LogExportChunk = { bytes: Uint8Array; rows: number; done: boolean };

export type LogExport = {
  /** Rows the export will write: the filter's count in the same snapshot. */
  total: number;
  next(maxRows: number): LogExportChunk;
  close(): void;
};

/** Writes one record into `out` per step. */
type Records = Generator<void, void, undefined>;

export function openLogExport(file: string | null | undefined, request: LogExportRequest): LogExport {
  if (!file) throw new ContractError({ code: 'store.export_unavailable', message: 'An in-memory posture log cannot be exported.' });
  // The export's own connection and statements; its page cache is SQLite's default (2 MB).
  const conn = openReadConnection(file, 2_000);
  try {
    // The snapshot starts with the first read after BEGIN and holds until close.
    conn.db.exec('BEGIN');
    const { filter } = request;
    const total = filter.view === 'evaluations' ? countEvaluations(conn, filter) : countRuns(conn, filter);
    const names = request.providerNames ?? {};
    const cellsOf = (r: CsvRecord) => runCells(toCsvRun(r, names[r.provider_key] ?? r.provider_key));
    const out = createByteChunks();
    out.text(CSV_HEADER);
    const records: Records =
      filter.view === 'evaluations' ? evaluationRecords(conn, out, filter, request.sort, cellsOf) : runRecords(conn, out, request, cellsOf);
    // One record written ahead, so the chunk that holds the last record already says it is the last.
    let ahead = out.size;
    let done = records.next().done === true;
    return {
      total,
      next(maxRows) {
        let rows = 0;
        while (!done && rows < maxRows) {
          rows++;
          ahead = out.size;
          done = records.next().done === true;
        }
        return { bytes: out.take(done ? out.size : ahead), rows, done };
      },
      close() {
        records.return();
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

/** What a CSV record reads of a run: RUN_COLUMNS less the ids and keys the screen's rows need. */
type CsvRecord = Pick<
  RunRecord,
  'result' | 'first_at' | 'last_at' | 'device_name' | 'serial' | 'serial_key' | 'platform' | 'check_name' | 'provider_key' | 'expected' | 'received' | 'reason'
>;
/**
 * CsvRecord's columns, for the every-evaluation walk: each run is read once, so fewer values is less work per run.
 * Its statements return rows as arrays, made into records by `csvRecord` in this order: node:sqlite builds an array
 * row in about two thirds of the time it takes for an object row (a 100k-row export reads 20k runs in one go).
 */
const CSV_RUN_COLUMNS = `
  r.result, r.first_at, r.last_at, d.name AS device_name, s.serial, d.serial_key, d.platform, c.name AS check_name,
  p.key AS provider_key, xe.value AS expected, xr.value AS received, xn.value AS reason`;
/** The first column after CSV_RUN_COLUMNS in an array row. */
const AFTER_CSV_RUN = 12;
type Row = readonly unknown[];

function csvRecord(row: Row): CsvRecord {
  return {
    result: row[0] as number,
    first_at: row[1] as number,
    last_at: row[2] as number,
    device_name: row[3] as string,
    serial: row[4] as string | null,
    serial_key: row[5] as string | null,
    platform: row[6] as string | null,
    check_name: row[7] as string,
    provider_key: row[8] as string,
    expected: row[9] as string | null,
    received: row[10] as string | null,
    reason: row[11] as string | null,
  };
}

/** A statement of this snapshot whose rows are arrays (its own, not the connection's cached one of the same text). */
function arrayStatement(conn: Connection, sql: string): StatementSync {
  const statement = conn.db.prepare(sql);
  statement.setReturnArrays(true);
  return statement;
}

function toCsvRun(r: CsvRecord, provider: string): CsvRun {
  return {
    deviceName: r.device_name,
    serial: r.serial,
    serialKey: r.serial_key,
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
function* runRecords(conn: Connection, out: ByteChunks, { filter, sort }: LogExportRequest, cellsOf: (r: CsvRecord) => string): Records {
  const { conditions, narrow, nothing } = runConditions(conn, filter);
  if (nothing) return;
  // The page query without its page: LIMIT -1 is SQLite's "no limit".
  const sql = runsPageSql({ view: filter.view, sort }, narrow, conditions.where);
  for (const r of conn.statement(sql).iterate(...conditions.params, -1) as Iterable<RunRecord>) {
    out.text(csvTime(r.first_at) + cellsOf(r));
    yield;
  }
}

type Poll = { id: number; provider_id: number; evaluated_at: number };
type Run = { first: number; last: number; result: number; cells: Uint8Array };
/** A series as the walk goes: the run in force at the last poll looked at, and when to look again. */
type SeriesState = { id: number; looked: boolean; run: Run | null; next: number };

/** From this many series of a provider, the first poll looks up their runs in one statement. */
const BULK_SERIES = 64;

/**
 * The every-evaluation view in the order `queryEvaluations` pages it: polls by time, then the series of the
 * poll's provider by id. Instead of finding the run in force for every (poll, series) pair, each series
 * keeps its current run and seeks the runs index only when the walk leaves it, so SQLite work grows with
 * runs, not evaluations; each run is quoted and encoded once, and an evaluation is two byte copies.
 */
function* evaluationRecords(conn: Connection, out: ByteChunks, filter: LogFilter, sort: LogSort, cellsOf: (r: CsvRecord) => string): Records {
  const asc = sort.dir === 'asc';
  const dir = asc ? 'ASC' : 'DESC';
  const resolved = resolveFilter(conn, filter);
  if (selectsNothing(resolved)) return;
  const results = resolved.results && new Set(resolved.results);

  const scope = seriesConditions(resolved, 's.id');
  const byProvider = new Map<number, SeriesState[]>();
  const seriesSql = `SELECT s.id, s.provider_id FROM series s CROSS JOIN devices d ON d.id = s.device_id
    ${whereClause(scope)} ORDER BY s.id ${dir}`;
  for (const s of conn.statement(seriesSql).iterate(...scope.params) as Iterable<{ id: number; provider_id: number }>) {
    let list = byProvider.get(s.provider_id);
    if (!list) byProvider.set(s.provider_id, (list = []));
    list.push({ id: s.id, looked: false, run: null, next: 0 });
  }

  const toRun = (r: CsvRecord): Run => ({ first: r.first_at, last: r.last_at, result: r.result, cells: Buffer.from(cellsOf(r)) });
  const settle = (s: SeriesState, run: Run | null, following: number | undefined) => {
    s.looked = true;
    s.run = run;
    // Descending, look again once the walk goes before this run; ascending, once it reaches the next one.
    s.next = asc ? (following ?? Infinity) : (run?.first ?? -Infinity);
  };

  // The run in force at a time is the last to start at or before it.
  const inForce = `SELECT x.id FROM runs x INDEXED BY runs_series WHERE x.series_id = s.id AND x.first_at <= ?
    ORDER BY x.first_at DESC, x.id DESC LIMIT 1`;
  const following = `SELECT x.first_at FROM runs x INDEXED BY runs_series WHERE x.series_id = s.id AND x.first_at > ?
    ORDER BY x.first_at LIMIT 1`;
  // Array rows: CSV_RUN_COLUMNS, then the start of the series' next run (AFTER_CSV_RUN), then (lookAll) the series.
  const lookOne = arrayStatement(
    conn,
    `SELECT ${CSV_RUN_COLUMNS}, (${asc ? following : 'NULL'}) AS following
    FROM series s CROSS JOIN devices d ON d.id = s.device_id CROSS JOIN runs r ON r.id = (${inForce}) ${RUN_LOOKUPS}
    WHERE s.id = ?`,
  );
  const lookAll = arrayStatement(
    conn,
    `SELECT ${CSV_RUN_COLUMNS}, (${asc ? following : 'NULL'}) AS following, s.id AS series_id
    FROM series s INDEXED BY series_provider CROSS JOIN devices d ON d.id = s.device_id CROSS JOIN runs r ON r.id = (${inForce})
    ${RUN_LOOKUPS} WHERE s.provider_id = ?`,
  );
  const nextStart = conn.statement(`SELECT (${following}) AS following FROM series s WHERE s.id = ?`);
  const followingOf = (row: Row) => (row[AFTER_CSV_RUN] as number | null) ?? undefined;
  const look = (s: SeriesState, at: number) => {
    const row = (asc ? lookOne.get(at, at, s.id) : lookOne.get(at, s.id)) as Row | undefined;
    if (row) return settle(s, toRun(csvRecord(row)), followingOf(row));
    // No run in force: ascending still needs to know when the series' first run starts.
    const upcoming = asc ? (nextStart.get(at, s.id) as { following: number | null }).following : null;
    settle(s, null, upcoming ?? undefined);
  };
  const lookProvider = (list: SeriesState[], providerId: number, at: number) => {
    const byId = new Map(list.map((s) => [s.id, s]));
    const found = (asc ? lookAll.iterate(at, at, providerId) : lookAll.iterate(at, providerId)) as Iterable<Row>;
    for (const row of found) {
      const s = byId.get(row[AFTER_CSV_RUN + 1] as number);
      if (s) settle(s, toRun(csvRecord(row)), followingOf(row));
    }
    // The rest have no run in force yet; `look` settles them one by one.
  };

  const polls = pollConditions(filter, resolved);
  const pollSql = `SELECT id, provider_id, evaluated_at FROM polls ${whereClause(allOf(polls))}
    ORDER BY ${orderBy(['evaluated_at', 'id'], sort.dir)}`;
  const seen = new Set<number>();
  for (const poll of conn.statement(pollSql).iterate(...polls.params) as Iterable<Poll>) {
    const at = poll.evaluated_at;
    const list = byProvider.get(poll.provider_id);
    if (!list) continue;
    if (!seen.has(poll.provider_id)) {
      seen.add(poll.provider_id);
      if (list.length >= BULK_SERIES) lookProvider(list, poll.provider_id, at);
    }
    const time = Buffer.from(csvTime(at));
    for (const s of list) {
      if (!s.looked || (asc ? at >= s.next : at < s.next)) look(s, at);
      const run = s.run;
      // Runs span consecutive polls, so a run in force that lasted until this poll was evaluated at it.
      if (run && run.last >= at && (!results || results.has(run.result))) {
        out.bytes(time);
        out.bytes(run.cells);
        yield;
      }
    }
  }
}

/** Open exports by id, so a caller on the other side of the worker can pull and close them; `file` is the log's. */
export function createLogExports(file: string | null | undefined) {
  const open = new Map<number, LogExport>();
  let nextId = 1;
  return {
    open(request: LogExportRequest): { exportId: number; total: number } {
      const exportId = nextId++;
      const running = openLogExport(file, request);
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
