// Forwarding end to end in the web host: the admin adds a syslog sink pointing at a local rsyslog (TLS, a CA made
// for the test), Tests it, polls the simulator and finds every posture change in rsyslog's file; then rsyslog stops,
// polling goes on, the Sinks screen shows the lag and the error, rsyslog starts again and nothing is missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../sim';
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
  await form.getByRole('button', { name: 'Add sink' }).click();
  await expect(form).toBeHidden();

  await page.getByRole('button', { name: 'Test Local rsyslog' }).click();
  const panel = page.getByRole('region', { name: 'Test of Local rsyslog' });
  await expect(panel.getByTestId('sink-test-verdict')).toHaveText('All checks passed', { timeout: 30_000 });
  await expect(panel.getByTestId('step-tls')).toHaveAttribute('data-status', 'pass');
  await expect.poll(() => rsyslog.eventIds().some((id) => id.startsWith('test:'))).toBe(true);

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
  await expect(page.getByTestId('sink-state-Local rsyslog')).toHaveText('up to date');

  // rsyslog goes away; the console keeps polling and queues what it cannot send.
  await rsyslog.stop();
  await poll(20);
  await poll(80);
  await expect(page.getByTestId('sink-state-Local rsyslog')).toHaveText('failing');
  await expect(page.getByTestId('sink-lag-Local rsyslog')).toContainText('waiting');
  await page.screenshot({ path: screenshotPath('sinks.png') });
  expect((await missingRuns()).length).toBeGreaterThan(0);

  await rsyslog.start();
  await expect.poll(async () => (await missingRuns()).length, { timeout: 60_000 }).toBe(0);
  await expect(page.getByTestId('sink-lag-Local rsyslog')).toHaveText('Nothing waiting');
});
