import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confSettingsStore } from './conf-store';
import { defaultSettings } from './schema';

const dir = () => mkdtempSync(join(tmpdir(), 'pc-settings-'));

describe('settings store', () => {
  it('starts from defaults and persists changes with owner-only permissions', () => {
    const d = dir();
    const store = confSettingsStore(d);
    expect(store.read()).toEqual(defaultSettings);
    store.write({ ...defaultSettings, ui: { theme: 'dark', density: 'comfortable' } });
    expect(confSettingsStore(d).read().ui).toEqual({ theme: 'dark', density: 'comfortable' });
    expect(statSync(join(d, 'settings.json')).mode & 0o777).toBe(0o600);
  });

  it('repairs a hand-edited file field by field instead of crashing', () => {
    const d = dir();
    confSettingsStore(d);
    const file = join(d, 'settings.json');
    const content = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...content, ui: { theme: 'neon' }, allowUnprotectedSecrets: true }));
    const read = confSettingsStore(d).read();
    expect(read.ui).toEqual(defaultSettings.ui);
    expect(read.allowUnprotectedSecrets).toBe(true);
  });
});
