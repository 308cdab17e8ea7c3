// `posture-console sinks …` (the built bundle) against a real rsyslog over TLS: add with a CA file, Test, status,
// list, dead letters, remove; a token never from argv.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRsyslog, type Rsyslog } from '../core/forward/syslog/rsyslog.testkit';
import { cliLauncher, repoRoot } from '../reliability/cli-build';

const temp = mkdtempSync(join(tmpdir(), 'pc-cli-sinks-'));
const dataDir = join(temp, 'data');
let rsyslog: Rsyslog;

beforeAll(async () => {
  rsyslog = await startRsyslog(mkdtempSync(join(temp, 'rsyslog-')), { tls: true });
});
afterAll(async () => {
  await rsyslog.stop();
  rmSync(temp, { recursive: true, force: true });
});

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
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

describe('posture-console sinks', () => {
  it('adds a syslog sink with a CA file, tests it layer by layer, shows its status and removes it', async () => {
    const ca = join(temp, 'ca.pem');
    writeFileSync(ca, rsyslog.certificates!.caPem);
    const add = await run([
      'sinks',
      '--data-dir',
      dataDir,
      'add',
      '--kind',
      'syslog',
      '--name',
      'SIEM',
      '--host',
      'localhost',
      '--port',
      String(rsyslog.port),
      '--ca-file',
      ca,
      // Only posture changes: the audit entries of these commands would otherwise wait in its queue.
      '--events',
      'posture.change',
    ]);
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^Added SIEM \(/);

    const test = await run(['sinks', '--data-dir', dataDir, 'test', 'SIEM']);
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/✓ TLS handshake: TLSv1\.[23]/);
    expect(test.stdout).toMatch(/✓ Test message written/);
    await rsyslog.waitFor((ids) => ids.some((id) => id.startsWith('test:')));

    const status = await run(['sinks', '--data-dir', dataDir, '--json', 'status', 'SIEM']);
    expect(JSON.parse(status.stdout)).toMatchObject([{ name: 'SIEM', pending: 0, dropped: 0, deadLetters: 0 }]);
    const list = await run(['sinks', '--data-dir', dataDir, 'list']);
    expect(list.stdout).toMatch(/^SIEM\tsyslog\ton\t0 pending/m);
    const dead = await run(['sinks', '--data-dir', dataDir, 'dead-letters', 'SIEM']);
    expect(dead.stdout).toBe('No dead letters for SIEM.\n');

    const remove = await run(['sinks', '--data-dir', dataDir, 'remove', 'SIEM']);
    expect(remove.stdout).toBe('Removed SIEM.\n');
    expect((await run(['sinks', '--data-dir', dataDir, 'list'])).stdout).toMatch(/^No sinks/);
  });

  it('a Test against an untrusted certificate fails with exit 1, the cause and the fix', async () => {
    const add = await run([
      'sinks',
      '--data-dir',
      dataDir,
      'add',
      '--kind',
      'syslog',
      '--name',
      'No CA',
      '--host',
      '127.0.0.1',
      '--port',
      String(rsyslog.port),
    ]);
    expect(add.status, add.stderr).toBe(0);
    const test = await run(['sinks', '--data-dir', dataDir, 'test', 'No CA']);
    expect(test.status).toBe(1);
    expect(test.stdout).toMatch(/✗ TLS handshake: .*not signed by a CA/);
    expect(test.stdout).toMatch(/fix: +Paste the CA certificate/);
  });

  it('refuses a HEC sink without a token, naming the field and the fix (exit 2)', async () => {
    const add = await run(['sinks', '--data-dir', dataDir, 'add', '--kind', 'splunk-hec', '--name', 'Splunk', '--url', 'https://splunk.example.com:8088']);
    expect(add.status).toBe(2);
    expect(add.stderr).toMatch(/--token-env: Enter the HEC token/);
    expect(add.stderr).toMatch(/^fix: \S/m);
  });
});
