// Users end to end against a demo host (simulator in-process with infected SentinelOne agents, first polls at start):
// infected agents raise their users to the configured level with the evidence one click away, a reset returns a user
// to none with the reason in the timeline, the filtered list downloads as CSV, and a behavior's level re-scores users.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startConsoleHost, type ConsoleHost } from './console-host';
import { screenshotPath } from './screenshots';

let host: ConsoleHost;

test.beforeAll(async () => {
  host = await startConsoleHost(['--demo']);
});

test.afterAll(async () => {
  await host?.stop();
});

async function openUsers(page: Page, level?: 'high' | 'medium' | 'low' | 'none') {
  await page.goto(host.openUrl);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Users', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Users' })).toBeVisible();
  if (level) await page.getByTestId(`level-chip-${level}`).click();
}

/** The demo polls at start; the users of infected agents appear once the SentinelOne poll has been evaluated. */
async function highUsers(page: Page) {
  await openUsers(page, 'high');
  const rows = page.getByTestId('user-row');
  await expect(rows.first()).toBeVisible({ timeout: 45_000 });
  return rows;
}

test('infected SentinelOne agents raise their users to the configured level, with the evidence one click away', async ({ page }) => {
  await openUsers(page);
  await page.getByRole('button', { name: 'Risk behaviors' }).click();
  const s1 = page.getByRole('group', { name: "SentinelOne threat detected on a user's device" });
  await expect(s1.getByRole('switch')).toBeChecked();
  await expect(s1.getByRole('combobox', { name: 'Risk level' })).toHaveValue('High');
  await page.getByRole('button', { name: 'Close risk behaviors' }).click();

  const rows = await highUsers(page);
  const count = await rows.count();
  for (let i = 0; i < count; i++) await expect(rows.nth(i)).toHaveAttribute('data-level', 'high');
  await expect(page.getByTestId('user-count')).toContainText(/of \d+ users/);
  await page.screenshot({ path: screenshotPath('users.png'), fullPage: true });

  await rows
    .first()
    .getByRole('button', { name: /^Open / })
    .click();
  const detail = page.getByTestId('user-detail');
  await expect(detail.getByTestId('risk-level').first()).toHaveText('High');
  const threat = detail.locator('[data-testid="risk-event"][data-behavior="s1_threat"][data-status="active"]').first();
  await expect(threat).toContainText("SentinelOne threat detected on a user's device");
  await expect(threat.getByTestId('event-signal')).toHaveText(/Infected|active threat/);
  // The evidence of what counts is open as soon as the user is: one click from the list.
  const evidence = threat.getByLabel('Evidence');
  await expect(evidence).toContainText('Agent id');
  await expect(evidence).toContainText('SentinelOne (simulator)');
  await expect(evidence.getByRole('link').first()).toHaveAttribute('href', /#\/devices\?device=/);
  await page.screenshot({ path: screenshotPath('user-detail.png') });
  await threat.getByRole('button', { name: 'Evidence' }).click();
  await expect(threat.getByRole('button', { name: 'Evidence' })).toHaveAttribute('aria-expanded', 'false');

  await detail.getByRole('tab', { name: /Devices/ }).click();
  await expect(detail.getByTestId('user-device').first()).toBeVisible();
});

test('a reset returns the user to none, with who and why in the timeline', async ({ page }) => {
  const rows = await highUsers(page);
  const name = (await rows
    .first()
    .getByRole('button', { name: /^Open / })
    .textContent())!;
  await rows
    .first()
    .getByRole('button', { name: /^Open / })
    .click();
  const detail = page.getByTestId('user-detail');
  await detail.getByRole('button', { name: 'Reset risk score' }).click();

  const dialog = page.getByRole('dialog', { name: /Reset the risk score/ });
  await dialog.getByRole('button', { name: 'Reset score' }).click();
  await expect(dialog).toContainText('Give the reason for the reset');
  await dialog.getByLabel('Reset by').fill('e2e.admin');
  await dialog.getByLabel('Reason').fill('Agent remediated and device reimaged (INC-E2E-1)');
  await dialog.getByRole('button', { name: 'Reset score' }).click();
  await expect(dialog).toBeHidden();

  await expect(detail.getByTestId('risk-level').first()).toHaveText('None');
  await expect(detail.getByRole('button', { name: 'Reset risk score' })).toBeDisabled();
  await detail.getByRole('tab', { name: /Timeline/ }).click();
  const reset = detail.locator('[data-testid="timeline-entry"][data-kind="reset"]').first();
  await expect(reset).toContainText('Risk score reset by e2e.admin');
  await expect(reset.getByTestId('reset-reason')).toHaveText('Reason: Agent remediated and device reimaged (INC-E2E-1)');

  // Back on the list, the user has left the High filter.
  await page.getByRole('button', { name: 'Close user' }).click();
  await expect(page.getByRole('button', { name: `Open ${name}`, exact: true })).toHaveCount(0);
  await page.getByTestId('level-chip-high').click();
  await page.getByRole('textbox', { name: 'Search' }).fill(name);
  await expect(page.getByTestId('user-row').first()).toHaveAttribute('data-level', 'none');
});

test('Export CSV downloads exactly the filtered users', async ({ page }) => {
  const rows = await highUsers(page);
  const shown = await rows.count();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^users-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync((await download.path())!, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe('user,display_name,risk_level,active_events,devices,device_names,last_event_at,reset_at,aliases');
  expect(lines.length - 1).toBe(shown);
  expect(lines.slice(1).every((l) => l.includes(',high,'))).toBe(true);
});

test('a new level for a behavior re-scores its users', async ({ page }) => {
  await highUsers(page);
  await page.getByRole('button', { name: 'Risk behaviors' }).click();
  const s1 = page.getByRole('group', { name: "SentinelOne threat detected on a user's device" });
  await s1.getByRole('combobox', { name: 'Risk level' }).click();
  await page.getByRole('option', { name: 'Low', exact: true }).click();
  await page.getByRole('button', { name: 'Save behaviors' }).click();
  await expect(page.getByRole('form', { name: 'Risk behaviors' })).toBeHidden();
  await expect(page.getByTestId('no-match')).toBeVisible();
  await page.getByTestId('level-chip-high').click();
  await page.getByTestId('level-chip-low').click();
  await expect(page.getByTestId('user-row').first()).toHaveAttribute('data-level', 'low');
});
