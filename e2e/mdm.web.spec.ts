// Jamf Pro from the form against the simulator (in this process, on loopback): the setup steps and validation as
// you type, a wrong secret diagnosed with its cause and fix, the right one passing, and a check whose results
// land in the posture log after a poll.
import { expect, test, type Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../sim';

let sim: Simulator;
const NAME = 'Jamf e2e';

test.beforeAll(async () => {
  sim = await startSimulator({ devices: 200, seed: 17 });
});

test.afterAll(async () => {
  await sim.close();
});

async function go(page: Page, section: 'Providers' | 'Checks' | 'Dashboard' | 'Posture Log') {
  await page.goto(process.env.PC_OPEN_URL!);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
}

async function runTest(page: Page) {
  await page.getByRole('button', { name: `Test ${NAME}` }).click();
  const panel = page.getByRole('region', { name: `Test of ${NAME}` });
  await expect(panel.getByTestId('test-verdict')).toBeVisible({ timeout: 30_000 });
  return panel;
}

test('a Jamf Pro source added from the form: wrong secret named with the fix, right secret passes, a check logs results', async ({ page }) => {
  const { jamf } = sim.credentials;
  await go(page, 'Providers');
  await page.getByRole('button', { name: 'Add provider' }).click();
  await page.getByRole('menuitem', { name: /Jamf Pro/ }).click();
  const form = page.getByRole('form', { name: 'Provider settings' });
  // The vendor's setup steps: where each value is in the Jamf Pro console.
  await expect(form).toContainText('API roles and clients');
  await expect(form).toContainText('Read Computers');
  await form.getByLabel('Name').fill(NAME);
  await form.getByLabel('Jamf Pro URL').fill(`${sim.jamfUrl}/api`);
  await expect(form).toContainText('without /api');
  await form.getByLabel('Jamf Pro URL').fill(sim.jamfUrl);
  await expect(form).not.toContainText('Enter the Jamf Pro console address without /api');
  await form.getByLabel('Client ID').fill(jamf.clientId);
  await form.getByLabel('Client secret').fill('wrong-jamf-secret-e2e');
  await form.getByRole('button', { name: 'Add provider' }).click();
  await expect(form).toBeHidden();

  const wrong = await runTest(page);
  await expect(wrong.getByTestId('test-verdict')).toHaveText('Problems found');
  await expect(wrong).toContainText('Jamf Pro refused the API client');
  await expect(wrong).toContainText('Generate client secret');
  await expect(wrong).not.toContainText('wrong-jamf-secret-e2e');

  await page.getByRole('button', { name: `Edit ${NAME}` }).click();
  const edit = page.getByRole('form', { name: 'Provider settings' });
  await edit.getByLabel('Client secret').fill(jamf.clientSecret);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  const right = await runTest(page);
  await expect(right.getByTestId('test-verdict')).toHaveText('All checks passed');
  await expect(right).toContainText(`${sim.mdm.jamf().members.length} computers`);

  await go(page, 'Checks');
  await page.getByRole('button', { name: 'Add check', exact: true }).click();
  const check = page.getByRole('form', { name: 'Posture check' });
  await check.getByRole('combobox', { name: 'Provider' }).click();
  await page.getByRole('option', { name: NAME, exact: true }).click();
  await check.getByRole('combobox', { name: 'Attribute' }).click();
  await page.getByRole('option', { name: 'FileVault status', exact: true }).click();
  await check.getByRole('textbox', { name: 'Name' }).fill('FileVault on (e2e)');
  await check.getByRole('button', { name: 'Save check' }).click();
  await expect(check).toBeHidden();

  await go(page, 'Dashboard');
  const card = page.getByRole('region', { name: NAME });
  await card.getByRole('button', { name: `Poll now: ${NAME}` }).click();
  await expect(card.getByTestId('poll-outcome')).toHaveText('Poll finished.', { timeout: 30_000 });
  await expect(card.getByTestId('devices-seen')).toHaveText(String(sim.mdm.jamf().members.length));

  await go(page, 'Posture Log');
  const rows = page.getByTestId('log-row').filter({ hasText: 'fileVault2Status' });
  await expect(rows.first()).toBeVisible({ timeout: 15_000 });
  await expect(rows.first()).toContainText(NAME);
});
