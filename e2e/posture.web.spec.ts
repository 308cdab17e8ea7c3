// Posture screens end to end against the demo host (simulator in-process, 500 devices, three providers, four checks,
// first poll at start): the Dashboard fills in and polls on demand, a check is drafted with its what-if and saved,
// and the Devices panel explains good and bad serials.
import { expect, test, type Page } from '@playwright/test';
import { startConsoleHost, type ConsoleHost } from './console-host';
import { screenshotPath } from './screenshots';

const ZTA = 'Falcon ZTA (simulator)';
const S1 = 'SentinelOne (simulator)';

let host: ConsoleHost;

test.beforeAll(async () => {
  host = await startConsoleHost(['--demo']);
});

test.afterAll(async () => {
  await host?.stop();
});

async function open(page: Page, section: 'Dashboard' | 'Checks' | 'Devices') {
  await page.goto(host.openUrl);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
}

/** Screenshots after Mantine's open/close transitions have run. */
async function settledScreenshot(page: Page, path: string | undefined, fullPage = false) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
  await page.screenshot({ path, fullPage });
}

async function choose(page: Page, scope: ReturnType<Page['getByRole']>, label: string, option: string) {
  await scope.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('the Dashboard shows both posture providers with devices, results and both charts', async ({ page }) => {
  await open(page, 'Dashboard');
  for (const name of [ZTA, S1]) {
    const card = page.getByRole('region', { name });
    await expect(card.getByTestId('devices-seen')).not.toHaveText('0', { timeout: 30_000 });
    await expect(card.getByTestId('health')).toHaveText('Healthy');
  }
  // The incidents connection does not report posture and has no card.
  await expect(page.getByRole('region', { name: 'Falcon detections (simulator)' })).toHaveCount(0);
  for (const result of ['pass', 'fail'] as const) {
    await expect(page.getByTestId(`count-${result}`)).not.toHaveText('0');
    await expect(page.getByTestId(`tile-${result}`)).toHaveAttribute('href', `#/posture-log?result=${result}`);
  }
  const trend = page.getByTestId('trend-chart');
  await expect(trend).toHaveAttribute('aria-label', new RegExp(`Pass rate per provider.*${ZTA.replace(/[()]/g, '\\$&')}: \\d`));
  // One dot per provider and poll (a first poll has no line yet, only its dot): one line per posture provider.
  await expect(trend.locator('.recharts-line-dots').nth(1)).toBeAttached();
  await expect(trend.locator('.recharts-line-dot').first()).toBeVisible();
  const scores = page.getByTestId('score-chart');
  await expect(scores).toHaveAttribute('aria-label', /ZTA overall score of \d+ scored hosts/);
  await expect(scores.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('unscored')).toContainText(/\d+ hosts? ha(s|ve) no ZTA assessment/);
  await page.screenshot({ path: screenshotPath('dashboard.png'), fullPage: true });
});

test('Poll now runs a poll to completion; Pause and Resume switch the schedule', async ({ page }) => {
  await open(page, 'Dashboard');
  const card = page.getByRole('region', { name: S1 });
  await expect(card.getByTestId('devices-seen')).not.toHaveText('0', { timeout: 30_000 });
  await card.getByRole('button', { name: `Poll now: ${S1}` }).click();
  await expect(card.getByTestId('poll-outcome')).toHaveText('Poll finished.', { timeout: 30_000 });
  await expect(card.getByTestId('poll-state')).toHaveText('Idle');
  await expect(card).toContainText(/Last poll\s*(just now|\d+ s ago)/);

  await card.getByRole('button', { name: `Pause polling: ${S1}` }).click();
  await expect(card.getByTestId('poll-state')).toHaveText('Paused');
  await card.getByRole('button', { name: `Resume polling: ${S1}` }).click();
  await expect(card.getByTestId('poll-state')).toHaveText('Idle');
});

test('a new ZTA check shows its what-if before saving, and is listed once saved', async ({ page }) => {
  await open(page, 'Checks');
  await expect(page.getByRole('region', { name: `Checks on ${ZTA}` })).toContainText('ZTA overall score at least 70');
  await page.getByRole('button', { name: 'Add check', exact: true }).click();
  const form = page.getByRole('form', { name: 'Posture check' });
  await choose(page, form, 'Provider', ZTA);
  await choose(page, form, 'Attribute', 'Overall score');
  await choose(page, form, 'Operator', '>= at least');
  const score = form.getByRole('textbox', { name: 'Overall score (1–100)' });
  const whatIf = page.getByRole('region', { name: 'What-if' });

  await score.fill('70');
  await expect(whatIf).toHaveAttribute('data-state', 'ready', { timeout: 15_000 });
  const failAt70 = Number(await whatIf.getByTestId('whatif-fail').getAttribute('data-count'));
  expect(failAt70).toBeGreaterThan(0);

  await score.fill('90');
  await form.getByRole('textbox', { name: 'Name' }).fill('ZTA overall at least 90');
  await expect(whatIf).toHaveAttribute('data-state', 'ready', { timeout: 15_000 });
  const failAt90 = Number(await whatIf.getByTestId('whatif-fail').getAttribute('data-count'));
  expect(failAt90).toBeGreaterThan(failAt70);
  await expect(whatIf.getByTestId('whatif-pass')).toHaveText(/\d+ pass/);
  await expect(whatIf.getByTestId('whatif-unknown')).toHaveText(/\d+ unknown/);
  // Worst first: the first devices listed would fail, with what was expected and received.
  const firstFlip = whatIf.getByRole('table', { name: 'Devices that would change' }).getByRole('row').nth(1);
  await expect(firstFlip).toContainText('Fail');
  await expect(firstFlip).toContainText(/overall = \d+/);
  await expect(whatIf).toContainText('Expected: overall >= 90');
  await settledScreenshot(page, screenshotPath('checks-what-if.png'));

  await form.getByRole('button', { name: 'Save check' }).click();
  await expect(form).toBeHidden();
  const listed = page.getByRole('region', { name: `Checks on ${ZTA}` }).getByTestId('check-ZTA overall at least 90');
  await expect(listed).toContainText('overall >= 90');
  await expect(listed.getByRole('switch', { name: 'Enabled: ZTA overall at least 90' })).toBeChecked();
  await expect(page.getByRole('dialog')).toBeHidden();
  await settledScreenshot(page, screenshotPath('checks.png'), true);
});

test('a score of 150 is refused with the field message and cannot be saved; a duplicate name is refused by the core', async ({ page }) => {
  await open(page, 'Checks');
  await page.getByRole('button', { name: `Add a check on ${ZTA}` }).click();
  const form = page.getByRole('form', { name: 'Posture check' });
  await form.getByRole('textbox', { name: 'Name' }).fill('Impossible score');
  await form.getByRole('textbox', { name: 'Overall score (1–100)' }).fill('150');
  await expect(form).toContainText('Score must be a whole number from 1 to 100.');
  await expect(page.getByRole('region', { name: 'What-if' })).toContainText('Complete the provider and the rule');
  await form.getByRole('button', { name: 'Save check' }).click();
  await expect(form).toBeVisible();
  await expect(form.getByRole('textbox', { name: 'Overall score (1–100)' })).toBeFocused();

  // A rule the schema accepts can still be refused by the core: its field issue lands on the field.
  await form.getByRole('textbox', { name: 'Overall score (1–100)' }).fill('80');
  await form.getByRole('textbox', { name: 'Name' }).fill('ZTA overall score at least 70');
  await form.getByRole('button', { name: 'Save check' }).click();
  await expect(form.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription(/already exists/);
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('check-Impossible score')).toHaveCount(0);
});

test('Devices: search, filter by serial status, and the match explained for bad and good serials', async ({ page }) => {
  await open(page, 'Devices');
  const table = page.getByRole('table', { name: 'Devices' });
  await expect(page.getByTestId('device-count')).toContainText(/of \d+ devices/, { timeout: 30_000 });
  await expect(table.getByRole('columnheader', { name: ZTA })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: S1 })).toBeVisible();

  // Devices a provider with checks reports (in the demo a duplicated serial is also an Intune device, which has no
  // checks; which of the two lists first depends on which poll finished first).
  await choose(page, page.getByRole('search', { name: 'Filter devices' }), 'Provider', ZTA);
  // A duplicated serial: the explanation says why checks cannot trust it.
  await choose(page, page.getByRole('search', { name: 'Filter devices' }), 'Serial status', 'Duplicate');
  const rows = table.getByTestId('device-row');
  await expect(rows.first()).toHaveAttribute('data-serial-status', 'duplicate');
  expect(await rows.evaluateAll((rs) => rs.every((r) => r.getAttribute('data-serial-status') === 'duplicate'))).toBe(true);
  await page.screenshot({ path: screenshotPath('devices.png'), fullPage: true });
  await rows
    .first()
    .getByRole('button', { name: /^Open / })
    .click();
  const panel = page.getByRole('dialog');
  await expect(panel.getByTestId('match-summary')).toContainText(/is shared by .*Checks on this device report unknown/);
  // Its current results say unknown, and why.
  const duplicateResults = panel.getByRole('table', { name: 'Current results' });
  await expect(duplicateResults.locator('[data-result]').first()).toHaveAttribute('data-result', 'unknown');
  await expect(duplicateResults).toContainText(/serial/i);
  await expect(panel.getByTestId('provider-outcome').first()).toBeVisible();
  await expect(panel.getByRole('link', { name: /posture log/ })).toHaveAttribute('href', /#\/posture-log\?q=/);
  await settledScreenshot(page, screenshotPath('device-detail.png'));
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();

  // A junk serial is not trusted either.
  await choose(page, page.getByRole('search', { name: 'Filter devices' }), 'Serial status', 'Junk');
  await expect(rows.first()).toHaveAttribute('data-serial-status', 'junk');
  await rows
    .first()
    .getByRole('button', { name: /^Open / })
    .click();
  await expect(panel.getByTestId('match-summary')).toContainText('Checks on this device report unknown');
  await page.keyboard.press('Escape');

  // A normal device: pick one every provider reports (a Mac the MDMs manage too), find it by search, and see it matched by serial.
  await choose(page, page.getByRole('search', { name: 'Filter devices' }), 'Serial status', 'Valid');
  await expect(rows.first()).toHaveAttribute('data-serial-status', 'valid');
  const inBoth = rows.filter({ hasNotText: 'not present' }).filter({ hasNotText: 'superseded' }).filter({ hasNotText: 'no hostname' }).first();
  const hostname = (await inBoth.getByRole('button', { name: /^Open / }).innerText()).trim();
  await page.getByRole('textbox', { name: 'Search' }).fill(hostname);
  await expect(page.getByTestId('device-count')).toHaveText(/^1–\d+ of \d+ devices$/);
  await expect(rows.first()).toContainText(hostname);
  // The row sums up the device's current results; the panel lists them with expected next to received.
  const summary = rows.first().getByTestId('device-results');
  await expect(summary.locator('[data-result]').first()).toBeVisible();
  const summed = await summary.locator('[data-result]').allInnerTexts();
  await rows
    .first()
    .getByRole('button', { name: `Open ${hostname}` })
    .click();
  const current = panel.getByRole('table', { name: 'Current results' });
  await expect(current.getByRole('row')).toHaveCount(1 + summed.reduce((n, text) => n + Number.parseInt(text, 10), 0));
  await expect(current.getByRole('columnheader', { name: 'Received' })).toBeVisible();
  await expect(panel.getByTestId('match-summary')).toContainText(/Matched on serial \S+ in (\d+) of \1 provider/);
  const outcomes = panel.getByTestId('provider-outcome');
  await expect(outcomes.nth(1)).toBeVisible();
  for (const outcome of await outcomes.all()) {
    await expect(outcome).toHaveAttribute('data-outcome', 'matched');
    await expect(outcome).toContainText('matched on serial');
  }
  await expect(panel.getByRole('table', { name: `Posture reported by ${ZTA}` })).toContainText('Overall score');
  await expect(panel.getByRole('table', { name: `Posture reported by ${S1}` })).toContainText('Infected');
});
