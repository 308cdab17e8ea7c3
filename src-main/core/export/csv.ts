// Streams the posture log to CSV with constant memory: the store renders chunks of CSV text from one
// snapshot of the filter (see store/log-export.ts), and this writes them to the sink, prefetching the next
// chunk while one is written, honouring backpressure, cancellation and progress.
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { LogFilter, LogSort } from '../../../src-shared/schemas/posture-log';
import type { LogExportChunk, LogExportRequest } from '../store/log-export';
import { openPartialFile } from './partial-file';

export { CSV_COLUMNS } from '../csv/log-format';

/** The store, or its in-thread core: anything that runs log exports. */
export type LogSource = {
  exportOpen(request: LogExportRequest): Promise<{ exportId: number; total: number }> | { exportId: number; total: number };
  exportNext(exportId: number, maxRows: number): Promise<LogExportChunk> | LogExportChunk;
  exportClose(exportId: number): Promise<void> | void;
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
  /** The mode a file sink is created with (default 0666 less the umask, like any new file). */
  fileMode?: number;
  signal?: AbortSignal;
  /** After each chunk; `total` is the filter's count in the export's snapshot, so it ends exactly there. */
  onProgress?: (progress: CsvProgress) => void;
  /** Display names by provider id. */
  providerNames?: Record<string, string>;
  /** Records per chunk. */
  pageSize?: number;
};

export type ExportCsvResult = CsvProgress & { file: string | null };

const DEFAULT_PAGE_SIZE = 5_000;

/** Exactly the rows `queryLog` lists for this filter and sort, in that order. Rejects with an AbortError on cancel. */
export async function exportCsv(options: ExportCsvOptions): Promise<ExportCsvResult> {
  const { store, filter, signal, onProgress } = options;
  const sort = options.sort ?? { by: 'time', dir: 'desc' };
  const maxRows = options.pageSize ?? DEFAULT_PAGE_SIZE;
  signal?.throwIfAborted();
  const { exportId, total } = await store.exportOpen({ filter, sort, providerNames: options.providerNames });
  const progress: CsvProgress = { rowsWritten: 0, total };

  const fetchChunk = () => {
    const chunk = Promise.resolve(store.exportNext(exportId, maxRows));
    // A prefetch left behind by a cancelled export must not surface as an unhandled rejection.
    chunk.catch(() => {});
    return chunk;
  };

  async function* chunks() {
    // The store renders the next chunk (in its worker) while this one is written.
    let next: Promise<LogExportChunk> | null = fetchChunk();
    while (next) {
      const chunk: LogExportChunk = await next;
      next = chunk.done ? null : fetchChunk();
      yield chunk.bytes;
      progress.rowsWritten += chunk.rows;
      onProgress?.({ ...progress });
    }
  }

  const file = typeof options.sink === 'string' ? openPartialFile(options.sink, options.fileMode) : null;
  try {
    await pipeline(chunks, file?.stream ?? (options.sink as Writable), { signal });
    await file?.commit();
  } catch (error) {
    await file?.discard();
    throw error;
  } finally {
    // Done exports close themselves; this releases the snapshot of a cancelled or failed one.
    await Promise.resolve(store.exportClose(exportId)).catch(() => {});
  }
  return { ...progress, file: typeof options.sink === 'string' ? options.sink : null };
}
