// The main window: hardened preferences, CSP on every response, navigation and new windows denied.
import { join } from 'node:path';
import { BrowserWindow, session, shell } from 'electron';
import { contentSecurityPolicy } from './core/csp';
import { restoredBounds, trackWindowState } from './platform/window-state';
import { isAppUrl, isDocumentationUrl } from './window-policy';

export function appUrl(): string {
  const dev = process.env.ELECTRON_RENDERER_URL;
  return dev ?? new URL(`file://${join(import.meta.dirname, '../renderer/index.html')}`).href;
}

export function installSessionPolicy(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
}

export function createMainWindow(): BrowserWindow {
  const url = appUrl();
  // Kept literal (not built by a helper) so the security gate and reviewers can read it here.
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    ...restoredBounds(),
    show: false,
    title: 'Posture Console',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  trackWindowState(win);
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', (event, target) => {
    if (!isAppUrl(target, url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, target) => {
    if (!isAppUrl(target, url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url: target }) => {
    // Vendor documentation opens in the user's browser; the app never opens windows of its own.
    if (isDocumentationUrl(target)) void shell.openExternal(target);
    return { action: 'deny' };
  });
  void win.loadURL(url);
  return win;
}
