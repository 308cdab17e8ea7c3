// Settings in the Electron shell: electron-store over the same schema, defaults and migrations as conf.
import Store from 'electron-store';
import { settingsFileOptions, settingsStoreOver, type SettingsStore } from '../core/settings/store';

export function electronSettingsStore(dataDir: string): SettingsStore {
  return settingsStoreOver(new Store<Record<string, unknown>>({ ...settingsFileOptions, cwd: dataDir }));
}
