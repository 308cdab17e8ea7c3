// The built command line as a newcomer meets it: every ordinary mistake ends as a message and a fix with
// exit code 2, never a stack; empty results say so; checks can be set up without the UI.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type Simulator } from '../../sim';
import { cliLauncher, repoRoot } from '../reliability/cli-build';
import { commands } from './commands';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const temp = mkdtempSync(join(tmpdir(), 'pc-cli-test-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliLauncher, ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A failure as the README promises it: exit code 2, an `error:` line, a `fix:` line, and no stack frame. */
function expectCleanFailure(result: Run, message: RegExp): void {
  const output = result.stdout + result.stderr;
  expect(output, output).not.toMatch(/^\s+at /m);
  expect(output).not.toMatch(/node:internal|triggerUncaughtException|ZodError|Invalid discriminator|expected string, received|highlighted/);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).toMatch(/^fix: \S/m);
  expect(result.status, output).toBe(2);
}

// Every test spawns the CLI a few times; on a loaded 2-core machine one spawn can take seconds.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(temp, 'data-'));
});

describe('mistakes end as a message and a fix, exit 2', () => {
  it('export into a folder that does not exist names the folder', async () => {
    const result = await run(['export', '--data-dir', dataDir, '--out', join(temp, 'nonexistent-dir', 'x.csv')]);
    expectCleanFailure(result, /^error: --out .*x\.csv: the folder .*nonexistent-dir does not exist\.$/m);
  });

  it('export to a folder asks for a file name, before any progress line', async () => {
    const result = await run(['export', '--data-dir', dataDir, '--out', `${temp}/`]);
    expectCleanFailure(result, /^error: --out .* is a folder; name the file to write\.$/m);
    expect(result.stderr).not.toMatch(/rows/);
  });

  it('a data directory that is a file is refused by name', async () => {
    const file = join(temp, 'a-file');
    writeFileSync(file, 'not a folder');
    const result = await run(['providers', 'list', '--data-dir', file]);
    expectCleanFailure(result, /^error: --data-dir .*a-file is a file, not a folder\.$/m);
    const inside = await run(['providers', 'list', '--data-dir', join(file, 'sub')]);
    expectCleanFailure(inside, /is inside .*a-file, which is a file, not a folder/);
  });

  it('a missing required option is named with its accepted values', async () => {
    const result = await run(['providers', '--data-dir', dataDir, 'add', '--name', 'x']);
    expectCleanFailure(result, /^error: Missing --kind: one of crowdstrike-zta, sentinelone, intune, jamf, kandji, custom, crowdstrike-falcon-incidents\.$/m);
    const out = await run(['export', '--data-dir', dataDir]);
    expectCleanFailure(out, /^error: Missing --out: the CSV file to write\.$/m);
  });

  it('an unknown option and an out-of-range port are usage errors', async () => {
    const unknown = await run(['providers', '--data-dir', dataDir, 'add', '--kind', 'sentinelone', '--name', 'x', '--bogus']);
    expectCleanFailure(unknown, /^error: Unknown option '--bogus'/m);
    expect(unknown.stderr).toMatch(/`posture-console providers add --help`/);
    const port = await run(['serve', '--port', '99999']);
    expectCleanFailure(port, /^error: --port 99999 is not valid: expected a port number from 0 to 65535\.$/m);
  });

  it('a bad --result names the option as typed and the values it takes', async () => {
    const result = await run(['export', '--data-dir', dataDir, '--out', join(temp, 'x.csv'), '--result', 'maybe']);
    expectCleanFailure(result, /^ {2}--result: Result must be pass, fail or unknown\.$/m);
    expect(result.stderr).not.toMatch(/--results/);
    expect(existsSync(join(temp, 'x.csv'))).toBe(false);
  });

  it('an unknown provider kind lists the kinds; every missing field is reported at once, as options', async () => {
    const kind = await run(['providers', '--data-dir', dataDir, 'add', '--kind', 'crowdstrike', '--name', 'x']);
    expectCleanFailure(kind, /^ {2}--kind: Kind must be one of crowdstrike-zta, sentinelone, intune, jamf, kandji, custom, crowdstrike-falcon-incidents\.$/m);
    const fields = await run(['providers', '--data-dir', dataDir, 'add', '--kind', 'crowdstrike-zta', '--name', 'x']);
    expectCleanFailure(fields, /^error: 2 values to correct:$/m);
    expect(fields.stderr).toMatch(/^ {2}--client-id: Client ID is required\.$/m);
    expect(fields.stderr).toMatch(/^ {2}--customer-id: Customer ID is required\.$/m);
  });

  it('rules check on a bad file exits 2 with each problem and a fix; an unreadable file too', async () => {
    const file = join(temp, 'rules.json');
    writeFileSync(file, JSON.stringify({ detection_rules: [{ condition: 'sevrity >= 3' }] }));
    const bad = await run(['rules', '--data-dir', dataDir, 'check', file]);
    expectCleanFailure(bad, /^✗ detection_rules\[0\]\.condition: unknown field 'sevrity' — did you mean 'severity'\?$/m);
    const missing = await run(['rules', '--data-dir', dataDir, 'check', join(temp, 'none.json')]);
    expectCleanFailure(missing, /^error: Cannot read .*none\.json\.$/m);
  });
});

