// A read connection opens beside the store's writer even while a poll's write transaction is open, sees the last
// committed state (never the open transaction's rows), and cannot write.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { closeConnection, openConnection, openReadConnection } from './connection';

const dir = mkdtempSync(join(tmpdir(), 'pc-connection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('opens and reads while the writer holds the write lock, seeing only what was committed', () => {
  const file = join(dir, 'log.db');
  const writer = openConnection(file);
  const count = (c: ReturnType<typeof openConnection>) => (c.statement('SELECT count(*) AS n FROM providers').get() as { n: number }).n;
  writer.write(() => writer.statement("INSERT INTO providers (key) VALUES ('committed')").run());
  writer.db.exec('BEGIN IMMEDIATE');
  writer.statement("INSERT INTO providers (key) VALUES ('open')").run();
  // The reader's open and settings must not wait for the lock the writer holds (busy timeout: 5 s, then an error).
  const reader = openReadConnection(file, 1024);
  expect(count(reader)).toBe(1);
  expect(() => reader.write(() => undefined)).toThrow(/cannot write/);
  expect(() => reader.db.exec("INSERT INTO providers (key) VALUES ('x')")).toThrow(/readonly|query_only/i);
  writer.db.exec('COMMIT');
  reader.db.close();
  const after = openReadConnection(file, 1024);
  expect(count(after)).toBe(2);
  after.db.close();
  closeConnection(writer);
});
