// Opens the posture-log database with the settings the store relies on, and closes it cleanly.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { migrate } from './migrations';

export type Connection = {
  db: DatabaseSync;
  /** A prepared statement for this SQL, reused across calls (the query builder emits a few dozen shapes). */
  statement(sql: string): StatementSync;
  /** Runs `work` in one write transaction; rolls back and rethrows on error. */
  write<T>(work: () => T): T;
};

const STATEMENT_CACHE_SIZE = 200;

/** Paths that are not files: SQLite's in-memory and temporary databases. */
const isFile = (file: string) => file !== '' && file !== ':memory:' && !file.startsWith('file:');

/**
 * The log names devices, serials and users: owner-only like the other data files. SQLite gives the -wal and
 * -shm files the database file's mode, so creating it 0600 covers them; chmod mends files an older version made.
 */
function keepPrivate(file: string, when: 'before' | 'after'): void {
  if (!isFile(file)) return;
  if (when === 'before') closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600);
}

export function openConnection(file: string): Connection {
  keepPrivate(file, 'before');
  const db = new DatabaseSync(file, { timeout: 5_000 });
  // Only takes on a file without tables, and must come before WAL writes the header: lets retention
  // hand freed pages back to the file system.
  db.exec('PRAGMA auto_vacuum = INCREMENTAL');
  // WAL lets readers (export, a second process) run beside the writer; NORMAL is crash-safe in WAL mode.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;');
  // Each poll rewrites the same pages (every open run it extends), so checkpointing every 4,000 pages (16 MB of
  // WAL) rather than SQLite's 1,000 copies each page back once per few polls instead of nearly every poll.
  db.exec('PRAGMA wal_autocheckpoint = 4000');
  keepPrivate(file, 'after');
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const statements = new Map<string, StatementSync>();
  return {
    db,
    statement(sql) {
      let stmt = statements.get(sql);
      if (stmt) {
        statements.delete(sql);
      } else {
        stmt = db.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
      }
      statements.set(sql, stmt);
      return stmt;
    },
    write(work) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const value = work();
        db.exec('COMMIT');
        return value;
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
  };
}

/**
 * A second connection to a log the store has opened (created, migrated, in WAL mode), for reading only: no file
 * modes, settings or migrations, none of which a reader needs, and nothing that would wait for the write lock, so it
 * can open while the store's connection is inside a write transaction (it then sees the last committed poll).
 */
export function openReadConnection(file: string, cacheKiB: number): Connection {
  const db = new DatabaseSync(file, { timeout: 5_000 });
  db.exec(`PRAGMA query_only = ON; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -${cacheKiB};`);
  const statements = new Map<string, StatementSync>();
  return {
    db,
    statement(sql) {
      let stmt = statements.get(sql);
      if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
      return stmt;
    },
    write() {
      throw new Error('A read connection cannot write.');
    },
  };
}

/** Checkpoints the WAL into the main file so the next open starts clean, then closes. */
export function closeConnection({ db }: Connection): void {
  if (!db.isOpen) return;
  if (db.isTransaction) db.exec('ROLLBACK');
  db.exec('PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);');
  db.close();
}

export type Params = SQLInputValue[];