describe('help', () => {
  it("lists every command from the table, which agrees with each command's own help", async () => {
    const top = await run(['--help']);
    expect(top.status).toBe(0);
    const flat = top.stdout.replace(/\s+/g, ' ');
    for (const entry of Object.values(commands))
      expect(flat).toContain(`${entry.term.replace(' ', ' [options] ')}${entry.term.includes(' ') ? '' : ' [options]'} ${entry.description}`);
    for (const [name, entry] of Object.entries(commands)) {
      const own = await run([name, '--help']);
      expect(own.status, own.stderr).toBe(0);
      expect(own.stdout.replace(/\s+/g, ' ')).toContain(`Usage: posture-console ${name} `);
      expect(own.stdout.replace(/\s+/g, ' ')).toContain(` ${entry.description} `);
    }
    const unknown = await run(['exprot']);
    expectCleanFailure(unknown, /^error: Unknown command 'exprot'/m);
  });
});

describe('an unexpected failure', () => {
  it('prints its cause and the log file it wrote, which exists and holds the stack (no "see the log" without a log)', async () => {
    const dir = mkdtempSync(join(temp, 'corrupt-'));
    writeFileSync(join(dir, 'settings.json'), '{not json');
    const result = await run(['providers', 'list', '--data-dir', dir]);
    expectCleanFailure(result, /^error: posture-console failed unexpectedly: The config file `.*settings\.json` is not valid JSON\.$/m);
    const log = /The details, with the stack, are in (\S+)\. /.exec(result.stderr)?.[1];
    expect(log).toBe(join(dir, 'cli.log'));
    expect(readFileSync(log!, 'utf8')).toMatch(/"stack":"SyntaxError: The config file/);
    expect(statSync(log!).mode & 0o077).toBe(0);
  });
});

describe('an unexpected failure in export', () => {
  it('names the settings file as the other commands do, and logs it to cli.log', async () => {
    const dir = mkdtempSync(join(temp, 'corrupt-export-'));
    writeFileSync(join(dir, 'settings.json'), '{not json');
    const result = await run(['export', '--data-dir', dir, '--out', join(dir, 'x.csv')]);
    expectCleanFailure(result, /^error: posture-console failed unexpectedly: The config file `.*settings\.json` is not valid JSON\.$/m);
    const log = /The details, with the stack, are in (\S+)\. /.exec(result.stderr)?.[1];
    expect(log).toBe(join(dir, 'cli.log'));
    expect(readFileSync(log!, 'utf8')).toMatch(/"stack":"SyntaxError: The config file/);
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });
});

describe('empty results say so', () => {
  it('iocs list with nothing pushed', async () => {
    const result = await run(['iocs', '--data-dir', dataDir, 'list']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^No IOCs pushed from this console yet\./);
  });

  it('rules export --out says what it wrote', async () => {
    const file = join(temp, 'exported-rules.json');
    const result = await run(['rules', '--data-dir', dataDir, 'export', '--out', file]);
    expect(result.status, result.stderr).toBe(0);
    const count = (JSON.parse(readFileSync(file, 'utf8')) as { detection_rules: unknown[] }).detection_rules.length;
    expect(result.stdout).toBe(`Wrote ${count} rule${count === 1 ? '' : 's'} to ${file}.\n`);
  });

  it('an export of nothing says why it may be empty', async () => {
    const file = join(temp, 'empty.csv');
    const result = await run(['export', '--data-dir', dataDir, '--out', file]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Wrote 0 rows to /);
    expect(result.stderr).toMatch(/No posture checks exist, so polls record no rows\. Add one with `posture-console checks add`/);
    // The progress line ends before the hint starts.
    expect(result.stderr).not.toMatch(/rows[^\n]*No posture/);
  });
});

describe('serve', () => {
  /** Starts serve, returns what it printed once the URL is out, then stops it with `signal`. */
  const serve = (args: string[], signal: NodeJS.Signals = 'SIGTERM', env: NodeJS.ProcessEnv = {}) =>
    new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, [cliLauncher, 'serve', '--port', '0', ...args], {
        cwd: repoRoot,
        env: { ...process.env, POSTURE_CONSOLE_LOG_LEVEL: 'warn', ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (/^Data directory: /m.test(stdout)) child.kill(signal);
      });
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  it('--host 0.0.0.0 prints a URL per address of this machine, never 0.0.0.0', async () => {
    const result = await serve(['--data-dir', mkdtempSync(join(temp, 'serve-')), '--host', '0.0.0.0']);
    expect(result.stderr).toMatch(/^WARNING: binding to 0\.0\.0\.0/m);
    expect(result.stdout).not.toMatch(/0\.0\.0\.0/);
    const printed = [...result.stdout.matchAll(/^ {2}http:\/\/([^/]+):\d+\/#token=[\w-]+$/gm)].map((m) => m[1]);
    const own = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a?.family === 'IPv4')
      .map((a) => a!.address);
    expect(printed).toContain('127.0.0.1');
    expect(printed.sort()).toEqual([...new Set([...own, '127.0.0.1'])].sort());
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('--demo removes its throwaway data directory (and vault.key) on %s', async (signal) => {
    const result = await serve(['--demo'], signal);
    const dir = /^Data directory: (\S+) \(throwaway: deleted when the server stops\)$/m.exec(result.stdout)?.[1];
    expect(dir, result.stdout + result.stderr).toMatch(/posture-console-demo-/);
    expect(result.status).toBe(0);
    expect(existsSync(dir!)).toBe(false);
  });

  it('an empty serve has not loaded undici when it prints its URL: the HTTP clients load it with their first request', async () => {
    // Preloaded into the served process: lists the undici files it has loaded once the URL is out.
    const probe = join(temp, 'undici-probe.cjs');
    writeFileSync(
      probe,
      `const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  if (/^Data directory: /m.test(String(chunk))) process.stderr.write('undici files loaded: ' + Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/]undici[\\\\/]/.test(f)).length + '\\n');
  return write(chunk, ...rest);
};
`,
    );
    const result = await serve(['--data-dir', mkdtempSync(join(temp, 'serve-'))], 'SIGTERM', { NODE_OPTIONS: `--require ${probe}` });
    expect(result.stderr).toMatch(/^undici files loaded: 0$/m);
  });

  it('a port in use is a message and a fix', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const child = await run(['serve', '--data-dir', mkdtempSync(join(temp, 'serve-')), '--port', String(port)]);
    blocker.close();
    expectCleanFailure(child, new RegExp(`^error: Port ${port} on 127\\.0\\.0\\.1 is already in use\\.$`, 'm'));
  });
});

describe('checks from the command line', () => {
  let sim: Simulator;
  let dir: string;
  const env = () => ({ PC_TEST_S1: sim.credentials.sentinelOne.apiToken, PC_TEST_FALCON: sim.credentials.falcon.clientSecret });

  beforeAll(async () => {
    sim = await startSimulator({ devices: 120, seed: 5 });
    dir = mkdtempSync(join(temp, 'checks-'));
    const add = await run(
      ['providers', '--data-dir', dir, 'add', '--kind', 'sentinelone', '--name', 'S1', '--api-url', sim.url, '--secret-env', 'PC_TEST_S1'],
      env(),
    );
    expect(add.status, add.stderr).toBe(0);
    const incidents = await run(
      [
        'providers',
        '--data-dir',
        dir,
        'add',
        '--kind',
        'crowdstrike-falcon-incidents',
        '--name',
        'Detections',
        '--client-id',
        sim.credentials.falcon.clientId,
        '--region',
        'custom',
        '--base-url',
        sim.url,
        '--secret-env',
        'PC_TEST_FALCON',
      ],
      env(),
    );
    expect(incidents.status, incidents.stderr).toBe(0);
  });
  afterAll(() => sim.close());

  it('a provider without checks is named by checks list', async () => {
    const result = await run(['checks', '--data-dir', dir, 'list']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^S1 has no checks: its polls evaluate nothing\./m);
    expect(result.stdout).not.toMatch(/Detections has no checks/);
  });

  it('add validates as the editor does, every field at once, and names options', async () => {
    const both = await run(['checks', '--data-dir', dir, 'add', '--provider', 'S1', '--name', ' ', '--attribute', 'sevrity']);
    expectCleanFailure(both, /^error: 2 values to correct:$/m);
    expect(both.stderr).toMatch(/^ {2}--name: Enter a name for this check\.$/m);
    expect(both.stderr).toMatch(
      /^ {2}--attribute: Attribute must be one of overall, os, .*operational_state \(SentinelOne\), complianceState, .*lastSyncDateTime \(Microsoft Intune\), managed, .*reportDate \(Jamf Pro\), mdm_enabled, .*blueprint_name \(Kandji\), score, custom_attribute \(Custom endpoint\) or present_in \(any source\)\.$/m,
    );
    const kind = await run([
      'checks',
      '--data-dir',
      dir,
      'add',
      '--provider',
      'S1',
      '--name',
      'ZTA',
      '--attribute',
      'overall',
      '--operator',
      '>=',
      '--value',
      '70',
    ]);
    expectCleanFailure(
      kind,
      /^ {2}--attribute: Overall score is a CrowdStrike Falcon ZTA \(device posture\) attribute, but "S1" is a SentinelOne \(device posture\) provider\./m,
    );
    const value = await run([
      'checks',
      '--data-dir',
      dir,
      'add',
      '--provider',
      'S1',
      '--name',
      'T',
      '--attribute',
      'active_threats',
      '--operator',
      '<=',
      '--value',
      'none',
    ]);
    expectCleanFailure(value, /^ {2}--value: Threat count must be a whole number from 0 to 10000\.$/m);
    const extra = await run([
      'checks',
      '--data-dir',
      dir,
      'add',
      '--provider',
      'S1',
      '--name',
      'I',
      '--attribute',
      'infected',
      '--expected',
      'false',
      '--value',
      '3',
    ]);
    expectCleanFailure(extra, /^error: --value does not apply to --attribute infected\.$/m);
    const incidents = await run([
      'checks',
      '--data-dir',
      dir,
      'add',
      '--provider',
      'Detections',
      '--name',
      'I',
      '--attribute',
      'infected',
      '--expected',
      'false',
    ]);
    expectCleanFailure(incidents, /^ {2}--provider: "Detections" is a CrowdStrike Falcon detections → incidents connection; posture checks run on/m);
    const nobody = await run(['checks', '--data-dir', dir, 'add', '--provider', 'Nobody', '--name', 'I', '--attribute', 'infected', '--expected', 'false']);
    expectCleanFailure(nobody, /^error: No provider named 'Nobody'\.$/m);
    expect((await run(['checks', '--data-dir', dir, '--json', 'list'])).stdout.trim()).toBe('[]');
  });

  it('add, list, what-if, poll and remove', async () => {
    const add = await run([
      'checks',
      '--data-dir',
      dir,
      'add',
      '--provider',
      'S1',
      '--name',
      'No threats',
      '--attribute',
      'active_threats',
      '--operator',
      '<=',
      '--value',
      '0',
    ]);
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toBe('Added "No threats" on S1: active_threats <= 0. The next poll evaluates it.\n');
    const infected = await run([
      'checks',
      '--data-dir',
      dir,
      '--json',
      'add',
      '--provider',
      'S1',
      '--name',
      'Not infected',
      '--attribute',
      'infected',
      '--expected',
      'false',
    ]);
    expect(JSON.parse(infected.stdout)).toMatchObject({ name: 'Not infected', enabled: true, rule: { attribute: 'infected', expected: false } });
    const dupe = await run(['checks', '--data-dir', dir, 'add', '--provider', 'S1', '--name', 'no threats', '--attribute', 'infected', '--expected', 'false']);
    expectCleanFailure(dupe, /^ {2}--name: A check named "no threats" already exists on "S1"\.$/m);

    const list = await run(['checks', '--data-dir', dir, 'list']);
    expect(list.stdout).toBe('No threats\tS1\tactive_threats <= 0\tenabled\nNot infected\tS1\tinfected = false\tenabled\n');

    const whatIf = await run(['checks', '--data-dir', dir, '--json', 'what-if', '--provider', 'S1', '--check', 'No threats', '--value', '1000']);
    expect(whatIf.status, whatIf.stderr).toBe(0);
    const result = JSON.parse(whatIf.stdout) as { devices: number; counts: { pass: number; fail: number; unknown: number }; savedCounts: { fail: number } };
    expect(result.devices).toBeGreaterThan(0);
    expect(result.counts.pass + result.counts.fail + result.counts.unknown).toBe(result.devices);
    expect(result.counts.fail).toBe(0);
    expect(result.savedCounts.fail).toBeGreaterThan(0);
    const text = await run(['checks', '--data-dir', dir, 'what-if', '--provider', 'S1', '--attribute', 'active_threats', '--operator', '<=', '--value', '0']);
    expect(text.stdout).toMatch(/^ {2}draft: {2}\d+ pass, \d+ fail, \d+ unknown$/m);
    expect(text.stdout).toMatch(/Nothing was saved\.\n$/);
    // The what-if saved nothing: the check keeps its rule.
    expect((await run(['checks', '--data-dir', dir, 'list'])).stdout).toMatch(/^No threats\tS1\tactive_threats <= 0\tenabled$/m);

    const csv = join(dir, 'log.csv');
    expect((await run(['export', '--data-dir', dir, '--out', csv])).status).toBe(0);
    const records = readFileSync(csv, 'utf8').split('\r\n').filter(Boolean);
    expect(records.length).toBeGreaterThan(1);
    // Providers and checks by the names saved in the settings: the provider column shows the name, filters take it.
    expect(records.slice(1).filter((line) => !line.includes(',S1,'))).toEqual([]);
    const filtered = join(dir, 'filtered.csv');
    const byName = await run(['export', '--data-dir', dir, '--out', filtered, '--provider', 's1', '--check', 'Not infected']);
    expect(byName.status, byName.stderr).toBe(0);
    const wrote = Number(/^Wrote (\d+) rows/.exec(byName.stdout)?.[1]);
    expect(wrote).toBeGreaterThan(0);
    expect(wrote).toBeLessThan(records.length - 1);
    expectCleanFailure(await run(['export', '--data-dir', dir, '--out', filtered, '--check', 'Nope']), /^error: No check named 'Nope'\.$/m);

    const remove = await run(['checks', '--data-dir', dir, 'remove', 'no threats']);
    expect(remove.stdout).toBe('Removed "No threats".\n');
    const again = await run(['checks', '--data-dir', dir, 'remove', 'no threats']);
    expectCleanFailure(again, /^error: No check named 'no threats'\.$/m);
  });
});

describe('providers add for Jamf Pro, Kandji and the custom endpoint (flags named after the fields)', () => {
  let sim: Simulator;
  let dir: string;

  beforeAll(async () => {
    sim = await startSimulator({ devices: 120, seed: 6 });
    dir = mkdtempSync(join(temp, 'mdm-'));
  });
  afterAll(() => sim.close());

  it('adds each, tests it (exit 0), and a wrong Jamf secret exits 1 naming the cause', async () => {
    const env = {
      PC_JAMF: sim.credentials.jamf.clientSecret,
      PC_KANDJI: sim.credentials.kandji.apiToken,
      PC_CUSTOM: sim.credentials.custom.bearerToken,
      PC_BAD: 'nope',
    };
    const adds = [
      ['--kind', 'jamf', '--name', 'Jamf', '--server-url', sim.jamfUrl, '--client-id', sim.credentials.jamf.clientId, '--secret-env', 'PC_JAMF'],
      ['--kind', 'kandji', '--name', 'Kandji', '--api-url', sim.kandjiUrl(), '--secret-env', 'PC_KANDJI'],
      ['--kind', 'custom', '--name', 'Custom', '--url', sim.customUrl, '--auth', 'bearer', '--batch-size', '200', '--secret-env', 'PC_CUSTOM'],
      ['--kind', 'jamf', '--name', 'Jamf bad', '--server-url', sim.jamfUrl, '--client-id', sim.credentials.jamf.clientId, '--secret-env', 'PC_BAD'],
    ];
    for (const args of adds) {
      const result = await run(['providers', '--data-dir', dir, 'add', ...args], env);
      expect(result.status, result.stderr).toBe(0);
    }
    for (const name of ['Jamf', 'Kandji', 'Custom']) {
      const test = await run(['providers', '--data-dir', dir, 'test', name]);
      expect(test.status, test.stdout + test.stderr).toBe(0);
    }
    const bad = await run(['providers', '--data-dir', dir, 'test', 'Jamf bad']);
    expect(bad.status).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/Generate client secret/);
    const badUrl = await run([
      'providers',
      '--data-dir',
      dir,
      'add',
      '--kind',
      'custom',
      '--name',
      'X',
      '--url',
      'http://posture.example.com/p',
      '--auth',
      'none',
    ]);
    expectCleanFailure(badUrl, /--url: Use an https:\/\/ URL/);
  });
});
