// Detections to incidents end to end, in the browser against a demo host: the seed's rules in the editor,
// a misspelt field marked inline and fixed, the seed JSON validated, Pull Recent Detections explaining each
// match, Save; then Poll now making P1/P2 incidents, one enriched and moved New → In Progress; then IOC push.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../sim';
import { startConsoleHost, type ConsoleHost } from './console-host';
import { screenshotPath } from './screenshots';

/** The StackFlow page's Step 2, exactly as published. */
const seedJson = `{
  "detection_rules": [
    {
      "condition": "severity >= 80 OR tactic IN ('Execution', 'Exfiltration', 'Impact')",
      "action": "create_incident",
      "priority": "P1",
      "assignment_group": "Security Operations",
      "category": "security",
      "auto_contain_host": false
    },
    {
      "condition": "severity >= 50",
      "action": "create_incident",
      "priority": "P2",
      "assignment_group": "Security Operations",
      "category": "security"
    },
    {
      "condition": "severity < 50",
      "action": "log_only"
    }
  ]
}`;

const E2E_INTEGRATION = 'Falcon detections (E2E)';
const DEMO_INTEGRATION = 'Falcon detections (simulator)';

let host: ConsoleHost;
let sim: Simulator;
/** The host's session cookie, for calls the test makes itself (plain fetch: no Playwright artifacts to race over). */
let cookie = '';

