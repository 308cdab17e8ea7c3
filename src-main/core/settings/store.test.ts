import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confSettingsStore } from './conf-store';
import { readOnlySettings } from './read-only';
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

  it('writes nothing until the first change (conf, which makes the file, loads then)', () => {
    const d = dir();
    const store = confSettingsStore(d);
    expect(store.read()).toEqual(defaultSettings);
    expect(existsSync(join(d, 'settings.json'))).toBe(false);
    store.write({ ...defaultSettings, retentionDays: 9 });
    expect(JSON.parse(readFileSync(join(d, 'settings.json'), 'utf8'))).toMatchObject({ retentionDays: 9, __internal__: { migrations: { version: '1.0.0' } } });
    expect(store.read().retentionDays).toBe(9);
  });

  it('repairs a hand-edited file field by field instead of crashing', () => {
    const d = dir();
    confSettingsStore(d).write(defaultSettings);
    const file = join(d, 'settings.json');
    const content = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...content, ui: { theme: 'neon' }, allowUnprotectedSecrets: true }));
    const read = confSettingsStore(d).read();
    expect(read.ui).toEqual(defaultSettings.ui);
    expect(read.allowUnprotectedSecrets).toBe(true);
  });
});

describe('settings read without conf (one-shot commands)', () => {
  const saved = {
    ...defaultSettings,
    retentionDays: 45,
    providers: [{ id: 'p1', kind: 'sentinelone', name: 'S1', apiUrl: 'https://acme.sentinelone.net', pollInterval: '1h', enabled: true }],
  };

  it('reads what conf wrote, exactly as conf reads it, and writes nothing', () => {
    const d = dir();
    const store = confSettingsStore(d);
    store.write(saved as never);
    const before = readFileSync(join(d, 'settings.json'), 'utf8');
    expect(readOnlySettings(d).read()).toEqual(confSettingsStore(d).read());
    expect(readOnlySettings(d).read().retentionDays).toBe(45);
    expect(() => readOnlySettings(d).write(defaultSettings)).toThrow(/read-only/);
    expect(readFileSync(join(d, 'settings.json'), 'utf8')).toBe(before);
  });

  it('reads a missing file as the defaults without creating it, and a hand-edited one leniently', () => {
    const d = dir();
    expect(readOnlySettings(d).read()).toEqual(defaultSettings);
    expect(existsSync(join(d, 'settings.json'))).toBe(false);
    writeFileSync(join(d, 'settings.json'), '\uFEFF' + JSON.stringify({ ui: { theme: 'neon' }, retentionDays: 7 }));
    expect(readOnlySettings(d).read()).toMatchObject({ ui: defaultSettings.ui, retentionDays: 7 });
  });

  it('fails on a file that is not JSON as conf does: naming the file, quoting none of it', () => {
    const d = dir();
    writeFileSync(join(d, 'settings.json'), '{"secret": "hunter2",');
    const read = () => readOnlySettings(d).read();
    expect(read).toThrow(SyntaxError);
    expect(read).toThrow(`The config file \`${join(d, 'settings.json')}\` is not valid JSON.`);
    expect(read).not.toThrow(/hunter2/);
  });
});
