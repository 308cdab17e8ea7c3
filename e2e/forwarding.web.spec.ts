// Forwarding end to end in the web host: the admin adds a syslog sink pointing at a local rsyslog (TLS, a CA made
// for the test) that forwards audit entries too, Tests it, polls the simulator and finds every posture change and
// every audit entry in rsyslog's file; then rsyslog stops, polling and changes go on, the Sinks screen shows the lag
// and the error, rsyslog starts again and nothing is missing. The Audit screen lists every action of the journey by
// the web host and Verify passes; once the host has stopped, an entry edited in the SQLite file makes the built CLI's
// `audit verify` fail naming it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../sim';
import type { AuditEntry } from '../src-shared/schemas/audit';
import { startRsyslog, type Rsyslog } from '../src-main/core/forward/syslog/rsyslog.testkit';
import { startConsoleHost, type ConsoleHost } from './console-host';
import { screenshotPath } from './screenshots';

const expect = baseExpect.configure({ timeout: 20_000 });

let sim: Simulator;
let host: ConsoleHost;
let rsyslog: Rsyslog;
let rsyslogDir: string;
let token: string;

async function invoke<T>(channel: string, req: unknown): Promise<T> {
  const response = await fetch(`${host.baseUrl}/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(req),
  });
  const envelope = (await response.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error?.message}`);
  return envelope.value;
}

