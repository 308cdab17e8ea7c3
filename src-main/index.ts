// Electron entry: lifecycle only. Wires the platform adapters into the core and the core into IPC.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain } from 'electron';
import { createApp } from './core/app';
import { createLogger } from './core/log';
import { startDemo, type Demo } from './demo/demo';
import { bindContract, EVENT_CHANNEL } from './ipc';
import { electronSettingsStore } from './platform/electron-settings';
import { electronPowerEvents } from './platform/power-events';
import { safeStorageCipher } from './platform/safe-storage-cipher';
import { saveDialogDestination } from './platform/save-dialog';
import createStoreWorker from './core/store/worker?nodeWorker';
import { appVersion } from './version';
import { appUrl, createMainWindow, installSessionPolicy } from './window';
import { isTrustedSender } from './window-policy';

const demoMode = process.env.POSTURE_CONSOLE_DEMO === '1';
// Demo data goes to a throwaway profile, never the admin's real one.
if (demoMode) app.setPath('userData', mkdtempSync(join(tmpdir(), 'posture-console-demo-')));

if (!app.requestSingleInstanceLock()) app.quit();

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.whenReady().then(async () => {
  installSessionPolicy();
  const dataDir = app.getPath('userData');
  const logger = createLogger();
  const core = await createApp({
    host: 'electron',
    appVersion,
    dataDir,
    settings: electronSettingsStore(dataDir),
    cipher: safeStorageCipher(),
    versions: { electron: process.versions.electron ?? null, chromium: process.versions.chrome ?? null },
    logger,
    demo: demoMode,
    exportDestination: saveDialogDestination(),
    createStoreWorker,
    power: electronPowerEvents,
  });
  const demo: Demo | undefined = demoMode ? await startDemo(core) : undefined;
  const url = appUrl();
  bindContract(ipcMain, core.handlers, { isTrusted: (event) => isTrustedSender(event.senderFrame, url), logger });

  let win = createMainWindow();
  core.events.listen((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, { event, payload });
  });
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createMainWindow();
  });
  app.on('before-quit', () => {
    void demo?.close();
    void core.close();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
