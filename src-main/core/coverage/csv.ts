// Streams a coverage selection to CSV: exactly the devices the filter chose when the export started (a poll landing
// meanwhile makes a new match and does not shift it), in chunks that yield to the event loop, with progress and cancel.
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { COVERAGE_CSV_HEADER, coverageRecords, type CoverageCsvRecord } from '../csv/coverage-format';
import { openPartialFile } from '../export/partial-file';
import type { Coverage, CoverageSelection } from './gaps';

export type CoverageCsvProgress = { rowsWritten: number; total: number };

export interface CoverageCsvOptions {
  coverage: Pick<Coverage, 'itemAt'>;
  selection: CoverageSelection;
  /** Display names by provider id. */
  sourceNames: Record<string, string>;
  /** A file path (written as `<path>.partial`, renamed when complete) or a stream. */
  sink: Writable | string;
  fileMode?: number;
  signal?: AbortSignal;
  onProgress?: (progress: CoverageCsvProgress) => void;
  chunkRows?: number;
}

export async function writeCoverageCsv(options: CoverageCsvOptions): Promise<CoverageCsvProgress & { file: string | null }> {
  const { coverage, selection, signal } = options;
  const chunkRows = options.chunkRows ?? 2_000;
  const total = selection.rows.length;
  const progress: CoverageCsvProgress = { rowsWritten: 0, total };
  const name = (id: string) => options.sourceNames[id] ?? id;
  signal?.throwIfAborted();

  async function* chunks() {
    yield COVERAGE_CSV_HEADER;
    for (let start = 0; start < total; start += chunkRows) {
      const records: CoverageCsvRecord[] = [];
      for (let i = start; i < Math.min(total, start + chunkRows); i++) {
        const item = coverage.itemAt(selection, i);
        records.push({
          device: item.hostname ?? item.serial ?? item.key,
          serial: item.serial,
          serial_status: item.serialStatus,
          platform: item.platform,
          present_in: item.presentIn.map(name).join('; '),
          missing_from: item.missingFrom.map(name).join('; '),
          reason: item.reason,
          why: item.why,
          device_key: item.key,
        });
      }
      yield coverageRecords(records);
      progress.rowsWritten += records.length;
      options.onProgress?.({ ...progress });
      // A large selection is written in turns, so the main process keeps answering meanwhile.
      await nextTurn();
    }
    if (total === 0) options.onProgress?.({ ...progress });
  }

  const file = typeof options.sink === 'string' ? openPartialFile(options.sink, options.fileMode) : null;
  try {
    await pipeline(chunks, file?.stream ?? (options.sink as Writable), { signal });
    await file?.commit();
  } catch (error) {
    await file?.discard();
    throw error;
  }
  return { ...progress, file: typeof options.sink === 'string' ? options.sink : null };
}
