// Electron entry: lifecycle only. Wires the platform adapters into the core and the core into IPC.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain } from 'electron';
import { createApp, type App } from './core/app';
import { applyMainProcessHeapSettings } from './core/heap-settings';
import { createLogger } from './core/log';
import createStoreWorker from './core/store-worker?nodeWorker';
import { startDemo, type Demo } from './demo/demo';
import { bindContract, EVENT_CHANNEL } from './ipc';
import { installDesktopAlerts } from './platform/desktop-alerts';
import { electronSettingsStore } from './platform/electron-settings';
import { installMenu } from './platform/menu';
import { electronPowerEvents } from './platform/power-events';
import { safeStorageCipher } from './platform/safe-storage-cipher';
import { saveDialogDestination } from './platform/save-dialog';
import { installTray } from './platform/tray';
import { appVersion } from './core/version';
import { appUrl, createMainWindow, installSessionPolicy } from './window';
import { isTrustedSender } from './window-policy';

// The main process keeps the fleet's inventory between polls: the same V8 settings as `serve` (see heap-settings).
applyMainProcessHeapSettings();

const demoMode = process.env.POSTURE_CONSOLE_DEMO === '1';
// Demo data goes to a throwaway profile, never the admin's real one.
if (demoMode) app.setPath('userData', mkdtempSync(join(tmpdir(), 'posture-console-demo-')));

// A second launch focuses the first instead of opening another console on the same data.
if (!app.requestSingleInstanceLock()) app.quit();

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

let core: App | undefined;
let demo: Demo | undefined;
let win: BrowserWindow | undefined;
let quitting = false;

function showWindow(): void {
  if (!win || win.isDestroyed()) win = createMainWindow();
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

app.on('second-instance', showWindow);
app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) showWindow();
});

app.whenReady().then(async () => {
  installSessionPolicy();
  const dataDir = app.getPath('userData');
  const logger = createLogger();
  const settings = electronSettingsStore(dataDir);
  core = await createApp({
    host: 'electron',
    appVersion,
    dataDir,
    settings,
    cipher: safeStorageCipher(),
    versions: { electron: process.versions.electron ?? null, chromium: process.versions.chrome ?? null },
    logger,
    demo: demoMode,
    exportDestination: saveDialogDestination(),
    createStoreWorker,
    power: electronPowerEvents,
  });
  demo = demoMode ? await startDemo(core) : undefined;
  const url = appUrl();
  bindContract(ipcMain, core.handlers, { isTrusted: (event) => isTrustedSender(event.senderFrame, url), logger });

  win = createMainWindow();
  // The window is loading: the log's worker boots meanwhile rather than at its first query.
  core.warmUp();
  core.events.listen((event, payload) => {
    for (const w of BrowserWindow.getAllWindows()) if (!w.isDestroyed()) w.webContents.send(EVENT_CHANNEL, { event, payload });
  });
  installMenu(() => win);
  installTray(core, showWindow);
  installDesktopAlerts(core, () => settings.read(), showWindow);
});

// Graceful quit: finish (or roll back) the running poll and close the database before exiting.
app.on('before-quit', (event) => {
  if (quitting || !core) return;
  event.preventDefault();
  quitting = true;
  void Promise.allSettled([demo?.close(), core.close()]).finally(() => app.exit(0));
});

app.on('window-all-closed', () => {
  // The tray keeps polling on every platform; Quit is in the tray and application menus.
});
