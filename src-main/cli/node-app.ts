// The core wired with plain-Node adapters (conf settings, key-file cipher): used by `serve` and the CLI.
import { mkdirSync } from 'node:fs';
import { createApp, type App } from '../core/app';
import type { Logger } from '../core/log';
import { confSettingsStore } from '../core/settings/conf-store';
import { keyFileCipher } from '../core/vault/keyfile-cipher';
import { appVersion } from '../version';

export function createNodeApp(options: { dataDir: string; host: 'web' | 'cli'; logger?: Logger; demo?: boolean }): App {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  return createApp({
    host: options.host,
    appVersion,
    dataDir: options.dataDir,
    settings: confSettingsStore(options.dataDir),
    cipher: keyFileCipher(options.dataDir),
    logger: options.logger,
    demo: options.demo,
  });
}
