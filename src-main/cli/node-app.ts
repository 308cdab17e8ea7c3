// The core wired with plain-Node adapters (conf settings, key-file cipher, data-dir exports): used by
// `serve` and the CLI commands. Bundled only (the store worker comes from electron-vite's ?nodeWorker).
import { mkdirSync } from 'node:fs';
import { createApp, type App } from '../core/app';
import { dataDirExportDestination } from '../core/export/data-dir-destination';
import type { Logger } from '../core/log';
import { confSettingsStore } from '../core/settings/conf-store';
import { keyFileCipher } from '../core/vault/keyfile-cipher';
import createStoreWorker from '../core/store-worker?nodeWorker';
import { appVersion } from '../core/version';

export function createNodeApp(options: { dataDir: string; host: 'web' | 'cli'; logger?: Logger; demo?: boolean; schedule?: boolean }): Promise<App> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  return createApp({
    host: options.host,
    appVersion,
    dataDir: options.dataDir,
    settings: confSettingsStore(options.dataDir),
    cipher: keyFileCipher(options.dataDir),
    exportDestination: dataDirExportDestination(options.dataDir),
    createStoreWorker,
    logger: options.logger,
    demo: options.demo,
    schedule: options.schedule,
  });
}
