// The main screens at 1440 × 900 against the demo host, with two more posture providers whose polls fail (four in
// all): health reads the same on Providers and the Dashboard and is never cut, the Provider, Check and Device cells
// show their full value (or carry it on hover), a failing provider's column says it has no data, devices sort and
// page to the end, the palette runs Test all and Export, and each screen is photographed.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startConsoleHost, type ConsoleHost } from './console-host';
import { screenshotPath } from './screenshots';

const ZTA = 'Falcon ZTA (simulator)';
const S1 = 'SentinelOne (simulator)';
const BROKEN_S1 = 'SentinelOne EU (bad token)';
const BROKEN_ZTA = 'Falcon ZTA EU (bad secret)';

test.use({ viewport: { width: 1440, height: 900 } });

let host: ConsoleHost;

async function invoke<T = unknown>(page: Page, channel: string, req: unknown): Promise<T> {
  const res = await page.request.post(`${host.baseUrl}/api/invoke/${channel}`, { data: req });
  const body = (await res.json()) as { ok: boolean; value: T; error?: unknown };
  expect(body.ok, `${channel}: ${JSON.stringify(body.error)}`).toBe(true);
  return body.value;
}

test.beforeAll(async () => {
  host = await startConsoleHost(['--demo']);
});

test.afterAll(async () => {
  await host?.stop();
});

async function open(page: Page, section: string) {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
}

/** Runs a command palette action by typing its name, once it is the one highlighted. */
async function palette(page: Page, command: string) {
  await page.keyboard.press('Control+K');
  const input = page.getByRole('textbox', { name: 'Command' });
  await expect(input).toBeFocused();
  await input.fill(command);
  await expect(page.getByRole('option', { selected: true })).toHaveText(new RegExp(`^${command.replace(/[()]/g, '\\$&')}`));
  await page.keyboard.press('Enter');
}

async function shot(page: Page, name: string) {
  // Transitions done (one cancelled by a re-render rejects its promise: that is done too).
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  await page.screenshot({ path: screenshotPath(`1440/${name}.png`) });
}

/** Each element shows its whole text, or holds it in a title for the hover: never a value cut with nothing behind it. */
async function expectFullValues(cells: Locator, what: string) {
  const verdicts = await cells.evaluateAll((els) =>
    els.map((el) => {
      const text = (el.textContent ?? '').trim();
      // Whole inside its own box, and the box whole inside its cell.
      const cell = el.closest('td');
      const fits = el.scrollWidth <= el.clientWidth + 1 && (!cell || el.getBoundingClientRect().right <= cell.getBoundingClientRect().right + 1);
      const titled = (el.closest('[title]')?.getAttribute('title') ?? '').includes(text);
      return { text, ok: fits || titled };
    }),
  );
  expect(verdicts.length, `${what}: cells to check`).toBeGreaterThan(0);
  expect(
    verdicts.filter((v) => !v.ok).map((v) => v.text),
    `${what} cut without its full value`,
  ).toEqual([]);
}

/** Badges are judged strictly: the word must fit (a badge has no room to hover a long word out of). */
async function expectBadgesFit(badges: Locator, what: string) {
  const cut = await badges
    .locator('.mantine-Badge-label')
    .evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent));
  expect(await badges.count(), `${what}: badges to check`).toBeGreaterThan(0);
  expect(cut, `${what} cut`).toEqual([]);
}

