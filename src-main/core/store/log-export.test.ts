import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFilter } from '../../../src-shared/schemas/posture-log';
import { createByteChunks } from './byte-chunks';
import { openStoreCore } from './sync-store';
import type { LogExportChunk } from './log-export';
import { openStore, type Store } from './store';
import { syntheticPolls } from './synthetic-polls.testkit';

let dir: string;
let store: Store | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-log-export-'));
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const text = (chunks: LogExportChunk[]) => Buffer.concat(chunks.map((c) => c.bytes)).toString('utf8');
const sort = { by: 'time', dir: 'asc' } as const;

describe('log export in the store', () => {
  it('is a snapshot: polls ingested while it runs are not in it, and its total is exact', async () => {
    store = await openStore({ file: join(dir, 'log.db') });
    const polls = [...syntheticPolls({ devices: 40, polls: 6, changeRate: 0.3, seed: 3 })];
    for (const p of polls.slice(0, 4)) await store.ingest(p);
    const filter = LogFilter.parse({ view: 'evaluations' });
    const before = await store.countLog(filter);

    const { exportId, total } = await store.exportOpen({ filter, sort });
    const chunks = [await store.exportNext(exportId, 50)];
    // The worker runs these between the export's chunks; WAL lets the writer go ahead of the reader.
    for (const p of polls.slice(4)) await store.ingest(p);
    while (!chunks.at(-1)!.done) chunks.push(await store.exportNext(exportId, 50));

    expect(total).toBe(before);
    expect(chunks.reduce((n, c) => n + c.rows, 0)).toBe(before);
    expect(await store.countLog(filter)).toBeGreaterThan(before);
    const again = await store.exportOpen({ filter, sort });
    expect(again.total).toBe(await store.countLog(filter));
    await store.exportClose(again.exportId);
    // Records end in CRLF; the header is the first line.
    expect(text(chunks).split('\r\n').length - 2).toBe(before);
  });

  it('closes itself after the last chunk, and a closed export cannot be pulled', async () => {
    store = await openStore({ file: join(dir, 'log.db') });
    for (const p of syntheticPolls({ devices: 5, polls: 2 })) await store.ingest(p);
    const { exportId } = await store.exportOpen({ filter: LogFilter.parse({}), sort });
    expect(await store.exportNext(exportId, 1000)).toMatchObject({ done: true, rows: 10 });
    await expect(store.exportNext(exportId, 1000)).rejects.toMatchObject({ code: 'store.export_closed' });

    const cancelled = await store.exportOpen({ filter: LogFilter.parse({}), sort });
    await store.exportNext(cancelled.exportId, 3);
    await store.exportClose(cancelled.exportId);
    await expect(store.exportNext(cancelled.exportId, 3)).rejects.toMatchObject({ code: 'store.export_closed' });
  });

  it('says which chunk is the last even when the rows divide evenly', () => {
    const core = openStoreCore(join(dir, 'log.db'));
    try {
      for (const p of syntheticPolls({ devices: 10, polls: 3, absentRate: 0 })) core.ingest(p);
      const { exportId, total } = core.exportOpen({ filter: LogFilter.parse({ view: 'evaluations' }), sort });
      expect(total).toBe(60);
      const chunks = [core.exportNext(exportId, 20), core.exportNext(exportId, 20), core.exportNext(exportId, 20)];
      expect(chunks.map((c) => [c.rows, c.done])).toEqual([
        [20, false],
        [20, false],
        [20, true],
      ]);
    } finally {
      core.close();
    }
  });
});

describe('createByteChunks', () => {
  it('grows past its first megabyte and carries what follows a cut into the next chunk', () => {
    const out = createByteChunks();
    const big = 'é'.repeat(700_000); // 1.4 MB in UTF-8
    out.text(big);
    const cut = out.size;
    out.bytes(Buffer.from('tail'));
    const first = out.take(cut);
    expect(Buffer.from(first).toString('utf8')).toBe(big);
    out.text('+more');
    expect(Buffer.from(out.take()).toString('utf8')).toBe('tail+more');
    expect(out.size).toBe(0);
  });
});
