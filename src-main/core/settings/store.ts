// Settings persistence behind one small interface, so `conf` (Node) and `electron-store` (Electron)
// share the schema, defaults and migrations.
import { Settings, defaultSettings } from './schema';

/** The subset of the conf / electron-store API the app uses. */
export interface KeyValueFile {
  get store(): Record<string, unknown>;
  set store(value: Record<string, unknown>);
}

export interface SettingsStore {
  read(): Settings;
  write(next: Settings): void;
}

export const SETTINGS_VERSION = '1.0.0';

/** Options given to both conf and electron-store (same API; electron-store subclasses conf). */
export const settingsFileOptions = {
  configName: 'settings',
  projectVersion: SETTINGS_VERSION,
  defaults: defaultSettings as unknown as Record<string, unknown>,
  migrations: {
    // Future shape changes go here as '<version>': (store) => { … }, never edits to old entries.
    '1.0.0': () => {},
  },
  clearInvalidConfig: false,
  configFileMode: 0o600,
} as const;

/** Reads leniently: a hand-edited or older file falls back to defaults field by field, never crashes. */
export function settingsStoreOver(file: KeyValueFile): SettingsStore {
  return {
    read() {
      const parsed = Settings.safeParse(file.store);
      if (parsed.success) return parsed.data;
      const repaired = { ...defaultSettings };
      for (const key of Object.keys(defaultSettings) as (keyof Settings)[]) {
        const field = Settings.shape[key].safeParse((file.store as Record<string, unknown>)[key]);
        if (field.success) Object.assign(repaired, { [key]: field.data });
      }
      return repaired;
    },
    write(next) {
      file.store = Settings.parse(next) as unknown as Record<string, unknown>;
    },
  };
}
