// Settings in plain Node (web host, CLI, tests): conf, the base class of electron-store.
import Conf from 'conf';
import { settingsFileOptions, settingsStoreOver, type SettingsStore } from './store';

export function confSettingsStore(dataDir: string): SettingsStore {
  const file = new Conf<Record<string, unknown>>({ ...settingsFileOptions, cwd: dataDir, projectName: 'posture-console' });
  return settingsStoreOver(file);
}
