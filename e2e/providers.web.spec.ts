// Providers end to end: add each kind in the UI against the simulator, Test green, then each
// failure mode shows its own diagnosis. The simulator runs in this process, on loopback.
import { expect, test, type Page } from '@playwright/test';
import { startSimulator, type Simulator } from '../sim';
import { screenshotPath } from './screenshots';

let sim: Simulator;

test.beforeAll(async () => {
  sim = await startSimulator({ devices: 300, seed: 11 });
  sim.addFalconClient({ clientId: 'a'.repeat(32), clientSecret: 'no-hosts-scope-secret', scopes: ['zero-trust-assessment:read'] });
  sim.addFalconClient({ clientId: 'b'.repeat(32), clientSecret: 'no-ioc-scope-secret', scopes: ['alerts:read', 'devices:read'] });
  sim.addSentinelOneToken({ token: 'site-scoped-token-0001', siteScoped: true });
});

test.afterAll(async () => {
  await sim.close();
});

async function openProviders(page: Page) {
  await page.goto(process.env.PC_OPEN_URL!);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Providers' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Providers' })).toBeVisible();
}

async function addProvider(page: Page, kindLabel: RegExp, fill: (form: ReturnType<Page['getByRole']>) => Promise<void>) {
  await page.getByRole('button', { name: 'Add provider' }).click();
  await page.getByRole('menuitem', { name: kindLabel }).click();
  const form = page.getByRole('form', { name: 'Provider settings' });
  await fill(form);
  await form.getByRole('button', { name: 'Add provider' }).click();
  await expect(form).toBeHidden();
}

async function chooseCustomRegion(form: ReturnType<Page['getByRole']>, baseUrl: string) {
  await form.getByRole('combobox', { name: 'Falcon cloud' }).click();
  await form.page().getByRole('option', { name: 'Custom base URL' }).click();
  await form.getByLabel('Base URL').fill(baseUrl);
}

async function runTest(page: Page, name: string) {
  await page.getByRole('button', { name: `Test ${name}` }).click();
  const panel = page.getByRole('region', { name: `Test of ${name}` });
  await expect(panel.getByTestId('test-verdict')).toBeVisible({ timeout: 30_000 });
  return panel;
}

test('the form explains where each value comes from and validates as you type', async ({ page }) => {
  await openProviders(page);
  await page.getByRole('button', { name: 'Add provider' }).click();
  await page.getByRole('menuitem', { name: /Falcon ZTA/ }).click();
  const form = page.getByRole('form', { name: 'Provider settings' });
  await expect(form).toContainText('Sensor downloads');
  await form.getByLabel('Client ID').fill('not-hex');
  await expect(form).toContainText('Client ID is 32 hexadecimal characters');
  await form.getByLabel('Customer ID (CID)').fill('1234');
  await expect(form).toContainText('Customer ID is 32 hexadecimal characters');
  await page.screenshot({ path: screenshotPath('provider-form.png') });
  await form.getByRole('button', { name: 'Cancel' }).click();
});

test('each kind added against the simulator tests green', async ({ page }) => {
  const { falcon, sentinelOne } = sim.credentials;
  await openProviders(page);
  await addProvider(page, /Falcon ZTA/, async (form) => {
    await form.getByLabel('Name').fill('ZTA green');
    await form.getByLabel('Client ID').fill(falcon.clientId);
    await form.getByLabel('Client secret').fill(falcon.clientSecret);
    await chooseCustomRegion(form, sim.url);
    await form.getByLabel('Customer ID (CID)').fill(falcon.customerId);
  });
  await addProvider(page, /SentinelOne/, async (form) => {
    await form.getByLabel('Name').fill('S1 green');
    await form.getByLabel('REST API URL').fill(sim.url);
    await form.getByLabel('API token').fill(sentinelOne.apiToken);
  });
  await addProvider(page, /detections/, async (form) => {
    await form.getByLabel('Name').fill('Incidents green');
    await form.getByLabel('Client ID').fill(falcon.clientId);
    await form.getByLabel('Client secret').fill(falcon.clientSecret);
    await chooseCustomRegion(form, sim.url);
  });
  for (const name of ['ZTA green', 'S1 green', 'Incidents green']) {
    const panel = await runTest(page, name);
    await expect(panel.getByTestId('test-verdict')).toHaveText('All checks passed');
    // Connected; a posture provider without a check evaluates nothing, and says so instead of "Healthy".
    await expect(page.getByTestId(`provider-${name}`).getByTestId('health')).toHaveText(name === 'Incidents green' ? 'Healthy' : 'No checks');
  }
  await page.screenshot({ path: screenshotPath('providers.png'), fullPage: true });
});

