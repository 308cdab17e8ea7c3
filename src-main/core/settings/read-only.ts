// The settings file as conf last wrote it, read without conf (its schema compiler and file handling cost a
// one-shot command more than the command's own work). Same file, same lenient reading: a missing file reads
// as the defaults, a file that is not JSON fails as conf fails on it. Writing is refused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsFileOptions, settingsStoreOver, type SettingsStore } from './store';

export function readOnlySettings(dataDir: string): SettingsStore {
  const path = join(dataDir, `${settingsFileOptions.configName}.json`);
  const file = {
    get store(): Record<string, unknown> {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...settingsFileOptions.defaults };
        throw error;
      }
      let saved: Record<string, unknown>;
      try {
        // conf skips a byte order mark an editor may have saved.
        saved = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
      } catch {
        // Worded as conf words it, and without the file's contents (which JSON.parse would quote).
        throw new SyntaxError(`The config file \`${path}\` is not valid JSON.`);
      }
      // conf fills what the file lacks from the defaults in the same way.
      return { ...settingsFileOptions.defaults, ...saved };
    },
    set store(_value: Record<string, unknown>) {
      throw new Error('These settings were opened read-only.');
    },
  };
  return settingsStoreOver(file);
}
