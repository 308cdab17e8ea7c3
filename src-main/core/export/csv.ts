// Streams the posture log to CSV with constant memory: keyset pages from the store, through csv-stringify
// (RFC 4180 quoting), into a sink, honouring backpressure, cancellation and progress.
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { LogFilter, LogPage, LogQuery, LogRow, LogSort } from '../../../src-shared/schemas/posture-log';
import { neutralizeFormula } from './formula';
import { openPartialFile } from './partial-file';

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

/** The store, or its in-thread core: anything that pages and counts the log. */
export type LogSource = {
  queryLog(q: LogQuery): Promise<LogPage> | LogPage;
  countLog(filter: LogFilter): Promise<number> | number;
};

/** Display names for ids; by default the provider id and the check name stored with the row. */
export type NameResolvers = {
  provider?: (providerId: string) => string;
  check?: (row: Pick<LogRow, 'providerId' | 'checkId' | 'checkName'>) => string;
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

const DEFAULT_PAGE_SIZE = 2_000;

const CSV_OPTIONS = {
  header: true,
  columns: [...CSV_COLUMNS],
  // RFC 4180 ends records with CRLF; the BOM makes Excel read UTF-8 (names with accents, emoji).
  record_delimiter: 'windows',
  bom: true,
  // csv-stringify quotes on the record delimiter, not on a lone CR or LF; RFC 4180 readers need both quoted.
  quoted_match: /[\r\n]/,
} as const;

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

  const fetchPage = (cursor: string | undefined) => {
    const page = Promise.resolve(store.queryLog({ ...filter, sort, limit, cursor }));
    // A prefetch left behind by a cancelled export must not surface as an unhandled rejection.
    page.catch(() => {});
    return page;
  };

  async function* records() {
    // The next page is fetched (in the store's worker) while this one is stringified and written.
    let next: Promise<LogPage> | null = fetchPage(undefined);
    while (next) {
      const page: LogPage = await next;
      next = page.nextCursor ? fetchPage(page.nextCursor) : null;
      for (const row of page.rows) yield toCsvRecord(row, names);
      progress.rowsWritten += page.rows.length;
      onProgress?.({ ...progress });
    }
  }

  const file = typeof options.sink === 'string' ? openPartialFile(options.sink) : null;
  try {
    await pipeline(records, stringify(CSV_OPTIONS), file?.stream ?? (options.sink as Writable), { signal });
    await file?.commit();
  } catch (error) {
    await file?.discard();
    throw error;
  }
  return { ...progress, file: typeof options.sink === 'string' ? options.sink : null };
}