test('the first hour: health, full values, no-data columns, sorting, paging and palette actions at 1440 × 900', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(host.openUrl);
  await expect(page.getByRole('heading', { name: 'Posture Console' })).toBeVisible();

  // Two more posture providers whose polls fail: four in all, as in the report.
  const demo = await invoke<{ config: { kind: string; baseUrl?: string; apiUrl?: string; clientId?: string; customerId?: string } }[]>(
    page,
    'providers.list',
    {},
  );
  const zta = demo.find((p) => p.config.kind === 'crowdstrike-zta')!.config;
  const s1 = demo.find((p) => p.config.kind === 'sentinelone')!.config;
  const broken = [
    await invoke<{ config: { id: string } }>(page, 'providers.save', { kind: 'sentinelone', name: BROKEN_S1, apiUrl: s1.apiUrl, apiToken: 'not-a-real-token' }),
    await invoke<{ config: { id: string } }>(page, 'providers.save', {
      kind: 'crowdstrike-zta',
      name: BROKEN_ZTA,
      clientId: zta.clientId,
      clientSecret: 'not-the-secret',
      customerId: zta.customerId,
      region: 'custom',
      baseUrl: zta.baseUrl,
    }),
  ];
  for (const p of broken) await invoke(page, 'posture.pollNow', { providerId: p.config.id });
  // Start clean: these changes may have come before the page listened for events.
  await page.reload();

  // Providers: one health per provider, the same as on the Dashboard, never cut; secrets show only that they are set.
  await open(page, 'Providers');
  const providerHealth = async (name: string) => (await page.getByTestId(`provider-${name}`).getByTestId('health').textContent())!.trim();
  await expect(page.getByTestId(`provider-${ZTA}`).getByTestId('health')).toHaveText('Healthy', { timeout: 30_000 });
  await expect(page.getByTestId(`provider-${S1}`).getByTestId('health')).toHaveText('Healthy');
  for (const name of [BROKEN_S1, BROKEN_ZTA]) await expect(page.getByTestId(`provider-${name}`).getByTestId('health')).toHaveText('Failing');
  await expectBadgesFit(page.getByRole('table', { name: 'Providers' }).getByTestId('health'), 'Providers health badges');
  const secrets = page.getByRole('table', { name: 'Providers' }).locator('tbody tr td:nth-child(6)');
  await expect(secrets.first()).toHaveText(/^Set · changed /);
  await expect(page.getByRole('table', { name: 'Providers' })).not.toContainText('…');
  await shot(page, 'providers');

  const words = new Map<string, string>();
  for (const name of [ZTA, S1, BROKEN_S1, BROKEN_ZTA]) words.set(name, await providerHealth(name));
  await open(page, 'Dashboard');
  for (const [name, word] of words) await expect(page.getByRole('region', { name }).getByTestId('health')).toHaveText(word);
  await expectBadgesFit(page.getByTestId('health'), 'Dashboard health badges');
  await expect(page.getByTestId('devices-seen').first()).toHaveText(/^\d{1,3}(,\d{3})*$/);
  await shot(page, 'dashboard');

  // Posture Log: Provider, Check and Device cells whole or titled; the time column names its zone.
  await open(page, 'Posture Log');
  const log = page.getByRole('table', { name: 'Posture log' });
  await expect(page.getByTestId('log-row').first()).toBeVisible({ timeout: 30_000 });
  await expect(log.getByRole('columnheader', { name: /^Time \(.+\)/ })).toBeVisible();
  for (const col of ['provider', 'check', 'device'] as const)
    await expectFullValues(page.locator(`[data-testid="log-row"] td[data-col="${col}"] > span`), `Posture Log ${col} cells`);
  await expect(page.locator('[data-testid="log-row"] td[data-col="time"] > span').first()).toHaveAttribute('title', /UTC\)$/);
  await shot(page, 'posture-log');

  // Devices: four provider columns fit or scroll (Possible match is reachable, never clipped); the failing
  // providers say they have no data; the Device cells are whole; sorting and the last page work.
  await open(page, 'Devices');
  const devices = page.getByRole('table', { name: 'Devices' });
  await expect(page.getByTestId('device-row').first()).toBeVisible({ timeout: 30_000 });
  for (const name of [BROKEN_S1, BROKEN_ZTA])
    await expect(devices.getByRole('columnheader', { name: new RegExp(`^${name.replace(/[()]/g, '\\$&')}\\s*no data$`) })).toBeVisible();
  await expect(page.getByTestId('device-row').first()).toContainText('no data');
  const possible = devices.getByRole('columnheader', { name: 'Possible match' });
  await possible.scrollIntoViewIfNeeded();
  // Wholly inside the table's frame (it may scroll sideways, but never clips).
  expect(
    await possible.evaluate((el) => {
      const frame = el.closest('.mantine-Table-scrollContainer') ?? el.closest('table')!;
      const [a, b] = [el.getBoundingClientRect(), frame.getBoundingClientRect()];
      return a.left >= b.left - 1 && a.right <= b.right + 1;
    }),
  ).toBe(true);
  await expectFullValues(page.getByTestId('device-hostname'), 'Devices hostname cells');
  await expectFullValues(page.getByTestId('device-serial'), 'Devices serial cells');
  await expectBadgesFit(devices.locator('tbody .mantine-Badge-root'), 'Devices badges');

  await devices.getByRole('columnheader', { name: 'Hostname' }).getByRole('button').click();
  await expect(devices.getByRole('columnheader', { name: /Hostname/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect
    .poll(async () => {
      const names = (await page.getByTestId('device-hostname').allInnerTexts()).map((t) => t.trim()).filter((t) => t !== 'no hostname');
      const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
      return names.length > 1 && names.every((n, i) => i === 0 || collator.compare(names[i - 1]!, n) <= 0);
    })
    .toBe(true);
  await page.getByRole('button', { name: 'last page' }).click();
  const count = page.getByTestId('device-count');
  await expect(count).toHaveText(/^([\d,]+)–([\d,]+) of ([\d,]+) devices$/);
  const [, , to, of] = (await count.innerText()).match(/^([\d,]+)–([\d,]+) of ([\d,]+) devices$/)!;
  expect(to).toBe(of);
  await page.getByRole('button', { name: 'first page' }).click();
  await expect(count).toHaveText(/^1–/);
  await shot(page, 'devices');

  // The command palette: Test all runs every Test on Providers; Export exports the log with its filters.
  await palette(page, 'Test all providers');
  await expect(page.getByRole('heading', { level: 2, name: 'Providers' })).toBeVisible();
  await expect(page.getByTestId('test-all-summary')).toContainText(/2 of \d+ providers failed the test/, { timeout: 60_000 });
  await expect(page.getByTestId('test-all-summary')).toContainText(BROKEN_S1);

  const download = page.waitForEvent('download');
  await palette(page, 'Export the posture log (CSV, current filters)');
  await expect(page.getByRole('heading', { level: 2, name: 'Posture Log' })).toBeVisible();
  await expect(page.getByTestId('export-done')).toBeVisible({ timeout: 60_000 });
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);

  // Every other screen, photographed at this size.
  for (const section of ['Checks', 'Detection Rules', 'Incidents', 'IOCs', 'Users', 'Settings', 'Status']) {
    await open(page, section);
    await page.waitForLoadState('networkidle');
    await shot(page, section.toLowerCase().replace(/ /g, '-'));
  }
});

