import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFilter, LogQuery } from '../../../src-shared/schemas/posture-log';
import { lazyStore } from './lazy-store';
import { migrations } from './migrations';
import { openStore, type Store } from './store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-lazy-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A lazy store over a real worker, counting how often it was opened. */
function counted(file: string) {
  const opens = { count: 0 };
  const store = lazyStore(() => {
    opens.count++;
    return openStore({ file });
  });
  return { store, opens };
}

describe('a store opened at its first call', () => {
  it('starts no worker until asked, then one worker serves every call', async () => {
    const { store, opens } = counted(join(dir, 'log.db'));
    expect(opens.count).toBe(0);
    const [count, stats] = await Promise.all([store.countLog(LogFilter.parse({ view: 'changes' })), store.stats()]);
    expect(count).toBe(0);
    expect(stats).toMatchObject({ runs: 0 });
    await store.countLog(LogFilter.parse({ view: 'latest' }));
    expect(opens.count).toBe(1);
    await store.close();
  });

  it('starts once when told to, without a call, and not at all once closed', async () => {
    const { store, opens } = counted(join(dir, 'log.db'));
    store.start();
    store.start();
    expect(opens.count).toBe(1);
    expect(await store.stats()).toMatchObject({ runs: 0 });
    expect(opens.count).toBe(1);
    await store.close();
    const { store: closed, opens: none } = counted(join(dir, 'other.db'));
    await closed.close();
    closed.start();
    expect(none.count).toBe(0);
  });

  it('closes without ever starting when nothing used it, and refuses calls once closed', async () => {
    const { store, opens } = counted(join(dir, 'log.db'));
    await store.close();
    expect(opens.count).toBe(0);
    await expect(store.stats()).rejects.toMatchObject({ code: 'store.closed' });
    expect(opens.count).toBe(0);
  });

  it('answers every call with the failure to open, and still closes', async () => {
    const file = join(dir, 'future.db');
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA user_version = ${migrations.length + 1}`);
    db.close();
    const { store } = counted(file);
    await expect(store.stats()).rejects.toMatchObject({ code: 'store.schema_too_new' });
    await expect(store.countLog(LogFilter.parse({ view: 'changes' }))).rejects.toMatchObject({ code: 'store.schema_too_new' });
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('behaves as the store it opens (the same answers for the same calls)', async () => {
    const eager: Store = await openStore({ file: join(dir, 'a.db') });
    const { store: lazy } = counted(join(dir, 'b.db'));
    const query = LogQuery.parse({ view: 'changes' });
    expect(await lazy.queryLog(query)).toEqual(await eager.queryLog(query));
    await eager.close();
    await lazy.close();
  });
});
