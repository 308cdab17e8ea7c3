// Electron checklist items the window tests do not reach: the preload's whole surface (#20), no insecure
// option or remote load anywhere in the app's sources (#1, #2, #6, #8-#12), the page's CSP meta tag (#7),
// and the production fuses (#18, #19). window.test.ts and ipc.test.ts cover the rest (see SECURITY.md).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { contract, EVENT_CHANNEL, events } from '../../src-shared/contract';
import { contentSecurityPolicy } from '../core/csp';
import { repoRoot } from './cli-build';

const exposed = new Map<string, Record<string, unknown>>();
const invoked: string[] = [];
const listeners = new Map<string, (event: unknown, message: unknown) => void>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string) => {
      invoked.push(channel);
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => listeners.set(channel, listener),
    off: (channel: string) => listeners.delete(channel),
  },
}));

beforeAll(async () => {
  await import('../../src-preload/index');
});

describe('#20 the preload exposes the contract and nothing else', () => {
  it('one object with two functions: no ipcRenderer, no Node, no generic send', () => {
    expect([...exposed.keys()]).toEqual(['postureConsole']);
    const api = exposed.get('postureConsole')!;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'subscribe']);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('invoke reaches ipcRenderer only for contract channels', async () => {
    const api = exposed.get('postureConsole') as { invoke(channel: string, req: unknown): Promise<{ ok: boolean }> };
    for (const name of ['__proto__', 'constructor', 'ELECTRON_BROWSER_REQUIRE', 'posture-console:event', 'providers.reveal', ''])
      expect(await api.invoke(name, {})).toMatchObject({ ok: false });
    expect(invoked).toEqual([]);
    await api.invoke('providers.list', {});
    expect(invoked).toEqual(['providers.list']);
    expect(Object.keys(contract)).toContain('providers.list');
  });

  it('subscribe relays contract events only, and can be undone', () => {
    const api = exposed.get('postureConsole') as { subscribe(listener: (m: unknown) => void): () => void };
    const got: unknown[] = [];
    const stop = api.subscribe((m) => got.push(m));
    const relay = listeners.get(EVENT_CHANNEL)!;
    relay({}, { event: 'settings.changed', payload: { theme: 'dark', density: 'compact' } });
    relay({}, { event: 'secrets.dump', payload: {} });
    expect(got).toEqual([{ event: 'settings.changed', payload: { theme: 'dark', density: 'compact' } }]);
    expect(Object.keys(events)).toContain('settings.changed');
    stop();
    expect(listeners.has(EVENT_CHANNEL)).toBe(false);
  });
});

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(tsx?|html)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

describe('no insecure option or remote load in the app', () => {
  const files = ['src-main', 'src-preload', 'src-renderer', 'src-shared'].flatMap((d) => sources(join(repoRoot, d)));
  const forbidden: [string, RegExp][] = [
    ['#2 nodeIntegration on', /nodeIntegration(InWorker|InSubFrames)?\s*:\s*true/],
    ['#3 contextIsolation off', /contextIsolation\s*:\s*false/],
    ['#4 sandbox off', /sandbox\s*:\s*false/],
    ['#6 webSecurity off', /webSecurity\s*:\s*false|disablewebsecurity/i],
    ['#8 insecure content', /allowRunningInsecureContent\s*:\s*true/],
    ['#9 experimental features', /experimentalFeatures\s*:\s*true/],
    ['#10 enableBlinkFeatures', /enableBlinkFeatures/],
    ['#11/#12 webview', /<webview|webviewTag\s*:\s*true|allowpopups/i],
    ['#1 remote code', /<script[^>]+src=["']https?:|loadURL\(\s*['"`]https?:/],
    ['raw IPC outside the preload', /ipcRenderer\.(send|sendSync)\b|exposeInMainWorld\(\s*['"]ipcRenderer/],
  ];

  it.each(forbidden)('%s appears nowhere', (_item, pattern) => {
    expect(files.length).toBeGreaterThan(50);
    const hits = files.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => relative(repoRoot, f));
    expect(hits).toEqual([]);
  });

  it('#7 the page carries the same CSP as the response headers (minus frame-ancestors, which a meta tag cannot set)', () => {
    const html = readFileSync(join(repoRoot, 'src-renderer/index.html'), 'utf8');
    const meta = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];
    const expected = contentSecurityPolicy
      .split('; ')
      .filter((d) => !d.startsWith('frame-ancestors'))
      .join('; ');
    expect(meta).toBe(expected);
    expect(meta).toContain("script-src 'self'");
    expect(meta).not.toMatch(/unsafe-eval|\*/);
  });
});

describe('#18/#19 production fuses', () => {
  it('electron-builder flips every fuse that would widen the app, including file:// privileges', () => {
    const yml = readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8');
    const section = yml.split(/^electronFuses:\s*$/m)[1]?.split(/^\S/m)[0] ?? '';
    const fuses = Object.fromEntries([...section.matchAll(/^\s+(\w+):\s*(true|false)\s*$/gm)].map((m) => [m[1], m[2] === 'true']));
    expect(fuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
