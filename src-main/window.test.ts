// Asserts the options the shell really passes to BrowserWindow, with electron replaced by a recorder
// (the real module cannot load here: it would try to download the Electron binary).
import { beforeEach, describe, expect, it, vi } from 'vitest';

const recorded = vi.hoisted(() => ({
  options: undefined as Record<string, unknown> | undefined,
  handlers: new Map<string, (...args: unknown[]) => void>(),
  windowOpen: undefined as ((d: { url: string }) => { action: string }) | undefined,
  openedExternally: [] as string[],
  headerHook: undefined as ((details: unknown, cb: (r: unknown) => void) => void) | undefined,
  permission: undefined as ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined,
}));

vi.mock('./platform/window-state', () => ({ restoredBounds: () => ({}), trackWindowState: () => {} }));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {
      on: (name: string, fn: (...args: unknown[]) => void) => recorded.handlers.set(name, fn),
      setWindowOpenHandler: (fn: typeof recorded.windowOpen) => (recorded.windowOpen = fn),
    };
    constructor(options: Record<string, unknown>) {
      recorded.options = options;
    }
    once() {}
    loadURL() {
      return Promise.resolve();
    }
  }
  return {
    BrowserWindow,
    shell: { openExternal: async (url: string) => void recorded.openedExternally.push(url) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof recorded.permission) => (recorded.permission = fn),
        setPermissionCheckHandler: () => {},
        webRequest: { onHeadersReceived: (fn: typeof recorded.headerHook) => (recorded.headerHook = fn) },
      },
    },
  };
});

const { createMainWindow, installSessionPolicy } = await import('./window');
const { contentSecurityPolicy } = await import('./core/csp');

beforeEach(() => {
  recorded.handlers.clear();
  recorded.openedExternally.length = 0;
  Reflect.deleteProperty(process.env, 'ELECTRON_RENDERER_URL');
});

describe('main window', () => {
  it('isolates the renderer from Node and Electron', () => {
    createMainWindow();
    expect(recorded.options?.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect((recorded.options?.webPreferences as { preload: string }).preload).toMatch(/preload[/\\]index\.cjs$/);
  });

  it('blocks navigation away from the app', () => {
    createMainWindow();
    let prevented = false;
    recorded.handlers.get('will-navigate')!({ preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
  });

  it('never opens a window; hands only vendor documentation to the browser', () => {
    createMainWindow();
    expect(recorded.windowOpen!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(recorded.windowOpen!({ url: 'https://falcon.us-2.crowdstrike.com/documentation/93' })).toEqual({ action: 'deny' });
    expect(recorded.openedExternally).toEqual(['https://falcon.us-2.crowdstrike.com/documentation/93']);
  });

  it('denies every permission request and sets the CSP on every response', () => {
    installSessionPolicy();
    let granted: boolean | undefined;
    recorded.permission!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    let headers: Record<string, string[]> = {};
    recorded.headerHook!({ responseHeaders: { 'x-a': ['1'] } }, (r) => (headers = (r as { responseHeaders: Record<string, string[]> }).responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy]);
  });
});
