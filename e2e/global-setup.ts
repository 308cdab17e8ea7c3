// One console host for the web specs, started from the built CLI; its URL is handed over in the env.
import { existsSync } from 'node:fs';
import { startConsoleHost } from './console-host';

export default async function globalSetup() {
  if (!existsSync('out/main/cli.js') || !existsSync('out/renderer/index.html'))
    throw new Error('Build first: `npm run e2e` runs `npm run build` before Playwright.');
  const host = await startConsoleHost();
  process.env.PC_OPEN_URL = host.openUrl;
  process.env.PC_BASE_URL = host.baseUrl;
  process.env.PC_DATA_DIR = host.dataDir;
  return async () => {
    await host.stop();
  };
}
