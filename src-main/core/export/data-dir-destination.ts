// Exports for the web host and the CLI: files under <data dir>/exports, handed to the browser by id.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportDestination } from './jobs';

export function dataDirExportDestination(dataDir: string): ExportDestination {
  const dir = join(dataDir, 'exports');
  return {
    async choose(suggestedName, exportId) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // The id keeps names unique; the suggested name keeps them readable.
      return join(dir, `${suggestedName.replace(/\.csv$/, '')}-${exportId.slice(0, 8)}.csv`);
    },
  };
}