test('a wrong client secret is diagnosed as bad credentials with the fix', async ({ page }) => {
  await openProviders(page);
  await addProvider(page, /Falcon ZTA/, async (form) => {
    await form.getByLabel('Name').fill('Bad secret');
    await form.getByLabel('Client ID').fill(sim.credentials.falcon.clientId);
    await form.getByLabel('Client secret').fill('definitely-not-the-secret');
    await chooseCustomRegion(form, sim.url);
    await form.getByLabel('Customer ID (CID)').fill(sim.credentials.falcon.customerId);
  });
  const panel = await runTest(page, 'Bad secret');
  await expect(panel.getByTestId('test-verdict')).toHaveText('Problems found');
  await expect(panel).toContainText(/Re-copy Client ID and Secret from Falcon API Clients page/);
  await expect(panel).not.toContainText('definitely-not-the-secret');
  await page.screenshot({ path: screenshotPath('provider-test-failure.png'), fullPage: true });
});

test('a missing Hosts scope is named, with the scope to add', async ({ page }) => {
  await openProviders(page);
  await addProvider(page, /Falcon ZTA/, async (form) => {
    await form.getByLabel('Name').fill('No hosts scope');
    await form.getByLabel('Client ID').fill('a'.repeat(32));
    await form.getByLabel('Client secret').fill('no-hosts-scope-secret');
    await chooseCustomRegion(form, sim.url);
    await form.getByLabel('Customer ID (CID)').fill(sim.credentials.falcon.customerId);
  });
  const panel = await runTest(page, 'No hosts scope');
  await expect(panel).toContainText(/Hosts: Read/);
});

test('a missing IOC Management scope is named for the incidents integration', async ({ page }) => {
  await openProviders(page);
  await addProvider(page, /detections/, async (form) => {
    await form.getByLabel('Name').fill('No IOC scope');
    await form.getByLabel('Client ID').fill('b'.repeat(32));
    await form.getByLabel('Client secret').fill('no-ioc-scope-secret');
    await chooseCustomRegion(form, sim.url);
  });
  const panel = await runTest(page, 'No IOC scope');
  await expect(panel).toContainText(/IOC Management/);
});

test('credentials from another cloud are found through the 308 and the region is reported', async ({ page }) => {
  await openProviders(page);
  await addProvider(page, /Falcon ZTA/, async (form) => {
    await form.getByLabel('Name').fill('Wrong region');
    await form.getByLabel('Client ID').fill(sim.credentials.falcon.clientId);
    await form.getByLabel('Client secret').fill(sim.credentials.falcon.clientSecret);
    await chooseCustomRegion(form, sim.regionUrl('eu-1'));
    await form.getByLabel('Customer ID (CID)').fill(sim.credentials.falcon.customerId);
  });
  const panel = await runTest(page, 'Wrong region');
  await expect(panel.getByTestId('step-region')).toContainText(/us-1/);
});

test('a site-scoped SentinelOne token is diagnosed as such', async ({ page }) => {
  await openProviders(page);
  await addProvider(page, /SentinelOne/, async (form) => {
    await form.getByLabel('Name').fill('Site token');
    await form.getByLabel('REST API URL').fill(sim.url);
    await form.getByLabel('API token').fill('site-scoped-token-0001');
  });
  const panel = await runTest(page, 'Site token');
  await expect(panel).toContainText(/site/i);
  await expect(panel).toContainText(/account/i);
});

test('a new posture provider starts with the default polling frequency from Settings, even on a cold load', async ({ page }) => {
  const setDefault = async (label: string) => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Settings' }).click();
    const select = page.getByRole('combobox', { name: 'Default polling frequency for new posture providers' });
    await select.click();
    await page.getByRole('option', { name: label, exact: true }).click();
    await expect(select).toHaveValue(label);
  };
  await openProviders(page);
  await setDefault('Every 6 h');
  try {
    // Straight to the form on a fresh page while the preferences are held back: they arrive after it opened.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/invoke/preferences.get', async (route) => {
      await held;
      await route.continue();
    });
    await page.reload();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Providers' }).click();
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByRole('menuitem', { name: /SentinelOne/ }).click();
    const form = page.getByRole('form', { name: 'Provider settings' });
    await expect(form.getByRole('combobox', { name: 'Polling frequency' })).toHaveValue('Every 1 h');
    release();
    await expect(form.getByRole('combobox', { name: 'Polling frequency' })).toHaveValue('Every 6 h');
    await form.getByRole('button', { name: 'Cancel' }).click();
  } finally {
    await page.unrouteAll();
    await setDefault('Every 1 h');
  }
});
