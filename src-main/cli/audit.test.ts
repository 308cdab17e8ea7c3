// The built CLI and the audit trail: every command that acts appends exactly one entry (surface CLI, with its command),
// every other appends none; `audit verify` passes on an untouched trail and names the entry edited in the SQLite file;
// `audit list --csv` writes the trail. The command list comes from the CLI's own help, so a new command must be sorted here.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type Simulator } from '../../sim';
import type { AuditEntry } from '../../src-shared/schemas/audit';
import { cliLauncher, repoRoot } from '../reliability/cli-build';
import { commands } from './commands';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 120_000 });

const SECRET = `CliAuditSecret${'5'.repeat(20)}Hqzt`;
const CLIENT_ID = 'b'.repeat(32);
const temp = mkdtempSync(join(tmpdir(), 'pc-cli-audit-'));
const dataDir = join(temp, 'data');
let sim: Simulator;
let syslog: Server;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliLauncher, ...args], { cwd: repoRoot, env: { ...process.env, PC_AUDIT_SECRET: SECRET, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The trail as the SQLite file holds it, read beside the CLI (WAL lets a reader in). */
function entries(): AuditEntry[] {
  const db = new DatabaseSync(join(dataDir, 'posture-log.sqlite'), { readOnly: true });
  try {
    return (db.prepare('SELECT doc FROM audit_entries ORDER BY seq').all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as AuditEntry);
  } finally {
    db.close();
  }
}

/** The CLI's commands, as its help lists them: `providers add`, `poll`, … */
async function commandLeaves(): Promise<string[]> {
  const leaves: string[] = [];
  for (const name of Object.keys(commands)) {
    const help = (await run([name, '--help'])).stdout;
    const section = help.split(/^Commands:$/m)[1];
    const subs = section ? [...section.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]!).filter((s) => s !== 'help') : [];
    leaves.push(...(subs.length ? subs.map((s) => `${name} ${s}`) : [name]));
  }
  return leaves.sort();
}

const d = ['--data-dir', dataDir];
/** Each command that acts, as run here; each must append exactly one entry. */
const acting: Record<string, string[]> = {
  'providers add': [
    'providers',
    'add',
    ...d,
    '--kind',
    'crowdstrike-zta',
    '--name',
    'ZTA',
    '--client-id',
    CLIENT_ID,
    '--region',
    'custom',
    '--secret-env',
    'PC_AUDIT_SECRET',
  ],
  'providers test': ['providers', 'test', 'ZTA', ...d],
  'checks add': ['checks', 'add', ...d, '--provider', 'ZTA', '--name', 'ZTA 60', '--attribute', 'overall', '--operator', '>=', '--value', '60'],
  'checks what-if': ['checks', 'what-if', ...d, '--provider', 'ZTA', '--check', 'ZTA 60', '--value', '80'],
  poll: ['poll', 'ZTA', ...d],
  'rules import': ['rules', 'import', '-', ...d],
  'iocs push': [
    'iocs',
    'push',
    ...d,
    '--integration',
    'Detections',
    '--type',
    'domain',
    '--value',
    'cli-audit.example',
    '--action',
    'detect',
    '--severity',
    'high',
  ],
  'checks remove': ['checks', 'remove', 'ZTA 60', ...d],
  'providers remove': ['providers', 'remove', 'Detections', ...d],
  // The port is set in beforeAll: a plain TCP listener, so the sink's Test passes.
  'sinks add': ['sinks', 'add', ...d, '--kind', 'syslog', '--name', 'SIEM', '--host', '127.0.0.1', '--transport', 'tcp'],
  'sinks test': ['sinks', 'test', 'SIEM', ...d],
  'sinks dead-letters': ['sinks', 'dead-letters', 'SIEM', '--discard', ...d],
  'sinks remove': ['sinks', 'remove', 'SIEM', ...d],
};
/** Commands that only read; each must append nothing. */
const reading: Record<string, string[]> = {
  'providers list': ['providers', 'list', ...d],
  'checks list': ['checks', 'list', ...d],
  export: ['export', ...d, '--out', join(temp, 'log.csv')],
  'rules check': ['rules', 'check', '-', ...d],
  'rules export': ['rules', 'export', ...d],
  'iocs list': ['iocs', 'list', ...d],
  'audit verify': ['audit', 'verify', ...d],
  'audit list': ['audit', 'list', ...d],
  'sinks list': ['sinks', 'list', ...d],
  'sinks status': ['sinks', 'status', ...d],
};
/** Long-running servers: `serve` acts through the web host's handlers (covered by audit-coverage.test.ts). */
const servers = ['serve', 'simulate'];
/** Commands that poll every posture source first: one `posture.polled` entry per source (tested on their own below). */
const pollers = ['coverage'];

const RULES = JSON.stringify({ detection_rules: [{ condition: 'severity >= 70', action: 'create_incident', priority: 'P1' }] });

beforeAll(async () => {
  sim = await startSimulator({ devices: 20, seed: 5, alerts: 0 });
  sim.addFalconClient({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    scopes: ['zero-trust-assessment:read', 'devices:read', 'alerts:read', 'ioc:read', 'ioc:write'],
  });
  acting['providers add']!.push('--base-url', sim.url, '--customer-id', sim.credentials.falcon.customerId);
  syslog = createServer((socket) => socket.resume());
  await new Promise<void>((resolve) => syslog.listen(0, '127.0.0.1', resolve));
  acting['sinks add']!.push('--port', String((syslog.address() as AddressInfo).port));
});
afterAll(async () => {
  await new Promise((resolve) => syslog.close(resolve));
  await sim.close();
  rmSync(temp, { recursive: true, force: true });
});

function runWithStdin(args: string[], stdin: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliLauncher, ...args], { cwd: repoRoot, env: { ...process.env, PC_AUDIT_SECRET: SECRET } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('the CLI and the audit trail', () => {
  it('sorts every command in its help into acting, reading or server', async () => {
    expect(await commandLeaves()).toEqual([...Object.keys(acting), ...Object.keys(reading), ...servers, ...pollers].sort());
  });

  it('appends exactly one entry per acting command, none per reading one, with the CLI and its command as the actor', async () => {
    // The detections integration the IOC push goes through, added by the same command (counted like any other).
    const integration = await run([
      'providers',
      'add',
      ...d,
      '--kind',
      'crowdstrike-falcon-incidents',
      '--name',
      'Detections',
      '--client-id',
      CLIENT_ID,
      '--base-url',
      sim.url,
      '--secret-env',
      'PC_AUDIT_SECRET',
    ]);
    expect(integration.status, integration.stderr).toBe(0);
    expect(entries()).toHaveLength(1);
    for (const [name, args] of Object.entries(acting)) {
      const before = entries().length;
      const result = name === 'rules import' ? await runWithStdin(args, RULES) : await run(args);
      expect(result.status, `${name}: ${result.stderr}`).toBe(0);
      const after = entries();
      expect(after.length - before, `entries appended by ${name}`).toBe(1);
      expect(after.at(-1)!.actor).toMatchObject({ surface: 'cli', command: name, session: null });
      if (name === 'rules import') expect(after.at(-1)!.action).toBe('rules.imported');
    }
    const before = entries().length;
    for (const [name, args] of Object.entries(reading)) {
      const result = name === 'rules check' ? await runWithStdin(args, RULES) : await run(args);
      expect(result.status, `${name}: ${result.stderr}`).toBe(0);
      expect(entries().length, `entries appended by ${name}`).toBe(before);
    }
    const actions = entries().map((e) => e.action);
    expect(actions).toEqual([
      'provider.added',
      'provider.added',
      'provider.tested',
      'check.created',
      'posture.polled',
      'posture.polled',
      'rules.imported',
      'ioc.pushed',
      'check.removed',
      'provider.removed',
      'sink.added',
      'sink.tested',
      'sink.dead_letters_discarded',
      'sink.removed',
    ]);
    expect(JSON.stringify(entries())).not.toContain(SECRET);
  });

  it('audit verify passes on the untouched trail, then names the entry edited in the SQLite file (exit 1)', async () => {
    const ok = await run(['audit', 'verify', ...d]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/✓ Audit trail intact: 14 entries verified \(entries 1–14\)/);

    const db = new DatabaseSync(join(dataDir, 'posture-log.sqlite'));
    db.prepare(`UPDATE audit_entries SET doc = replace(doc, '"ZTA 60"', '"ZTA 10"') WHERE seq = 4`).run();
    db.close();
    const broken = await run(['audit', 'verify', ...d]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/✗ Audit trail broken at entry 4 \(\d{4}-.*Z\): edited\./);
    expect(broken.stdout).toMatch(/3 entries before it verified/);
  });

  it('audit list prints the trail and --csv writes it, without the secret', async () => {
    const list = await run(['audit', 'list', ...d, '--surface', 'cli', '--action', 'provider']);
    expect(list.status).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(4);
    expect(list.stdout).toMatch(/^1\t.*\tCLI \S+ "providers add"\tprovider\.added\tAdded provider 'Detections'/m);
    const csvFile = join(temp, 'audit.csv');
    const written = await run(['audit', 'list', ...d, '--csv', csvFile]);
    expect(written.stdout).toMatch(/Wrote 14 entries/);
    const csv = readFileSync(csvFile, 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      '\uFEFFseq,id,time,surface,os_user,session,command,claimed_actor,action,target_kind,target_id,target_name,outcome,error,summary,changes',
    );
    expect(csv).toContain('provider.removed');
    expect(csv).not.toContain(SECRET);
  });

  it('coverage appends one posture.polled entry per posture source it polls, with coverage as the command', async () => {
    const own = join(temp, 'coverage-data');
    const dd = ['--data-dir', own];
    const env = { PC_S1_TOKEN: sim.credentials.sentinelOne.apiToken, PC_FALCON_SECRET: sim.credentials.falcon.clientSecret };
    const s1 = await run(['providers', 'add', ...dd, '--kind', 'sentinelone', '--name', 'S1', '--api-url', sim.url, '--secret-env', 'PC_S1_TOKEN'], env);
    expect(s1.status, s1.stderr).toBe(0);
    const falcon = sim.credentials.falcon;
    const zta = await run(
      ['providers', 'add', ...dd, '--kind', 'crowdstrike-zta', '--name', 'Falcon', '--client-id', falcon.clientId, '--customer-id', falcon.customerId].concat([
        '--base-url',
        sim.url,
        '--secret-env',
        'PC_FALCON_SECRET',
      ]),
      env,
    );
    expect(zta.status, zta.stderr).toBe(0);
    const read = (): AuditEntry[] => {
      const db = new DatabaseSync(join(own, 'posture-log.sqlite'), { readOnly: true });
      try {
        return (db.prepare('SELECT doc FROM audit_entries ORDER BY seq').all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as AuditEntry);
      } finally {
        db.close();
      }
    };
    const before = read().length;
    const result = await run(['coverage', ...dd], env);
    expect(result.status, result.stderr).toBe(0);
    const added = read().slice(before);
    expect(added.map((e) => e.action)).toEqual(['posture.polled', 'posture.polled']);
    for (const entry of added) expect(entry.actor).toMatchObject({ surface: 'cli', command: 'coverage' });
  });
});
