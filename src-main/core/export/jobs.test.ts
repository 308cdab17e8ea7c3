// Exports the web host hands out: owner-only files that go once downloaded, or after their download
// window, including files an earlier run left behind.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportProgress } from '../../../src-shared/schemas/posture-log';
import type { App } from '../app';
import { createTestApp } from '../test-app.testkit';
import { dataDirExportDestination } from './data-dir-destination';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(keepForMs: number, dataDir = mkdtempSync(join(tmpdir(), 'pc-exports-'))) {
  ({ app } = await createTestApp({ dataDir, exportDestination: dataDirExportDestination(dataDir, { keepForMs }) }));
  return { app, dataDir, exportsDir: join(dataDir, 'exports') };
}

async function finishedExport(app: App): Promise<{ exportId: string; file: string }> {
  const done = new Promise<ExportProgress>((resolve) => {
    const stop = app.events.listen((event, payload) => {
      if (event === 'export.progress' && (payload as ExportProgress).state !== 'running') {
        stop();
        resolve(payload as ExportProgress);
      }
    });
  });
  const started = await app.handlers['postureLog.export']({ filter: { view: 'latest' }, sort: { by: 'time', dir: 'desc' } });
  expect((await done).state).toBe('done');
  return { exportId: started.exportId, file: started.file! };
}

const mode = (file: string) => statSync(file).mode & 0o777;

describe('exports handed out by the web host', () => {
  it('are written owner-only (0600) and removed once downloaded', async () => {
    const { app } = await start(60_000);
    const { exportId, file } = await finishedExport(app);
    expect(mode(file)).toBe(0o600);
    expect(app.exports.fileOf(exportId)).toBe(file);
    app.exports.downloaded(exportId);
    expect(existsSync(file)).toBe(false);
    expect(app.exports.fileOf(exportId)).toBeUndefined();
  });

  it('are removed when their download window ends without a download', async () => {
    const { app, exportsDir } = await start(200);
    const { exportId, file } = await finishedExport(app);
    expect(existsSync(file)).toBe(true);
    await expect.poll(() => existsSync(file), { timeout: 10_000 }).toBe(false);
    expect(readdirSync(exportsDir)).toEqual([]);
    // The id no longer names a file.
    app.exports.downloaded(exportId);
  });

  it('left by an earlier run are removed at start once older than the window, and the rest when theirs ends', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pc-exports-'));
    const exportsDir = join(dataDir, 'exports');
    mkdirSync(exportsDir);
    const old = join(exportsDir, 'posture-log-old.csv');
    const young = join(exportsDir, 'posture-log-young.csv');
    writeFileSync(old, 'x');
    writeFileSync(young, 'x');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(old, hourAgo, hourAgo);

    const first = await start(60_000, dataDir);
    expect(readdirSync(first.exportsDir)).toEqual(['posture-log-young.csv']);
    await first.app.close();
    app = undefined;

    await start(300, dataDir);
    await expect.poll(() => existsSync(young), { timeout: 10_000 }).toBe(false);
  });

  it('undownloaded files go when the app closes', async () => {
    const { app: running } = await start(60_000);
    const { file } = await finishedExport(running);
    await running.close();
    app = undefined;
    expect(existsSync(file)).toBe(false);
  });
});