/** Every run in the posture log (the changes view): each must have reached rsyslog as `posture:<poll>:<run id>`. */
async function loggedRunIds(): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await invoke<{ rows: { id: string }[]; nextCursor: string | null }>('postureLog.query', {
      view: 'changes',
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    ids.push(...page.rows.map((r) => r.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

/** The whole audit trail, newest first (a journey's worth fits one page). */
async function auditEntries(): Promise<AuditEntry[]> {
  const page = await invoke<{ entries: AuditEntry[]; total: number }>('audit.query', { limit: 1000 });
  expect(page.entries).toHaveLength(page.total);
  return page.entries;
}

/** Audit entries from the sink's own `sink.added` on (a new sink gets what happens next, not the past) that are not
 *  (yet) in rsyslog's file, by action. */
const missingAudit = async () => {
  const got = new Set(rsyslog.eventIds());
  const trail = await auditEntries();
  const from = trail.find((e) => e.action === 'sink.added')!.seq;
  return trail.filter((e) => e.seq >= from && !got.has(e.id)).map((e) => e.action);
};

/** The built CLI, as an admin runs it: exit status and output. */
function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/posture-console.js', ...args], (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

const receivedRunIds = () => new Set(rsyslog.eventIds().map((id) => id.split(':').at(-1)!));
const missingRuns = async () => {
  const got = receivedRunIds();
  return (await loggedRunIds()).filter((id) => !got.has(id));
};

test.beforeAll(async () => {
  test.setTimeout(90_000);
  sim = await startSimulator({ devices: 80, seed: 18, alerts: 0 });
  rsyslogDir = mkdtempSync(join(tmpdir(), 'pc-e2e-rsyslog-'));
  rsyslog = await startRsyslog(rsyslogDir, { tls: true });
  host = await startConsoleHost();
  token = host.openUrl.split('#token=')[1]!;
});

test.afterAll(async () => {
  await host?.stop();
  await rsyslog?.stop();
  await sim?.close();
  if (rsyslogDir) rmSync(rsyslogDir, { recursive: true, force: true });
});

async function openSinks(page: Page) {
  await page.goto(host.openUrl);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Sinks' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Sinks' })).toBeVisible();
}

test('a syslog sink gets every posture change, across an rsyslog restart', async ({ page }) => {
  test.setTimeout(180_000);
  const zta = await invoke<{ config: { id: string } }>('providers.save', {
    kind: 'crowdstrike-zta',
    name: 'ZTA',
    region: 'custom',
    baseUrl: sim.url,
    ...sim.credentials.falcon,
  });

  await openSinks(page);
  await page.getByRole('button', { name: 'Add sink' }).click();
  await page.getByRole('menuitem', { name: /Syslog/ }).click();
  const form = page.getByRole('form', { name: 'Sink settings' });
  await form.getByRole('textbox', { name: /^Name/ }).fill('Local rsyslog');
  await form.getByRole('textbox', { name: /^Host/ }).fill('localhost');
  await form.getByRole('textbox', { name: /^Port/ }).fill(String(rsyslog.port));
  await form.getByLabel(/CA certificate/).fill(rsyslog.certificates!.caPem);
  // Audit entries are part of what this sink forwards (the default; ticked here should it ever change).
  const auditBox = form.getByRole('group', { name: 'Forward' }).getByRole('checkbox', { name: 'Audit entries' });
  await auditBox.check();
  await expect(auditBox).toBeChecked();
  await form.getByRole('button', { name: 'Add sink' }).click();
  await expect(form).toBeHidden();

  await page.getByRole('button', { name: 'Test Local rsyslog' }).click();
  const panel = page.getByRole('region', { name: 'Test of Local rsyslog' });
  await expect(panel.getByTestId('sink-test-verdict')).toHaveText('All checks passed', { timeout: 30_000 });
  await expect(panel.getByTestId('step-tls')).toHaveAttribute('data-status', 'pass');
  await expect.poll(() => rsyslog.eventIds().some((id) => id.startsWith('test:'))).toBe(true);
  // Adding and testing the sink are audit entries; both reach rsyslog.
  await expect.poll(async () => (await auditEntries()).map((e) => e.action)).toEqual(['sink.tested', 'sink.added', 'provider.added']);
  await expect.poll(missingAudit, { timeout: 30_000 }).toEqual([]);

  // The check makes the provider poll; every run it opens is a posture change to forward.
  const check = await invoke<{ id: string }>('checks.save', {
    name: 'ZTA score',
    providerId: zta.config.id,
    rule: { attribute: 'overall', operator: '>=', value: 50 },
  });
  const poll = async (threshold: number) => {
    await invoke('checks.save', {
      id: check.id,
      name: 'ZTA score',
      providerId: zta.config.id,
      rule: { attribute: 'overall', operator: '>=', value: threshold },
    });
    const result = await invoke<{ outcome: string }>('posture.pollNow', { providerId: zta.config.id });
    expect(result.outcome).toBe('succeeded');
  };
  await poll(50);
  expect((await loggedRunIds()).length).toBeGreaterThan(0);
  await expect.poll(async () => (await missingRuns()).length, { timeout: 30_000 }).toBe(0);
  await expect.poll(missingAudit, { timeout: 30_000 }).toEqual([]);
  await expect(page.getByTestId('sink-state-Local rsyslog')).toHaveText('up to date');

  // rsyslog goes away; the console keeps polling and queues what it cannot send.
  await rsyslog.stop();
  await poll(20);
  await poll(80);
  await expect(page.getByTestId('sink-state-Local rsyslog')).toHaveText('failing');
  await expect(page.getByTestId('sink-lag-Local rsyslog')).toContainText('waiting');
  await page.screenshot({ path: screenshotPath('sinks.png') });
  expect((await missingRuns()).length).toBeGreaterThan(0);
  // The checks changed and the polls made while rsyslog was down are queued, not lost.
  expect(await missingAudit()).toEqual(['posture.polled', 'check.changed', 'posture.polled', 'check.changed']);

  await rsyslog.start();
  await expect.poll(async () => (await missingRuns()).length, { timeout: 60_000 }).toBe(0);
  await expect.poll(missingAudit, { timeout: 60_000 }).toEqual([]);
  await expect(page.getByTestId('sink-lag-Local rsyslog')).toHaveText('Nothing waiting');

  // The Audit screen lists every action of the journey, newest first, each by the web host.
  const trail = await auditEntries();
  expect(trail.map((e) => e.action)).toEqual([
    'posture.polled',
    'check.changed',
    'posture.polled',
    'check.changed',
    'posture.polled',
    'check.changed',
    'check.created',
    'sink.tested',
    'sink.added',
    'provider.added',
  ]);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Audit' })).toBeVisible();
  const rows = page.getByTestId('audit-row');
  for (const entry of trail) {
    const row = page.getByRole('button', { name: `Entry ${entry.seq}: ${entry.summary}`, exact: true });
    await row.scrollIntoViewIfNeeded();
    await expect(row).toHaveAttribute('data-action', entry.action);
    await expect(row.getByTestId('audit-surface')).toHaveText('web host');
  }
  await expect(rows.filter({ hasNot: page.getByText('web host', { exact: true }) })).toHaveCount(0);
  await page.getByRole('button', { name: 'Verify' }).click();
  const verdict = page.getByTestId('verify-result');
  await expect(verdict).toHaveAttribute('data-ok', 'true');
  await expect(verdict).toContainText(`Chain intact: ${trail.length} entries verified`);

  // The host stops; its data directory stays until afterAll. The CLI verifies the same file, then catches an edit.
  await new Promise<void>((resolve) => {
    host.process.once('exit', () => resolve());
    host.process.kill('SIGTERM');
  });
  const dataDir = ['--data-dir', host.dataDir];
  const intact = await cli(['audit', 'verify', ...dataDir]);
  expect(intact.status, intact.stdout + intact.stderr).toBe(0);
  expect(intact.stdout).toContain(`✓ Audit trail intact: ${trail.length} entries verified`);

  const added = trail.find((e) => e.action === 'sink.added')!;
  const db = new DatabaseSync(join(host.dataDir, 'posture-log.sqlite'));
  const edited = db.prepare(`UPDATE audit_entries SET doc = replace(doc, 'Local rsyslog', 'Other rsyslog') WHERE seq = ?`).run(added.seq);
  db.close();
  expect(edited.changes).toBe(1);
  const broken = await cli(['audit', 'verify', ...dataDir]);
  expect(broken.status).toBe(1);
  expect(broken.stdout).toContain(`✗ Audit trail broken at entry ${added.seq} (${added.at}): edited.`);
});
