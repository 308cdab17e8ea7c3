// The incident repository in its own SQLite file (`incidents.sqlite`), in process: each operation one
// BEGIN IMMEDIATE transaction, WAL so a crash loses at most the operation that was running.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { ContractError } from '../../../src-shared/errors';
import { repositoryOf, runOperation, type IncidentRepository } from './operations';
import { INCIDENT_TABLES_V1 } from './sqlite-schema';
import { sqliteTx } from './sqlite-tx';

/** Append only: a shipped step is never edited. */
const migrations: readonly string[] = [INCIDENT_TABLES_V1];

function migrate(db: DatabaseSync): void {
  const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  if (version > migrations.length)
    throw new ContractError({
      code: 'incidents.schema_too_new',
      message: `The incident database was written by a newer Posture Console (schema ${version}; this one knows ${migrations.length}).`,
      fix: 'Update Posture Console, or point it at a different data directory.',
    });
  for (let step = version; step < migrations.length; step++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migrations[step] ?? '');
      db.exec(`PRAGMA user_version = ${step + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

export interface SqliteIncidentRepository extends IncidentRepository {
  close(): void;
}

export function openSqliteRepository(file: string): SqliteIncidentRepository {
  const db = new DatabaseSync(file, { timeout: 5_000 });
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
  migrate(db);
  const statements = new Map<string, StatementSync>();
  const tx = sqliteTx({
    statement(sql) {
      let stmt = statements.get(sql);
      if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
      return stmt;
    },
  });
  const repository = repositoryOf(async (name, input) => {
    if (!db.isOpen) throw new ContractError({ code: 'incidents.closed', message: 'The incident database is closed.' });
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = runOperation(tx, name, input);
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  });
  return Object.assign(repository, {
    close() {
      if (db.isOpen) db.close();
    },
  });
}