test('the Dashboard says a provider without checks has none, with a link to add one, and draws no line for it', async ({ page }) => {
  await page.goto(host.openUrl);
  // The page trades the URL's token for the session cookie the requests below need: wait for an answer that needs it.
  await expect(page.getByRole('banner').getByRole('link', { name: /\d+ providers?( failing)?$/ })).toBeVisible();
  const checks = await invoke<{ id: string; providerId: string; name: string }[]>(page, 'checks.list', {});
  const providers = await invoke<{ config: { id: string; name: string } }[]>(page, 'providers.list', {});
  const s1 = providers.find((p) => p.config.name === S1)!.config;
  const removed = checks.filter((c) => c.providerId === s1.id);
  for (const c of removed) await invoke(page, 'checks.remove', { id: c.id });
  try {
    // A fresh load: the changes above were made before this page listened for events.
    await page.reload();
    await open(page, 'Dashboard');
    const card = page.getByRole('region', { name: S1 });
    await expect(card.getByTestId('health')).toHaveText('No checks');
    await expect(card.getByTestId('no-checks')).toContainText('evaluates nothing');
    await expect(page.getByTestId('trend-chart')).not.toHaveAttribute('aria-label', new RegExp(S1.replace(/[()]/g, '\\$&')));
    await card.getByRole('link', { name: 'Add a check' }).click();
    await expect(page.getByRole('dialog', { name: 'New posture check' })).toBeVisible();
  } finally {
    for (const c of removed) await invoke(page, 'checks.save', { ...c, id: undefined });
  }
});
