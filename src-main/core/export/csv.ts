// Streams the posture log to CSV with constant memory: keyset pages from the store, as RFC 4180 text
// (csv-line.ts), into a sink, honouring backpressure, cancellation and progress. A store that writes CSV
// pages itself (the worker-backed store) sends text across the thread instead of row objects.
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { LogFilter, LogPage, LogQuery, LogRow, LogSort } from '../../../src-shared/schemas/posture-log';
import { BOM, CRLF, csvLine, type NameResolvers } from './csv-line';
import { neutralizeFormula } from './formula';
import { openPartialFile } from './partial-file';

export type { NameResolvers } from './csv-line';

export const CSV_COLUMNS = [
  'timestamp',
  'device',
  'serial',
  'platform',
  'provider',
  'check',
  'result',
  'expected',
  'received',
  'reason',
] as const;

/** A page of the log already written as CSV lines (each ending in CRLF), without BOM or header. */
export type CsvPage = { text: string; rows: number; nextCursor: string | null };

/** The store, or its in-thread core: anything that pages and counts the log. */
export type LogSource = {
  queryLog(q: LogQuery): Promise<LogPage> | LogPage;
  countLog(filter: LogFilter): Promise<number> | number;
  /** Optional fast path: the page of `queryLog(q)` as CSV lines, provider ids mapped through `providerNames`. */
  csvPage?(q: LogQuery, providerNames: Record<string, string>): Promise<CsvPage> | CsvPage;
  /** Every provider id in the log; needed with `csvPage` to resolve provider names up front. */
  providerKeys?(): Promise<string[]> | string[];
};

export type CsvProgress = { rowsWritten: number; total: number };

export type ExportCsvOptions = {
  store: LogSource;
  filter: LogFilter;
  sort?: LogSort;
  /**
   * A file path (written as `<path>.partial`, renamed on success, deleted on cancel/failure) or a stream,
   * which is ended on success and destroyed on failure.
   */
  sink: Writable | string;
  signal?: AbortSignal;
  /** After each page; `total` is countLog at the start, so rows ingested meanwhile may exceed it. */
  onProgress?: (progress: CsvProgress) => void;
  names?: NameResolvers;
  pageSize?: number;
};

export type ExportCsvResult = CsvProgress & { file: string | null };

// Large pages: each is one round trip to the store worker and one write; memory stays bounded by a page.
const DEFAULT_PAGE_SIZE = 10_000;

function cell(value: string | null): string {
  return value === null ? '' : neutralizeFormula(value);
}

export function toCsvRecord(row: LogRow, names: NameResolvers = {}): string[] {
  return [
    new Date(row.at).toISOString(),
    cell(row.deviceName),
    cell(row.serial),
    cell(row.platform),
    cell(names.provider?.(row.providerId) ?? row.providerId),
    cell(names.check?.(row) ?? row.checkName),
    row.result,
    cell(row.expected),
    cell(row.received),
    cell(row.reason),
  ];
}

/** Exactly the rows `queryLog` lists for this filter and sort, in that order. Rejects with an AbortError on cancel. */
export async function exportCsv(options: ExportCsvOptions): Promise<ExportCsvResult> {
  const { store, filter, signal, onProgress, names } = options;
  const sort = options.sort ?? { by: 'time', dir: 'desc' };
  const limit = options.pageSize ?? DEFAULT_PAGE_SIZE;
  signal?.throwIfAborted();
  const total = await store.countLog(filter);
  const progress: CsvProgress = { rowsWritten: 0, total };

  // The store writes the CSV text itself when it can and no check-name resolver needs the row objects.
  const { csvPage, providerKeys } = store;
  let providerNames: Record<string, string> | null = null;
  if (csvPage && providerKeys && !names?.check) {
    providerNames = {};
    for (const key of await providerKeys.call(store)) providerNames[key] = names?.provider?.(key) ?? key;
  }

  const fetchPage = (cursor: string | undefined): Promise<CsvPage> => {
    const q: LogQuery = { ...filter, sort, limit, cursor };
    const page =
      providerNames && csvPage
        ? Promise.resolve(csvPage.call(store, q, providerNames))
        : Promise.resolve(store.queryLog(q)).then(
            (p): CsvPage => {
              let text = '';
              for (const row of p.rows) text += csvLine(row, names ?? {});
              return { text, rows: p.rows.length, nextCursor: p.nextCursor };
            },
          );
    // A prefetch left behind by a cancelled export must not surface as an unhandled rejection.
    page.catch(() => {});
    return page;
  };

  async function* chunks() {
    // The next page is fetched (in the store's worker) while this one is turned into text and written.
    let next: Promise<CsvPage> | null = fetchPage(undefined);
    yield Buffer.from(BOM + CSV_COLUMNS.join(',') + CRLF);
    while (next) {
      const page: CsvPage = await next;
      next = page.nextCursor ? fetchPage(page.nextCursor) : null;
      // One chunk per page; the pipeline waits for the sink to drain before asking for the next.
      if (page.text) yield Buffer.from(page.text);
      progress.rowsWritten += page.rows;
      onProgress?.({ ...progress });
    }
  }

  const file = typeof options.sink === 'string' ? openPartialFile(options.sink) : null;
  try {
    await pipeline(chunks, file?.stream ?? (options.sink as Writable), { signal });
    await file?.commit();
  } catch (error) {
    await file?.discard();
    throw error;
  }
  return { ...progress, file: typeof options.sink === 'string' ? options.sink : null };
}
