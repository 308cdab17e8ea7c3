// The posture log for a process that only exports it (the CLI's export): straight from the file when its schema
// is current, so no write connection is opened and nothing is optimized or checkpointed at close. A file that is
// missing or older is first opened once as the store opens it (created owner-only, migrated); one newer than
// this version is refused there, as the store refuses it.
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { closeConnection, openConnection } from './connection';
import { createLogExports, type LogExportChunk, type LogExportRequest } from './log-export';
import { migrations, schemaVersion } from './migrations';

export type LogReader = {
  exportOpen(request: LogExportRequest): { exportId: number; total: number };
  exportNext(exportId: number, maxRows: number): LogExportChunk;
  exportClose(exportId: number): void;
  close(): void;
};

function isCurrent(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new DatabaseSync(file, { timeout: 5_000 });
  try {
    return schemaVersion(db) === migrations.length;
  } finally {
    db.close();
  }
}

export function openLogReader(file: string): LogReader {
  if (!isCurrent(file)) closeConnection(openConnection(file));
  const exports = createLogExports(file);
  return {
    exportOpen: (request) => exports.open(request),
    exportNext: (exportId, maxRows) => exports.next(exportId, maxRows),
    exportClose: (exportId) => exports.close(exportId),
    close: () => exports.closeAll(),
  };
}
