// A real app over a fresh temp data directory, for tests: real vault, settings, SQLite store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppDeps } from './app';
import { dataDirExportDestination } from './export/data-dir-destination';
import { confSettingsStore } from './settings/conf-store';
import { currentBuiltStoreWorker } from './store/built-worker.testkit';
import { keyFileCipher } from './vault/keyfile-cipher';

export async function createTestApp(overrides: Partial<AppDeps> = {}) {
  const dir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'pc-app-'));
  const app = await createApp({
    host: 'cli',
    appVersion: '0.0.0',
    dataDir: dir,
    settings: confSettingsStore(dir),
    cipher: keyFileCipher(dir, {}),
    exportDestination: dataDirExportDestination(dir),
    schedule: false,
    createStoreWorker: currentBuiltStoreWorker(),
    ...overrides,
  });
  return { app, dir };
}
