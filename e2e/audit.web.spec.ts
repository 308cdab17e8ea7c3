// The audit trail end to end on its own web host: changes made in the browser (the theme, a provider added and
// tested) appear on the Audit screen with the actor "web host" and the browser's access session, the filtered trail
// downloads as CSV without the provider's token, and Verify finds the chain intact.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startSimulator, type Simulator } from '../sim';
import { startConsoleHost, type ConsoleHost } from './console-host';
import { screenshotPath } from './screenshots';

const TOKEN = 'audit-e2e-token-0000000000000000Xkqv';
let sim: Simulator;
let host: ConsoleHost;

test.beforeAll(async () => {
  sim = await startSimulator({ devices: 40, seed: 23 });
  sim.addSentinelOneToken({ token: TOKEN });
  host = await startConsoleHost();
});

test.afterAll(async () => {
  await host?.stop();
  await sim?.close();
});

test('changes made in the web host appear on the Audit screen, export as CSV and verify', async ({ page }) => {
  await page.goto(host.openUrl);
  const nav = page.getByRole('navigation', { name: 'Sections' });

  // A few changes, as an admin makes them.
  await nav.getByRole('link', { name: 'Settings', exact: true }).click();
  await page.getByText('Dark', { exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');

  await nav.getByRole('link', { name: 'Providers', exact: true }).click();
  await page.getByRole('button', { name: 'Add provider' }).click();
  await page.getByRole('menuitem', { name: /SentinelOne/ }).click();
  const form = page.getByRole('form', { name: 'Provider settings' });
  await form.getByLabel('Name').fill('S1 audited');
  await form.getByLabel('REST API URL').fill(sim.url);
  await form.getByLabel('API token').fill(TOKEN);
  await form.getByRole('button', { name: 'Add provider' }).click();
  await expect(form).toBeHidden();
  await page.getByRole('button', { name: 'Test S1 audited' }).click();
  await expect(page.getByRole('region', { name: 'Test of S1 audited' }).getByTestId('test-verdict')).toBeVisible({ timeout: 30_000 });

  // The Audit screen shows each of them, newest first, by the web host.
  await nav.getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Audit' })).toBeVisible();
  const rows = page.getByTestId('audit-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toHaveAttribute('data-action', 'provider.tested');
  await expect(rows.nth(1)).toHaveAttribute('data-action', 'provider.added');
  await expect(rows.nth(2)).toHaveAttribute('data-action', 'settings.changed');
  for (let i = 0; i < 3; i++) await expect(rows.nth(i).getByTestId('audit-surface')).toHaveText('web host');

  await rows.nth(1).click();
  const detail = page.getByTestId('audit-detail');
  await expect(detail).toContainText("Added provider 'S1 audited' (sentinelone)");
  await expect(detail).toContainText(/access session web-[0-9a-f]{12}/);
  const token = detail.getByTestId('audit-changes').getByRole('row').filter({ hasText: 'apiToken' });
  await expect(token).toContainText('[redacted]');
  await expect(page.locator('body')).not.toContainText(TOKEN);
  await page.getByRole('button', { name: 'Close entry' }).click();

  // Filtering by surface keeps them; the CLI made none.
  await page.getByRole('combobox', { name: 'Surface' }).selectOption('cli');
  await expect(page.getByTestId('audit-empty')).toContainText('No entry matches these filters.');
  await page.getByRole('combobox', { name: 'Surface' }).selectOption('web');
  await expect(rows).toHaveCount(3);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines).toHaveLength(4);
  expect(lines[0]).toContain('seq,id,time,surface,os_user,session');
  for (const line of lines.slice(1)) expect(line).toContain(',web host,');
  expect(csv).toContain('provider.added');
  expect(csv).not.toContain(TOKEN);

  await page.getByRole('button', { name: 'Verify' }).click();
  const verdict = page.getByTestId('verify-result');
  await expect(verdict).toHaveAttribute('data-ok', 'true');
  await expect(verdict).toContainText('Chain intact: 3 entries verified');
  await page.screenshot({ path: screenshotPath('audit.png'), fullPage: true });
});
