// Every screen in both themes against the demo simulator: no serious or critical accessibility
// violations (axe), keyboard reachability of the navigation, and the README's screenshots.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { startConsoleHost, type ConsoleHost } from './console-host';
import { screenshotPath } from './screenshots';

const sections = [
  ['Dashboard', 'dashboard'],
  ['Providers', 'providers'],
  ['Checks', 'checks'],
  ['Devices', 'devices'],
  ['Coverage', 'coverage'],
  ['Posture Log', 'posture-log'],
  ['Detection Rules', 'rules'],
  ['Incidents', 'incidents'],
  ['IOCs', 'iocs'],
  ['Users', 'users'],
  ['Audit', 'audit'],
  ['Sinks', 'sinks'],
  ['Settings', 'settings'],
  ['Status', 'status'],
] as const;

let host: ConsoleHost;

test.beforeAll(async () => {
  host = await startConsoleHost(['--demo']);
});

test.afterAll(async () => {
  await host.stop();
});

async function setTheme(page: Page, theme: 'light' | 'dark') {
  const res = await page.request.post(`${host.baseUrl}/api/invoke/settings.update`, { data: { theme } });
  expect(res.ok()).toBe(true);
}

for (const theme of ['light', 'dark'] as const) {
  test(`every screen in the ${theme} theme has no serious accessibility violations`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(host.openUrl);
    await expect(page.getByRole('heading', { name: 'Posture Console' })).toBeVisible();
    await setTheme(page, theme);
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', theme);
    const nav = page.getByRole('navigation', { name: 'Sections' });
    const problems: string[] = [];
    for (const [label, slug] of sections) {
      await nav.getByRole('link', { name: label, exact: true }).click();
      await expect(page.getByRole('heading', { level: 2, name: label })).toBeVisible();
      // Let data arrive so the scan sees the populated screen, not a spinner.
      await page.waitForLoadState('networkidle');
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      for (const v of results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'))
        problems.push(
          `${label} (${theme}): ${v.id} — ${v.help} [${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join('; ')}]`,
        );
      await page.screenshot({ path: screenshotPath(`${theme}/${slug}.png`) });
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
}

test('the navigation and command palette work from the keyboard', async ({ page }) => {
  await page.goto(host.openUrl);
  await expect(page.getByRole('heading', { name: 'Posture Console' })).toBeVisible();
  await page.keyboard.press('Control+K');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  await page.keyboard.type('posture log');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Posture Log' })).toBeVisible();
  // Tab reaches the navigation links in order.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Dashboard', exact: true }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Providers', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Providers' })).toBeVisible();
});
