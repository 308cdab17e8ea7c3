// The walking skeleton in a real browser: the console opens with its token, refuses without it,
// every section renders, the Status page tells how secrets are kept, and the theme switch works.
import { expect, test } from '@playwright/test';
import { screenshotPath } from './screenshots';

const openUrl = () => process.env.PC_OPEN_URL!;
const baseUrl = () => process.env.PC_BASE_URL!;

const sections = [
  'Dashboard',
  'Providers',
  'Checks',
  'Devices',
  'Coverage',
  'Posture Log',
  'Detection Rules',
  'Incidents',
  'IOCs',
  'Users',
  'Sinks',
  'Audit',
  'Settings',
  'Status',
];

test('without the token the API refuses and the page says how to get in', async ({ page, request }) => {
  const res = await request.post(`${baseUrl()}/api/invoke/app.info`, { data: {} });
  expect(res.status()).toBe(401);
  await page.goto(`${baseUrl()}/#/status`);
  await expect(page.getByRole('alert')).toContainText('URL printed by `posture-console serve`');
});

test('opens with the token, drops it from the address bar, and navigates every section', async ({ page }) => {
  await page.goto(openUrl());
  await expect(page.getByRole('heading', { name: 'Posture Console' })).toBeVisible();
  await expect.poll(() => page.url()).not.toContain('token=');
  const nav = page.getByRole('navigation', { name: 'Sections' });
  for (const name of sections) {
    await nav.getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  }
});

test('Status shows the versions, data directory and how secrets are protected', async ({ page }) => {
  await page.goto(openUrl());
  await page.getByRole('link', { name: 'Status' }).click();
  await expect(page.getByTestId('keyring-status')).toContainText('AES-256-GCM');
  const details = page.getByRole('table', { name: 'Installation details' });
  await expect(details).toContainText(process.env.PC_DATA_DIR!);
  await expect(details).toContainText('Web host (loopback)');
  await expect(details).toContainText(/Node\s*24\./);
  await expect(page.getByText('Secrets protected')).toBeVisible();
  await page.screenshot({ path: screenshotPath('status.png') });
});

test('the theme preference is saved through the contract and applied', async ({ page }) => {
  await page.goto(openUrl());
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByText('Dark', { exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.screenshot({ path: screenshotPath('settings-dark.png') });
  await page.getByText('Follow system', { exact: true }).click();
});
