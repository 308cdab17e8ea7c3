// Runs the real desktop app when an Electron binary exists; otherwise skips and says why.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

/** Never probe with require('electron'): that tries to download the binary. */
function electronBinary(): string | undefined {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    for (const name of ['electron', 'Electron.app/Contents/MacOS/Electron', 'electron.exe']) {
      const candidate = join(override, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  const pathTxt = join('node_modules', 'electron', 'path.txt');
  if (existsSync(pathTxt)) {
    const candidate = join('node_modules', 'electron', 'dist', readFileSync(pathTxt, 'utf8').trim());
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

const binary = electronBinary();
if (!binary) console.log('electron E2E skipped: no Electron binary (set ELECTRON_OVERRIDE_DIST_PATH to a folder holding one).');

test.skip(!binary, 'No Electron binary: set ELECTRON_OVERRIDE_DIST_PATH to a folder holding one.');

test('the desktop window opens isolated and shows the Status page', async () => {
  const app = await electron.launch({ executablePath: binary!, args: ['.'] });
  const window = await app.firstWindow();
  await expect(window.getByRole('heading', { name: 'Posture Console' })).toBeVisible();
  expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  expect(await window.evaluate(() => Object.keys((window as unknown as { postureConsole: object }).postureConsole).sort())).toEqual(['invoke', 'subscribe']);
  await window.getByRole('link', { name: 'Status' }).click();
  await expect(window.getByTestId('keyring-status')).toBeVisible();
  await app.close();
});
