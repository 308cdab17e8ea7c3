import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../../src-shared/errors';
import { LogQuery, type LogRow } from '../../../src-shared/schemas/posture-log';
import { openStore, type Store } from './store';
import { syntheticPolls } from './synthetic-polls.testkit';

let dir: string;
let store: Store | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-store-'));
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;

describe('openStore (worker thread)', () => {
  it('round-trips ingest, queries, counts and stats through the worker', async () => {
    store = await openStore({ file: join(dir, 'log.db') });
    const polls = [...syntheticPolls({ devices: 20, polls: 5, changeRate: 0.2, seed: 11 })];
    const opened: LogRow[] = [];
    for (const p of polls) opened.push(...(await store.ingest(p)).opened);
    const page = await store.queryLog(LogQuery.parse({ view: 'changes', sort: { by: 'time', dir: 'asc' }, limit: 1000 }));
    // Opened rows are the changes view as it was at ingest; later polls extend their count and carry the newest received value.
    const settled = ({ count: _count, lastEvaluatedAt: _last, received: _received, reason: _reason, ...rest }: LogRow) => rest;
    expect(page.rows.map(settled)).toEqual(opened.map(settled));
    expect(await store.countLog(LogQuery.parse({ view: 'evaluations' }))).toBe(polls.reduce((n, p) => n + p.rows.length, 0));
    const first = opened[0]!;
    expect(await store.resultAt({ providerId: first.providerId, checkId: first.checkId, deviceKey: first.deviceKey, at: first.at })).toMatchObject(
      settled(first),
    );
    expect(await store.stats()).toMatchObject({ runs: opened.length, polls: 5 });
  });

  it('a worker that gives back its memory after every poll writes and reads the same log as in one go', async () => {
    store = await openStore({ file: join(dir, 'log.db'), releaseAfterMs: 0 });
    const polls = [...syntheticPolls({ devices: 50, polls: 6, changeRate: 0.2, seed: 12 })];
    const opened: LogRow[] = [];
    for (const p of polls) {
      opened.push(...(await store.ingest(p)).opened);
      // Idle long enough for the release (mirror, page cache, a memory-reducing collection) to run before the next poll.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const page = await store.queryLog(LogQuery.parse({ view: 'changes', sort: { by: 'time', dir: 'asc' }, limit: 1000 }));
    const settled = ({ count: _count, lastEvaluatedAt: _last, received: _received, reason: _reason, ...rest }: LogRow) => rest;
    expect(page.rows.map(settled)).toEqual(opened.map(settled));
    expect(await store.stats()).toMatchObject({ runs: opened.length, polls: 6, evaluations: polls.reduce((n, p) => n + p.rows.length, 0) });
  });

  it('rejects with the domain error, code and fix intact, and keeps serving', async () => {
    store = await openStore({ file: join(dir, 'log.db') });
    await store.ingest({ pollId: 'a', providerId: 'p', evaluatedAt: 2000, rows: [] });
    const late = store.ingest({ pollId: 'b', providerId: 'p', evaluatedAt: 1000, rows: [] });
    await expect(late).rejects.toBeInstanceOf(ContractError);
    await expect(late).rejects.toMatchObject({ code: 'store.poll_out_of_order', fix: expect.stringContaining('order') });
    await expect(store.queryLog(LogQuery.parse({ cursor: 'garbage' }))).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await store.stats()).toMatchObject({ polls: 1 });
  });

  it('answers other requests between retention batches', async () => {
    store = await openStore({ file: join(dir, 'log.db') });
    // 1,200 runs in batches of 3: hundreds of steps, so the worker cannot finish retention before the next message
    // arrives even when a loaded machine deschedules the posting thread between the two calls.
    for (const p of syntheticPolls({ devices: 100, polls: 6, changeRate: 1, intervalMs: DAY, start: 0 })) await store.ingest(p);
    const order: string[] = [];
    const prune = store.prune({ now: 40 * DAY, days: 30, batchSize: 3 }).then((r) => {
      order.push('prune');
      return r;
    });
    const stats = store.stats().then(() => order.push('stats'));
    const [result] = await Promise.all([prune, stats]);
    expect(result.batches).toBeGreaterThan(3);
    expect(order).toEqual(['stats', 'prune']);
    expect(await store.stats()).toMatchObject({ runs: 0 });
  });

  it('answers reads from the last committed poll while a large poll is being written, and commits that poll whole', async () => {
    store = await openStore({ file: join(dir, 'log.db') });
    const [first, second] = [...syntheticPolls({ devices: 15_000, polls: 2, changeRate: 1 })];
    await store.ingest({ ...first!, rows: first!.rows.slice(0, 10) });
    const order: string[] = [];
    // 30,000 rows: about fifteen steps of one transaction.
    const ingest = store.ingest(second!).then((r) => (order.push('ingest'), r));
    const during = store.stats().then((s) => (order.push('stats'), s));
    const page = store.queryLog(LogQuery.parse({ view: 'changes', limit: 5 })).then((p) => (order.push('page'), p));
    const [result, stats, rows] = await Promise.all([ingest, during, page]);
    expect(order).toEqual(['stats', 'page', 'ingest']);
    // The reads saw the log before the poll: none of its rows showed half-written.
    expect(stats).toMatchObject({ polls: 1, runs: 10 });
    expect(rows.rows).toHaveLength(5);
    expect(result.evaluations).toBe(second!.rows.length);
    expect(await store.stats()).toMatchObject({ polls: 2, evaluations: 10 + second!.rows.length });
  });

  it('closing during a large poll rolls the poll back and says so', async () => {
    const file = join(dir, 'log.db');
    store = await openStore({ file });
    const [poll] = [...syntheticPolls({ devices: 15_000, polls: 1 })];
    const ingest = store.ingest(poll!).then(
      () => 'stored',
      (error: unknown) => error,
    );
    const closing = store;
    store = undefined;
    await closing.close();
    expect(await ingest).toMatchObject({ code: 'store.closed' });
    store = await openStore({ file });
    expect(await store.stats()).toMatchObject({ polls: 0, runs: 0 });
    await store.ingest(poll!);
    expect(await store.stats()).toMatchObject({ polls: 1, runs: poll!.rows.length });
  });

  it('closes cleanly: the WAL is checkpointed and later calls are refused', async () => {
    const file = join(dir, 'log.db');
    store = await openStore({ file });
    await store.ingest({ pollId: 'a', providerId: 'p', evaluatedAt: 1, rows: [...syntheticPolls({ devices: 3, polls: 1 })][0]!.rows });
    const closing = store;
    store = undefined;
    await closing.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    await expect(closing.stats()).rejects.toMatchObject({ code: 'store.closed' });
    await closing.close();
    store = await openStore({ file });
    expect(await store.stats()).toMatchObject({ polls: 1, runs: 6 });
  });

  it('reports a file that is not a database as a failed open', async () => {
    const file = join(dir, 'not.db');
    writeFileSync(file, 'this is not sqlite '.repeat(100));
    await expect(openStore({ file })).rejects.toMatchObject({ code: 'store.failed', message: expect.stringMatching(/not a database/) });
  });
});
