// CSV exports as jobs the UI can watch and cancel. Where the file goes is the shell's business: the
// Electron save dialog, or a file in the data directory that the web host hands to the browser.
import { randomUUID } from 'node:crypto';
import { ContractError } from '../../../src-shared/errors';
import type { ExportProgress, ExportRequest } from '../../../src-shared/schemas/posture-log';
import type { Logger } from '../log';
import { exportCsv, type ExportCsvOptions } from './csv';
import type { PartialJournal } from './partial-journal';

export interface ExportDestination {
  /** Returns the path to write, or null when the admin cancelled the dialog. */
  choose(suggestedName: string, exportId: string): Promise<string | null>;
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

  return {
    /** Starts an export and returns at once; progress and the outcome arrive as events. */
    async start(request: ExportRequest): Promise<{ exportId: string; file: string | null }> {
      const exportId = randomUUID();
      const stamp = deps.now().toISOString().replace(/[:.]/g, '-');
      const file = await deps.destination.choose(`posture-log-${stamp}.csv`, exportId);
      if (!file) return { exportId, file: null };
      const controller = new AbortController();
      running.set(exportId, controller);
      deps.journal?.add(file);
      const report = (p: Omit<ExportProgress, 'exportId' | 'file'>) => deps.onProgress({ exportId, file, ...p });
      report({ state: 'running', rowsWritten: 0, total: 0 });
      void exportCsv({
        store: deps.store,
        filter: request.filter,
        sort: request.sort,
        sink: file,
        signal: controller.signal,
        providerNames: deps.providerNames(),
        onProgress: (p) => report({ state: 'running', ...p }),
      })
        .then((result) => {
          finished.set(exportId, file);
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
    },
    cancel(exportId: string): boolean {
      const controller = running.get(exportId);
      controller?.abort();
      return controller !== undefined;
    },
    /** The finished file of an export, for the web host's download. */
    fileOf(exportId: string): string | undefined {
      return finished.get(exportId);
    },
    cancelAll(): void {
      for (const c of running.values()) c.abort();
    },
  };
}

export type ExportJobs = ReturnType<typeof createExportJobs>;
