// `providers add` applies the Falcon endpoint rule: --base-url alone means custom, a named --region with
// another --base-url is refused with the field message, neither means us-1.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp } from '../core/test-app.testkit';
import { registerProviders } from './providers';

// The bundled app needs electron-vite's ?nodeWorker import; the test app runs the same core from source.
vi.mock('./node-app', () => ({
  createNodeApp: async (options: { dataDir: string }) => (await createTestApp({ dataDir: options.dataDir })).app,
}));

let dir: string;
let stderr: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pc-cli-endpoint-'));
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  process.env.PC_TEST_FALCON_SECRET = 'not-a-real-secret';
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  delete process.env.PC_TEST_FALCON_SECRET;
});

async function cli(...args: string[]): Promise<number> {
  const program = new Command().exitOverride();
  registerProviders(program);
  process.exitCode = undefined;
  await program.parseAsync(['providers', '--data-dir', dir, ...args], { from: 'user' });
  return Number(process.exitCode ?? 0);
}

const addZta = (name: string, ...endpoint: string[]) =>
  cli(
    'add',
    '--kind',
    'crowdstrike-zta',
    '--name',
    name,
    '--client-id',
    'a'.repeat(32),
    '--customer-id',
    'B'.repeat(32),
    ...endpoint,
    '--secret-env',
    'PC_TEST_FALCON_SECRET',
  );

async function stored(name: string) {
  const { app } = await createTestApp({ dataDir: dir });
  try {
    return app.connections.list().find((p) => p.config.name === name)?.config;
  } finally {
    await app.close();
  }
}

describe('providers add: the Falcon endpoint', () => {
  it('--base-url without --region is a custom cloud at that URL', async () => {
    expect(await addZta('Via proxy', '--base-url', 'http://127.0.0.1:4010')).toBe(0);
    expect(await stored('Via proxy')).toMatchObject({ region: 'custom', baseUrl: 'http://127.0.0.1:4010' });
  });

  it('a named --region with another --base-url is refused with the fix, and nothing is stored', async () => {
    expect(await addZta('Both', '--region', 'us-2', '--base-url', 'http://127.0.0.1:4010')).toBe(2);
    expect(stderr).toContain('The us-2 cloud has its own API host (api.us-2.crowdstrike.com) and takes no base URL');
    expect(await stored('Both')).toBeUndefined();
  });

  it('neither option is us-1', async () => {
    expect(await addZta('Default')).toBe(0);
    const config = await stored('Default');
    expect(config).toMatchObject({ region: 'us-1' });
    expect(config).not.toHaveProperty('baseUrl');
  });
});