async function invoke<T>(channel: string, body: unknown): Promise<T> {
  const response = await fetch(`${host.baseUrl}/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
  const envelope = (await response.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error?.message}`);
  return envelope.value;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  host = await startConsoleHost(['--demo']);
  // The demo's simulator lives inside the host, out of reach; this one can make alerts arrive on cue.
  sim = await startSimulator({ devices: 400, seed: 23, alerts: 0 });
  const session = await fetch(`${host.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: new URL(host.openUrl).hash.replace('#token=', '') }),
  });
  cookie = session.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { clientId, clientSecret } = sim.credentials.falcon;
  await invoke('providers.save', {
    kind: 'crowdstrike-falcon-incidents',
    name: E2E_INTEGRATION,
    clientId,
    clientSecret,
    region: 'custom',
    baseUrl: sim.url,
    pollInterval: '5m',
    hostEnrichment: true,
    iocPushOnResolve: false,
  });
  // Its first poll runs as it is added; the alerts below must arrive after it, for Poll now to find.
  await expect
    .poll(
      async () =>
        (await invoke<{ name: string; lastPollAt: string | null }[]>('incidents.pollerStatus', {})).find((s) => s.name === E2E_INTEGRATION)?.lastPollAt ?? null,
      { timeout: 15_000 },
    )
    .not.toBeNull();
});

test.afterAll(async () => {
  await sim?.close();
  await host?.stop();
});

async function open(page: Page, section: string) {
  await page.goto(host.openUrl);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
}

test('Detection Rules: seed rules, a misspelt field marked and fixed, the seed JSON validated, a dry run that explains, Save', async ({ page }) => {
  await open(page, 'Detection Rules');
  const list = page.getByRole('list', { name: 'Rules in order' });
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await expect(page.getByTestId('rule-item-1')).toContainText('Create incident');
  await expect(page.getByTestId('rule-item-1')).toContainText('P1');
  await expect(page.getByTestId('rule-item-2')).toContainText('P2');
  await expect(page.getByTestId('rule-item-3')).toContainText('Log only');

  // The seed's JSON, pasted as is: first with a mistake (P5), whose path is named; then as published.
  await page.getByRole('tab', { name: 'JSON' }).click();
  await expect(page.getByTestId('rules-json-export')).toContainText('"detection_rules"');
  const box = page.getByRole('textbox', { name: 'Detection rules JSON' });
  await box.fill(seedJson.replace('"priority": "P2"', '"priority": "P5"'));
  await page.getByRole('button', { name: 'Validate' }).click();
  await expect(page.getByTestId('import-result')).toContainText('detection_rules[1].priority');
  await expect(page.getByTestId('import-result')).toContainText('P5 is not one of P1, P2, P3, P4');
  await box.fill(seedJson);
  await page.getByRole('button', { name: 'Validate' }).click();
  await expect(page.getByTestId('import-result')).toContainText('Valid: 3 rules');
  await page.getByRole('button', { name: 'Load 3 rules into the draft' }).click();
  await expect(page.getByRole('tab', { name: 'Rules', selected: true })).toBeVisible();
  await expect(page.getByTestId('draft-state')).toHaveText('Saved');

  // Order is the admin's main tool: Alt+↑ on a rule moves it, the Move buttons move it back.
  await page
    .getByTestId('rule-item-3')
    .getByRole('button', { name: /Log only/ })
    .focus();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(page.getByTestId('rule-item-2')).toContainText('Low severity');
  await expect(page.getByTestId('draft-state')).toHaveText('Unsaved changes');
  await page.getByRole('button', { name: 'Move Low severity down' }).click();
  await expect(page.getByTestId('rule-item-3')).toContainText('Low severity');
  await expect(page.getByTestId('draft-state')).toHaveText('Saved');

  // A misspelt field in CodeMirror: marked inline, explained with the suggestion, fixed in one click.
  await page
    .getByTestId('rule-item-1')
    .getByRole('button', { name: /Create incident/ })
    .click();
  const editor = page.getByRole('textbox', { name: 'Condition' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('sevrity >= 80');
  await page.keyboard.press('Escape');
  await expect(page.locator('.cm-lintRange-error')).toBeVisible();
  const problems = page.getByTestId('condition-problems');
  await expect(problems).toContainText("unknown field 'sevrity' — did you mean 'severity'?");
  await page.locator('.cm-lintRange-error').hover();
  await expect(page.locator('.cm-tooltip-lint')).toContainText("did you mean 'severity'");
  await page.screenshot({ path: screenshotPath('rules.png') });
  await problems.getByRole('button', { name: 'Replace with severity' }).click();
  await expect(editor).toHaveText('severity >= 80');
  await expect(page.getByTestId('condition-ok')).toBeVisible();
  await expect(page.getByTestId('draft-state')).toHaveText('Unsaved changes');

  // Completion comes from the core's field catalog.
  // Focus first, then move to the end: the fix replaced the text from outside the editor.
  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type(' AND tac');
  await expect(editor).toHaveText('severity >= 80 AND tac');
  // Ctrl+Space asks explicitly, as an admin would: the list must come from the core's field catalog.
  // (Asked again if a lint pass redrew the editor while the answer was on its way.)
  await expect(async () => {
    await page.keyboard.press('Control+Space');
    await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('tactic', { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await page.keyboard.press('Escape');
  for (let i = 0; i < ' AND tac'.length; i++) await page.keyboard.press('Backspace');
  await expect(editor).toHaveText('severity >= 80');

  // Pull Recent Detections with the draft: ten alerts, each with the rule it matched and why.
  const dryRun = page.getByRole('region', { name: 'Pull Recent Detections' });
  await dryRun.getByRole('combobox', { name: 'Integration' }).click();
  await page.getByRole('option', { name: DEMO_INTEGRATION }).click();
  await dryRun.getByRole('button', { name: 'Pull Recent Detections' }).click();
  const rows = dryRun.getByTestId('dry-run-row');
  await expect(rows).toHaveCount(10, { timeout: 30_000 });
  for (const row of await rows.all()) {
    await expect(row.getByTestId('matched-rule')).toHaveText(/^\d\. (Critical or high-impact tactic|Medium severity|Low severity)$|^No rule matched$/);
    await expect(row.getByTestId('match-why')).toContainText(/received|None of the/);
  }
  await expect(dryRun).toContainText(/severity (>= 80|>= 50|< 50) — received \d+/);
  await rows
    .first()
    .getByRole('button', { name: /Show every rule tried/ })
    .click();
  await expect(dryRun.locator('[data-decisive]').first()).toContainText('decisive');
  // Just below the app's fixed top bar, so the picture shows the panel's title.
  await dryRun.evaluate((panel) => window.scrollBy(0, panel.getBoundingClientRect().top - 64));
  await page.screenshot({ path: screenshotPath('rules-dry-run.png') });

  await page.getByRole('button', { name: 'Save rules' }).click();
  await expect(page.getByTestId('draft-state')).toHaveText('Saved');
  expect((await invoke<{ rules: { condition: string }[] }>('rules.get', {})).rules[0]!.condition).toBe('severity >= 80');
});

test('Incidents: Poll now makes P1 and P2 incidents; one shows its enriched host and moves New → In Progress', async ({ page }) => {
  sim.addAlerts(2, { severity: 90 });
  sim.addAlerts(2, { severity: 60 });
  await open(page, 'Incidents');
  const poller = page.getByTestId(`poller-${E2E_INTEGRATION}`);
  await poller.getByRole('button', { name: `Poll ${E2E_INTEGRATION} now` }).click();
  await expect(poller.getByTestId('poll-result')).toContainText(/[1-9]\d* incidents created/, { timeout: 30_000 });
  const table = page.getByRole('table', { name: 'Incidents' });
  const p1 = table.getByRole('row').filter({ hasText: 'P1' });
  await expect(p1.first()).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'P2' }).first()).toBeVisible();
  await expect(p1.first()).toContainText('New');
  await page.screenshot({ path: screenshotPath('incidents.png'), fullPage: true });

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^incidents-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toContain('INC0000001');

  const hostname = (await p1.first().getByRole('cell').nth(4).innerText()).trim();
  expect(hostname).not.toBe('—');
  await p1.first().getByRole('link').click();
  const enrichment = page.getByRole('table', { name: 'Host enrichment' });
  await expect(enrichment.getByRole('row').filter({ hasText: 'hostname' })).toContainText(hostname);
  await expect(page.getByTestId('incident-state')).toHaveText('New');
  await page.getByRole('button', { name: 'Start work (In Progress)' }).click();
  await expect(page.getByTestId('incident-state')).toHaveText('In Progress');
  await expect(page.getByRole('button', { name: 'Resolve' })).toBeVisible();
  await expect(page.getByTestId('timeline-entry').last()).toContainText(/in.progress/i);

  // Containment is confirmed in a dialog that names the host.
  await page.getByRole('button', { name: 'Contain host' }).click();
  const dialog = page.getByRole('dialog', { name: `Contain ${hostname}?` });
  await expect(dialog).toContainText('cut off from the network');
  await dialog.getByRole('button', { name: `Contain ${hostname}` }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('region', { name: 'Containment' })).toContainText('Containment requested');
  await expect(page.getByRole('button', { name: 'Lift containment' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('incident-detail.png'), fullPage: true });
});

test('IOCs: a sha256 prevent/high push is created and listed; an impossible IPv4 gets the field message', async ({ page }) => {
  const sha256 = createHash('sha256').update('posture-console e2e benign sample').digest('hex');
  await open(page, 'IOCs');
  const form = page.getByRole('form', { name: 'Push an IOC' });
  await expect(form.getByRole('combobox', { name: 'Integration' })).toHaveValue(DEMO_INTEGRATION);
  await form.getByRole('textbox', { name: 'Value' }).fill(sha256);
  await form.getByRole('textbox', { name: 'Description' }).fill('Known-benign test sample (remove after testing)');
  await form.getByRole('button', { name: 'Push to Falcon' }).click();
  await expect(form.getByTestId('push-result')).toContainText('Created in Falcon');
  await expect(form.getByTestId('push-result')).toContainText('Action prevent, severity high');
  const pushed = page.getByRole('table', { name: 'Pushed IOCs' }).getByTestId('pushed-ioc').filter({ hasText: sha256 });
  await expect(pushed).toContainText('prevent');
  await expect(pushed).toContainText('high');
  await expect(pushed).toContainText('Active');
  await page.screenshot({ path: screenshotPath('iocs.png'), fullPage: true });

  await form.getByRole('combobox', { name: 'Type' }).click();
  await page.getByRole('option', { name: /^ipv4/ }).click();
  await form.getByRole('textbox', { name: 'Value' }).fill('999.1.1.1');
  await expect(form).toContainText('999.1.1.1 is not an IPv4 address: 999 is above 255.');
});

test('Back-test: a draft that lowers rule 2 to P3 shows the stored P2 alerts moving, side by side with the saved rules', async ({ page }) => {
  await open(page, 'Detection Rules');
  await page
    .getByTestId('rule-item-2')
    .getByRole('button', { name: /Create incident/ })
    .click();
  await page.getByRole('combobox', { name: 'Priority' }).click();
  await page.getByRole('option', { name: 'P3' }).click();
  await expect(page.getByTestId('draft-state')).toHaveText('Unsaved changes');
  const backTest = page.getByRole('region', { name: 'Back-test' });
  await backTest.getByText('Last 24 hours', { exact: true }).click();
  await expect(backTest.getByRole('radio', { name: 'Last 24 hours' })).toBeChecked();
  await backTest.getByRole('button', { name: 'Run back-test' }).click();
  const result = backTest.getByTestId('back-test-result');
  // The demo keeps feeding detections, so counts are read from the result rather than fixed: every
  // alert the saved rules made P2 must move to P3, and nothing else may change.
  await expect(result).toContainText(/\d+ stored alerts? in the window/, { timeout: 30_000 });
  // The results sit below the editor: they are brought into view and focused, not left below the fold.
  await expect(result).toBeFocused();
  await expect(result).toBeInViewport();
  const totals = backTest.getByTestId('back-test-totals');
  const p2 = (await totals.getByRole('row', { name: /^P2 incidents/ }).textContent())!.match(/P2 incidents\s*(\d+)\s*0/);
  expect(p2, 'the draft leaves no P2 incidents').not.toBeNull();
  const moved = Number(p2![1]);
  expect(moved).toBeGreaterThan(0);
  await expect(result).toContainText(`${moved} changed by the draft`);
  await expect(totals.getByRole('row', { name: /^P3 incidents/ })).toHaveText(new RegExp(`P3 incidents\\s*0\\s*${moved}\\s*\\+${moved}`));
  await expect(backTest.getByRole('table', { name: 'Alerts the draft decides differently' }).getByRole('row')).toHaveCount(moved + 1);
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect(page.getByTestId('draft-state')).toHaveText('Saved');
});

test('Stop ends a dry run stuck on Falcon, and the next one goes through', async ({ page }) => {
  await open(page, 'Detection Rules');
  const dryRun = page.getByRole('region', { name: 'Pull Recent Detections' });
  await dryRun.getByRole('combobox', { name: 'Integration' }).click();
  await page.getByRole('option', { name: E2E_INTEGRATION }).click();
  sim.setFaults([{ kind: 'hang', route: '/alerts' }]);
  try {
    await dryRun.getByRole('button', { name: 'Pull Recent Detections' }).click();
    await expect(dryRun).toContainText('Pulling the latest alerts from Falcon');
    await dryRun.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect(dryRun).not.toContainText('Pulling the latest alerts from Falcon');
    await expect(dryRun.getByRole('button', { name: 'Stop', exact: true })).toBeHidden();
    await expect(dryRun.getByRole('alert')).toHaveCount(0);
  } finally {
    sim.clearFaults();
  }
  await dryRun.getByRole('button', { name: 'Pull Recent Detections' }).click();
  await expect(dryRun.getByTestId('dry-run-row').first()).toBeVisible({ timeout: 30_000 });
});

test('Stop ends an incident poll stuck on Falcon; the poller keeps its schedule and the next poll takes the alerts', async ({ page }) => {
  sim.addAlerts(1, { severity: 95 });
  await open(page, 'Incidents');
  const poller = page.getByTestId(`poller-${E2E_INTEGRATION}`);
  sim.setFaults([{ kind: 'hang', route: '/alerts/entities' }]);
  try {
    await poller.getByRole('button', { name: `Poll ${E2E_INTEGRATION} now` }).click();
    await poller.getByRole('button', { name: `Stop the ${E2E_INTEGRATION} poll` }).click();
    await expect(poller).toContainText('The poll was stopped');
    await expect(poller.getByText('Waiting', { exact: true })).toBeVisible();
    await expect(poller.getByRole('button', { name: `Stop the ${E2E_INTEGRATION} poll` })).toBeHidden();
  } finally {
    sim.clearFaults();
  }
  await poller.getByRole('button', { name: `Poll ${E2E_INTEGRATION} now` }).click();
  await expect(poller.getByTestId('poll-result')).toContainText('1 new', { timeout: 30_000 });
});
