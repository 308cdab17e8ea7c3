// Exports for the web host: files under <data dir>/exports, handed to the browser by id. They are the app's
// own copies, not the admin's: owner-only, removed once downloaded or after a few minutes, and a folder
// left behind by an earlier run is cleared of whatever outlived that.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportDestination } from './jobs';

/** How long a finished export waits for its download: enough to click, short enough not to pile up. */
export const EXPORT_DOWNLOAD_WINDOW_MS = 10 * 60_000;

export type DataDirExportOptions = {
  /** How long a file may stay (default EXPORT_DOWNLOAD_WINDOW_MS). */
  keepForMs?: number;
  now?: () => number;
};

export function dataDirExportDestination(dataDir: string, options: DataDirExportOptions = {}): ExportDestination {
  const dir = join(dataDir, 'exports');
  const keepForMs = options.keepForMs ?? EXPORT_DOWNLOAD_WINDOW_MS;
  const now = options.now ?? Date.now;
  return {
    async choose(suggestedName, exportId) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // The id keeps names unique; the suggested name keeps them readable.
      return join(dir, `${suggestedName.replace(/\.csv$/, '')}-${exportId.slice(0, 8)}.csv`);
    },
    handOut: {
      fileMode: 0o600,
      keepForMs,
      leftovers() {
        let names: string[];
        try {
          names = readdirSync(dir);
        } catch {
          return [];
        }
        // Another process on this data directory may have written a file moments ago: age decides, not ownership.
        return names.flatMap((name) => {
          const file = join(dir, name);
          try {
            const stat = statSync(file);
            return stat.isFile() ? [{ file, expiresInMs: Math.max(0, stat.mtimeMs + keepForMs - now()) }] : [];
          } catch {
            return [];
          }
        });
      },
    },
  };
}
