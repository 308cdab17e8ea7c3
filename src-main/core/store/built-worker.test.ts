// The suites that start whole apps run the store worker the build ships (built-worker.testkit.ts): it must be the
// current build's, and answer as the worker from source does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LogQuery } from '../../../src-shared/schemas/posture-log';
import { buildProblem } from '../../reliability/cli-build';
import { currentBuiltStoreWorker } from './built-worker.testkit';
import { openStore } from './store';
import { syntheticPolls } from './synthetic-polls.testkit';

const dir = mkdtempSync(join(tmpdir(), 'pc-built-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('is used when the build is newer than every source, and writes and reads the log as the source worker does', async () => {
  // The test run's set-up builds out/ when it is missing or stale.
  expect(buildProblem()).toBeNull();
  const createWorker = currentBuiltStoreWorker();
  expect(createWorker).toBeDefined();
  const polls = [...syntheticPolls({ devices: 20, polls: 3, changeRate: 0.3, seed: 5 })];
  const pages = [];
  for (const [name, worker] of [
    ['built', createWorker],
    ['source', undefined],
  ] as const) {
    const store = await openStore({ file: join(dir, `${name}.db`), createWorker: worker });
    try {
      for (const p of polls) await store.ingest(p);
      pages.push(await store.queryLog(LogQuery.parse({ view: 'changes', sort: { by: 'time', dir: 'asc' }, limit: 1000 })));
    } finally {
      await store.close();
    }
  }
  expect(pages[0]!.rows.length).toBeGreaterThan(20);
  expect(pages[0]).toEqual(pages[1]);
});
