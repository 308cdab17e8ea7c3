// Microsoft Intune end to end in the web host: add the source from the form against the loopback Entra + Graph
// simulator, Test it with a wrong secret (the cause and the fix are shown) and with the right one (all pass),
// add a check, poll, and find its rows in the posture log.
import { expect, test, type Page } from '@playwright/test';
import { startIntuneSimulator, type IntuneSimulator } from '../sim/intune/server';
import { startConsoleHost, type ConsoleHost } from './console-host';

let sim: IntuneSimulator;
let host: ConsoleHost;

test.beforeAll(async () => {
  sim = await startIntuneSimulator({ devices: 200, seed: 5, pageSize: 50 });
  host = await startConsoleHost([]);
});

test.afterAll(async () => {
  await host?.stop();
  await sim?.close();
});

async function open(page: Page, section: 'Providers' | 'Checks' | 'Dashboard' | 'Posture Log') {
  await page.goto(host.openUrl);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
}

async function addIntune(page: Page, name: string, secret: string) {
  await page.getByRole('button', { name: 'Add provider' }).click();
  await page.getByRole('menuitem', { name: /Microsoft Intune/ }).click();
  const form = page.getByRole('form', { name: 'Provider settings' });
  await expect(form).toContainText('Grant admin consent');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Directory (tenant) ID').fill(sim.credentials.tenantId);
  await form.getByLabel('Application (client) ID').fill(sim.credentials.clientId);
  await form.getByLabel('Client secret (Value)').fill(secret);
  await form.getByRole('combobox', { name: 'Cloud' }).click();
  await page.getByRole('option', { name: /Custom hosts/ }).click();
  await form.getByLabel('Login URL').fill(sim.url);
  await form.getByLabel('Graph URL').fill(sim.url);
  await form.getByRole('button', { name: 'Add provider' }).click();
  await expect(form).toBeHidden();
}

async function runTest(page: Page, name: string) {
  await page.getByRole('button', { name: `Test ${name}` }).click();
  const panel = page.getByRole('region', { name: `Test of ${name}` });
  await expect(panel.getByTestId('test-verdict')).toBeVisible({ timeout: 30_000 });
  return panel;
}

test('the form validates the Entra ids as they are typed', async ({ page }) => {
  await open(page, 'Providers');
  await page.getByRole('button', { name: 'Add provider' }).click();
  await page.getByRole('menuitem', { name: /Microsoft Intune/ }).click();
  const form = page.getByRole('form', { name: 'Provider settings' });
  await form.getByLabel('Application (client) ID').fill('not-a-guid');
  await expect(form).toContainText('Client ID is a GUID');
  await form.getByRole('button', { name: 'Cancel' }).click();
});

test('a wrong secret names the cause and the fix; the right one passes; its checks fill the posture log', async ({ page }) => {
  await open(page, 'Providers');
  await addIntune(page, 'Intune wrong', 'not-the-secret-value');
  const wrong = await runTest(page, 'Intune wrong');
  await expect(wrong.getByTestId('test-verdict')).toHaveText('Problems found');
  await expect(wrong).toContainText('Entra ID refused the client secret (AADSTS7000215)');
  await expect(wrong).toContainText('paste its Value');
  await expect(wrong).not.toContainText('not-the-secret-value');

  await addIntune(page, 'Intune right', sim.credentials.clientSecret);
  const right = await runTest(page, 'Intune right');
  await expect(right.getByTestId('test-verdict')).toHaveText('All checks passed');
  await expect(right).toContainText(`${sim.devices.length} managed devices`);

  await open(page, 'Checks');
  await page.getByRole('button', { name: 'Add a check on Intune right' }).click();
  const check = page.getByRole('form', { name: 'Posture check' });
  await check.getByRole('textbox', { name: 'Name' }).fill('Intune compliant');
  await check.getByRole('button', { name: 'Save check' }).click();
  await expect(page.getByRole('region', { name: 'Checks on Intune right' })).toContainText('Intune compliant');

  await open(page, 'Dashboard');
  const card = page.getByRole('region', { name: 'Intune right' });
  await card.getByRole('button', { name: 'Poll now: Intune right' }).click();
  await expect(card.getByTestId('poll-outcome')).toHaveText('Poll finished.', { timeout: 30_000 });

  await open(page, 'Posture Log');
  await expect(page.getByTestId('log-row').first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('table', { name: 'Posture log' })).toContainText('complianceState');
});
