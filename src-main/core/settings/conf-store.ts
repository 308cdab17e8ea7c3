// Settings in plain Node (web host, CLI, tests): conf, the base class of electron-store. Reading needs none of it
// (the file is the JSON conf wrote, read as conf reads it: read-only.ts), so conf, with its schema compiler, loads
// at the first write, which also makes the file and records conf's migrations as before.
import { createRequire } from 'node:module';
import type Conf from 'conf';
import { readOnlySettings } from './read-only';
import { settingsFileOptions, settingsStoreOver, type SettingsStore } from './store';

const requireModule = createRequire(import.meta.url);

export function confSettingsStore(dataDir: string): SettingsStore {
  const reader = readOnlySettings(dataDir);
  let writer: SettingsStore | undefined;
  const conf = () => {
    // Synchronous like the writes it serves; Node ≥ 22.12 requires ES modules such as conf.
    const { default: ConfClass } = requireModule('conf') as { default: typeof Conf };
    return settingsStoreOver(new ConfClass<Record<string, unknown>>({ ...settingsFileOptions, cwd: dataDir, projectName: 'posture-console' }));
  };
  return {
    read: () => (writer ?? reader).read(),
    write: (next) => (writer ??= conf()).write(next),
  };
}
