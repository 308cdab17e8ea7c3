// CSV exports as jobs the UI can watch and cancel. Where the file goes is the shell's business: the
// Electron save dialog, or a file in the data directory that the web host hands to the browser.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { ContractError } from '../../../src-shared/errors';
import type { ExportProgress, ExportRequest } from '../../../src-shared/schemas/posture-log';
import type { Logger } from '../log';
import { exportCsv, type ExportCsvOptions } from './csv';
import type { PartialJournal } from './partial-journal';

export interface ExportDestination {
  /** Returns the path to write, or null when the admin cancelled the dialog. */
  choose(suggestedName: string, exportId: string): Promise<string | null>;
  /**
   * Set when the files are the app's to hand out (the web host's downloads) rather than the admin's: written
   * with `fileMode`, removed once downloaded or `keepForMs` after they finish, and `leftovers` (files an earlier
   * run left, with the time each still has) are removed when that runs out.
   */
  handOut?: {
    fileMode: number;
    keepForMs: number;
    leftovers(): { file: string; expiresInMs: number }[];
  };
}

/** Where one export writes, and how it reports. */
export interface ExportTarget {
  file: string;
  fileMode: number | undefined;
  signal: AbortSignal;
  onProgress: (progress: { rowsWritten: number; total: number }) => void;
}

export interface ExportJobsDeps {
  store: ExportCsvOptions['store'];
  destination: ExportDestination;
  /** Display names by provider id, read when an export starts. */
  providerNames: () => Record<string, string>;
  now: () => Date;
  logger: Logger;
  /** Lists the files being written, so the next start can delete what a crash left. */
  journal?: PartialJournal;
  onProgress: (progress: ExportProgress) => void;
}

export function createExportJobs(deps: ExportJobsDeps) {
  const running = new Map<string, AbortController>();
  const finished = new Map<string, string>();
  const { handOut } = deps.destination;
  /** Removal timers of handed-out files, by file. */
  const expiring = new Map<string, NodeJS.Timeout>();

  const remove = (file: string) => {
    clearTimeout(expiring.get(file));
    expiring.delete(file);
    try {
      rmSync(file, { force: true });
    } catch (error) {
      deps.logger.warn({ err: error }, 'could not remove a finished export');
    }
  };
  const expireIn = (file: string, ms: number) => {
    clearTimeout(expiring.get(file));
    // Unref'd: a pending removal must not keep a CLI process alive; leftovers are swept at the next start.
    expiring.set(file, setTimeout(() => remove(file), ms).unref());
  };
  for (const leftover of handOut?.leftovers() ?? []) {
    if (leftover.expiresInMs <= 0) remove(leftover.file);
    else expireIn(leftover.file, leftover.expiresInMs);
  }

  /**
   * Starts any CSV export (`write` fills the file it is given) as a job: the destination, the progress events,
   * cancel, the journal of partial files and the web host's hand-out are the same for every kind.
   */
  async function startWriting(
    prefix: string,
    write: (target: ExportTarget) => Promise<{ rowsWritten: number; total: number }>,
  ): Promise<{ exportId: string; file: string | null }> {
    const exportId = randomUUID();
    const stamp = deps.now().toISOString().replace(/[:.]/g, '-');
    const file = await deps.destination.choose(`${prefix}-${stamp}.csv`, exportId);
    if (!file) return { exportId, file: null };
    const controller = new AbortController();
    running.set(exportId, controller);
    deps.journal?.add(file);
    const report = (p: Omit<ExportProgress, 'exportId' | 'file'>) => deps.onProgress({ exportId, file, ...p });
    report({ state: 'running', rowsWritten: 0, total: 0 });
    void write({ file, fileMode: handOut?.fileMode, signal: controller.signal, onProgress: (p) => report({ state: 'running', ...p }) })
      .then((result) => {
        finished.set(exportId, file);
        if (handOut) expireIn(file, handOut.keepForMs);
        report({ state: 'done', rowsWritten: result.rowsWritten, total: result.total });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return report({ state: 'cancelled', rowsWritten: 0, total: 0 });
        deps.logger.error({ err: error, exportId }, 'export failed');
        report({ state: 'failed', rowsWritten: 0, total: 0, error: error instanceof ContractError ? error.message : 'The export could not be written.' });
      })
      .finally(() => {
        running.delete(exportId);
        deps.journal?.remove(file);
      });
    return { exportId, file };
  }

  return {
    /** Starts a posture-log export and returns at once; progress and the outcome arrive as events. */
    start(request: ExportRequest): Promise<{ exportId: string; file: string | null }> {
      return startWriting('posture-log', (target) =>
        exportCsv({
          store: deps.store,
          filter: request.filter,
          sort: request.sort,
          sink: target.file,
          fileMode: target.fileMode,
          signal: target.signal,
          providerNames: deps.providerNames(),
          onProgress: target.onProgress,
        }),
      );
    },
    startWriting,
    cancel(exportId: string): boolean {
      const controller = running.get(exportId);
      controller?.abort();
      return controller !== undefined;
    },
    /** The finished file of an export, for the web host's download. */
    fileOf(exportId: string): string | undefined {
      return finished.get(exportId);
    },
    /** The browser has the whole file: a handed-out file is removed now (an interrupted download may retry until it expires). */
    downloaded(exportId: string): void {
      const file = finished.get(exportId);
      if (!file || !handOut) return;
      finished.delete(exportId);
      remove(file);
    },
    cancelAll(): void {
      for (const c of running.values()) c.abort();
    },
    /** On shutdown: cancels running exports and removes handed-out files nobody fetched. */
    close(): void {
      this.cancelAll();
      for (const file of [...expiring.keys()]) remove(file);
      finished.clear();
    },
  };
}

export type ExportJobs = ReturnType<typeof createExportJobs>;
