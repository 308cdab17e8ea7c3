// `posture-console coverage` as a process against the simulator: it polls both sources, lists the devices one reports
// and the other does not, writes exactly that set to CSV, and names a mistyped source with a fix.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type Simulator } from '../../sim';
import { cliLauncher, repoRoot } from '../reliability/cli-build';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

const temp = mkdtempSync(join(tmpdir(), 'pc-cli-coverage-'));
let sim: Simulator;
let dir: string;

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, PC_TEST_S1: sim.credentials.sentinelOne.apiToken, PC_TEST_FALCON: sim.credentials.falcon.clientSecret };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliLauncher, ...args], { cwd: repoRoot, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  sim = await startSimulator({ devices: 120, seed: 9 });
  dir = mkdtempSync(join(temp, 'data-'));
  const { falcon } = sim.credentials;
  const s1 = await run(['providers', '--data-dir', dir, 'add', '--kind', 'sentinelone', '--name', 'S1', '--api-url', sim.url, '--secret-env', 'PC_TEST_S1']);
  expect(s1.status, s1.stderr).toBe(0);
  const zta = await run([
    'providers',
    '--data-dir',
    dir,
    'add',
    '--kind',
    'crowdstrike-zta',
    '--name',
    'Falcon',
    '--client-id',
    falcon.clientId,
    '--customer-id',
    falcon.customerId,
    '--base-url',
    sim.url,
    '--secret-env',
    'PC_TEST_FALCON',
  ]);
  expect(zta.status, zta.stderr).toBe(0);
});

afterAll(async () => {
  await sim?.close();
  rmSync(temp, { recursive: true, force: true });
});

describe('posture-console coverage', () => {
  it('writes the Falcon hosts without an S1 agent to CSV, the seeded gap among them', async () => {
    const out = join(temp, 'gaps.csv');
    const result = await run(['coverage', '--data-dir', dir, '--present-in', 'Falcon', '--missing-from', 's1', '--csv', out, '--limit', '3']);
    expect(result.status, result.stderr).toBe(0);
    const count = Number(/^\s*([\d,]+)\s+in Falcon, missing from S1/m.exec(result.stdout)?.[1]?.replace(/,/g, ''));
    expect(count).toBeGreaterThan(10);
    // Only the pair asked for is listed.
    expect(result.stdout).not.toMatch(/in S1, missing from Falcon/);
    expect(result.stdout).toContain(`Wrote ${count} devices to ${out}.`);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('\uFEFFdevice,serial,serial_status,platform,present_in,missing_from,reason,why,device_key');
    expect(lines).toHaveLength(count + 1);
    const gap = sim.fleet.hostsMissingFrom('sentinelone')[0]!;
    expect(lines.find((l) => l.startsWith(`${gap.hostname},`))).toMatch(/,valid,[^,]*,Falcon,S1,not_found,No SentinelOne agent reports serial /);
  });

  it('answers in JSON with both pairs when no source is named', async () => {
    const result = await run(['coverage', '--data-dir', dir, '--json', '--limit', '2']);
    expect(result.status, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout) as { pairs: { presentIn: string; missingFrom: string; count: number }[]; devices: unknown[]; total: number };
    expect(body.pairs.map((p) => `${p.presentIn}>${p.missingFrom}`).sort()).toEqual(['Falcon>S1', 'S1>Falcon']);
    expect(body.devices).toHaveLength(2);
    expect(body.total).toBeGreaterThan(body.pairs[0]!.count - 1);
  });

  it('a source that does not exist is named, with the known ones as the fix', async () => {
    const result = await run(['coverage', '--data-dir', dir, '--missing-from', 'Intune']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: --missing-from Intune: no posture source by that name\.$/m);
    expect(result.stderr).toMatch(/^fix: Known: S1, Falcon\.$/m);
  });

  it('checks add --attribute present_in --source names the other source, and a what-if polls both', async () => {
    const add = await run(['checks', '--data-dir', dir, 'add', '--provider', 'Falcon', '--name', 'Has S1', '--attribute', 'present_in', '--source', 'S1']);
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toContain('Added "Has S1" on Falcon: present in S1.');
    const whatIf = await run(['checks', '--data-dir', dir, '--json', 'what-if', '--provider', 'Falcon', '--check', 'Has S1']);
    expect(whatIf.status, whatIf.stderr).toBe(0);
    const result = JSON.parse(whatIf.stdout) as { counts: { fail: number } };
    const gaps = JSON.parse((await run(['coverage', '--data-dir', dir, '--json', '--present-in', 'Falcon', '--missing-from', 'S1'])).stdout) as {
      pairs: { byReason: { not_found?: number } }[];
    };
    expect(result.counts.fail).toBe(gaps.pairs[0]!.byReason.not_found);
    const wrong = await run(['checks', '--data-dir', dir, 'add', '--provider', 'Falcon', '--name', 'Self', '--attribute', 'present_in', '--source', 'Falcon']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/Every device of "Falcon" is present in "Falcon"/);
    const stray = await run([
      'checks',
      '--data-dir',
      dir,
      'add',
      '--provider',
      'Falcon',
      '--name',
      'X',
      '--attribute',
      'overall',
      '--operator',
      '>=',
      '--value',
      '5',
      '--source',
      'S1',
    ]);
    expect(stray.stderr).toMatch(/--source does not apply to --attribute overall/);
  });
});
