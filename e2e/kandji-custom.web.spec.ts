// Kandji and the custom HTTPS source end to end in the web host, against the simulator (in this process, on
// loopback): each added from the form, a wrong token diagnosed with its cause and fix, the right one passing, and a
// check on it whose results land in the posture log after a poll. The custom endpoint scores the devices the other
// sources report, so Kandji is added first.
import { expect, test, type Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../sim';
import { startConsoleHost, type ConsoleHost } from './console-host';

let sim: Simulator;
let host: ConsoleHost;
const KANDJI = 'Kandji e2e';
const CUSTOM = 'Custom e2e';

// The custom endpoint scores the devices Kandji reports: the second test needs the first.
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  sim = await startSimulator({ devices: 200, seed: 23 });
  host = await startConsoleHost([]);
});

test.afterAll(async () => {
  await host?.stop();
  await sim?.close();
});

async function go(page: Page, section: 'Providers' | 'Checks' | 'Dashboard' | 'Posture Log') {
  await page.goto(host.openUrl);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
}

async function runTest(page: Page, name: string) {
  await page.getByRole('button', { name: `Test ${name}` }).click();
  const panel = page.getByRole('region', { name: `Test of ${name}` });
  await expect(panel.getByTestId('test-verdict')).toBeVisible({ timeout: 30_000 });
  return panel;
}

async function addSource(page: Page, menuItem: RegExp, fill: (form: ReturnType<Page['getByRole']>) => Promise<void>) {
  await go(page, 'Providers');
  await page.getByRole('button', { name: 'Add provider' }).click();
  await page.getByRole('menuitem', { name: menuItem }).click();
  const form = page.getByRole('form', { name: 'Provider settings' });
  await fill(form);
  await form.getByRole('button', { name: 'Add provider' }).click();
  await expect(form).toBeHidden();
}

async function replaceSecret(page: Page, name: string, label: string, secret: string) {
  await page.getByRole('button', { name: `Edit ${name}` }).click();
  const edit = page.getByRole('form', { name: 'Provider settings' });
  await edit.getByLabel(label, { exact: true }).fill(secret);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
}

async function addCheck(page: Page, provider: string, attribute: string, name: string) {
  await go(page, 'Checks');
  await page.getByRole('button', { name: 'Add check', exact: true }).click();
  const check = page.getByRole('form', { name: 'Posture check' });
  await check.getByRole('combobox', { name: 'Provider' }).click();
  await page.getByRole('option', { name: provider, exact: true }).click();
  await check.getByRole('combobox', { name: 'Attribute' }).click();
  await page.getByRole('option', { name: attribute, exact: true }).click();
  await check.getByRole('textbox', { name: 'Name' }).fill(name);
  await check.getByRole('button', { name: 'Save check' }).click();
  await expect(check).toBeHidden();
}

async function pollNow(page: Page, name: string) {
  await go(page, 'Dashboard');
  const card = page.getByRole('region', { name });
  await card.getByRole('button', { name: `Poll now: ${name}` }).click();
  await expect(card.getByTestId('poll-outcome')).toHaveText('Poll finished.', { timeout: 30_000 });
  return card;
}

test('a Kandji source added from the form: wrong token named with the fix, right token passes, a check logs results', async ({ page }) => {
  await addSource(page, /Kandji/, async (form) => {
    // The vendor's setup steps: where the URL and the token are in Kandji.
    await expect(form).toContainText('Settings > Access');
    await expect(form).toContainText('Device list');
    await form.getByLabel('Name').fill(KANDJI);
    await form.getByLabel('API URL').fill(sim.kandjiUrl());
    await form.getByLabel('API token').fill('wrong-kandji-token-e2e');
  });

  const wrong = await runTest(page, KANDJI);
  await expect(wrong.getByTestId('test-verdict')).toHaveText('Problems found');
  await expect(wrong).toContainText('Kandji refused the API token');
  await expect(wrong).toContainText('Add Token');
  await expect(wrong).not.toContainText('wrong-kandji-token-e2e');

  await replaceSecret(page, KANDJI, 'API token', sim.credentials.kandji.apiToken);
  const right = await runTest(page, KANDJI);
  await expect(right.getByTestId('test-verdict')).toHaveText('All checks passed');
  await expect(right).toContainText('The token was accepted');

  await addCheck(page, KANDJI, 'Agent installed (Kandji)', 'Kandji agent (e2e)');
  const card = await pollNow(page, KANDJI);
  await expect(card.getByTestId('devices-seen')).toHaveText(String(sim.mdm.kandji().members.length));

  await go(page, 'Posture Log');
  const rows = page.getByTestId('log-row').filter({ hasText: 'agent_installed' });
  await expect(rows.first()).toBeVisible({ timeout: 15_000 });
  await expect(rows.first()).toContainText(KANDJI);
});

test('a custom HTTPS source added from the form: wrong bearer token named with the fix, right one passes, its score check logs results', async ({ page }) => {
  await addSource(page, /Custom HTTPS endpoint/, async (form) => {
    await expect(form).toContainText('{"devices":[]}');
    await form.getByLabel('Name').fill(CUSTOM);
    await form.getByLabel('Endpoint URL').fill(sim.customUrl);
    await form.getByLabel('Bearer token').fill('wrong-custom-token-e2e');
  });

  const wrong = await runTest(page, CUSTOM);
  await expect(wrong.getByTestId('test-verdict')).toHaveText('Problems found');
  await expect(wrong).toContainText('refused the credentials (HTTP 401)');
  await expect(wrong).toContainText('Check the bearer token');
  await expect(wrong).not.toContainText('wrong-custom-token-e2e');

  await replaceSecret(page, CUSTOM, 'Bearer token', sim.credentials.custom.bearerToken);
  const right = await runTest(page, CUSTOM);
  await expect(right.getByTestId('test-verdict')).toHaveText('All checks passed');
  await expect(right).toContainText('answered 200 {"result":{}}');

  await addCheck(page, CUSTOM, 'Score (custom)', 'Custom score (e2e)');
  // The endpoint scores the devices Kandji reported in the test before.
  await pollNow(page, CUSTOM);

  await go(page, 'Posture Log');
  const rows = page.getByTestId('log-row').filter({ hasText: CUSTOM });
  await expect(rows.first()).toBeVisible({ timeout: 15_000 });
  await expect(rows.first()).toContainText('score');
});
