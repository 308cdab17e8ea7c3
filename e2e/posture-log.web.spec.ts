// Posture Log end to end against a demo host (simulator in-process, 500 devices, three providers, four checks):
// rows stream in, filters narrow them, a row opens its details, the CSV export holds exactly the filtered rows,
// a deep link pre-sets the filters, and the live tail brings new polls in.
import { readFile } from 'node:fs/promises';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { startConsoleHost, type ConsoleHost } from './console-host';
import { screenshotPath } from './screenshots';

// A second host with a simulator shares the machine with the suite's own: allow for a slow moment.
const expect = baseExpect.configure({ timeout: 15_000 });

let host: ConsoleHost;
let token: string;

async function invoke<T>(channel: string, req: unknown): Promise<T> {
  const response = await fetch(`${host.baseUrl}/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(req),
  });
  const envelope = (await response.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error?.message}`);
  return envelope.value;
}

type Provider = { config: { id: string; kind: string; name: string } };
const countOf = async (filter: object) => (await invoke<{ count: number }>('postureLog.count', filter)).count;
const postureProvider = async (kind: string) => (await invoke<Provider[]>('providers.list', {})).find((p) => p.config.kind === kind)!.config;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  host = await startConsoleHost(['--demo']);
  token = host.openUrl.split('#token=')[1]!;
  // The first poll of each posture provider runs at start; wait until both have landed so totals hold still.
  await expect
    .poll(
      async () => {
        const statuses = await invoke<{ state: string; lastSuccessAt: number | null }[]>('posture.status', {});
        return statuses.length >= 2 && statuses.every((s) => s.lastSuccessAt !== null && s.state !== 'polling');
      },
      { timeout: 60_000 },
    )
    .toBe(true);
});

test.afterAll(async () => {
  await host?.stop();
});

async function openLog(page: Page) {
  await page.goto(host.openUrl);
  await expect(page.getByRole('heading', { name: 'Posture Console' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Posture Log' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Posture Log' })).toBeVisible();
}

const table = (page: Page) => page.getByRole('table', { name: 'Posture log' });
const rows = (page: Page) => page.getByTestId('log-row');
const shownTotal = async (page: Page) => Number((await page.getByTestId('log-total').innerText()).replace(/\D/g, ''));
const distinct = (page: Page, selector: string, read: 'text' | 'result') =>
  page
    .locator(`[data-testid="log-row"] ${selector}`)
    .evaluateAll(
      (els, how) => [...new Set(els.map((e) => (how === 'result' ? e.getAttribute('data-result') : (e as HTMLElement).innerText.trim())))].sort(),
      read,
    );
const deviceCell = 'td:nth-child(2)';

/** RFC 4180 records (quoted fields, doubled quotes, CRLF), enough to read the export back. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++;
      endField();
      records.push(record);
      record = [];
    } else field += ch;
  }
  if (field !== '' || record.length) {
    endField();
    records.push(record);
  }
  return records;
}

test('rows stream in; the result filter and the device search narrow them, and the total follows', async ({ page }) => {
  await openLog(page);
  await expect(rows(page).first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('log-total')).toHaveText(`${(await countOf({})).toLocaleString('en-US')} rows`);
  await expect(table(page).getByRole('columnheader', { name: /Received vs expected/ })).toBeVisible();
  await page.screenshot({ path: screenshotPath('posture-log.png') });

  await page.getByRole('group', { name: 'Result' }).getByText('Fail', { exact: true }).click();
  await expect.poll(() => distinct(page, '[data-result]', 'result')).toEqual(['fail']);
  await expect.poll(() => shownTotal(page)).toBe(await countOf({ results: ['fail'] }));

  const device = (await rows(page).first().locator(deviceCell).innerText()).trim();
  await page.getByLabel('Search').fill(device);
  await expect.poll(() => distinct(page, deviceCell, 'text')).toEqual([device]);
  await expect.poll(() => distinct(page, '[data-result]', 'result')).toEqual(['fail']);
  await expect.poll(() => shownTotal(page)).toBe(await countOf({ results: ['fail'], text: device }));
});

test('a row opens its details with expected next to received, by mouse and by keyboard', async ({ page }) => {
  await openLog(page);
  const first = rows(page).first();
  await expect(first).toBeVisible({ timeout: 20_000 });
  const device = (await first.locator(deviceCell).innerText()).trim();
  await first.click();
  const drawer = page.getByRole('dialog');
  await expect(drawer).toContainText(device);
  await expect(drawer.getByTestId('drawer-expected')).toContainText(/Expected\s*\S+/);
  await expect(drawer.getByTestId('drawer-received')).toContainText(/Received\s*\S+/);
  await expect(drawer).toContainText('Device key');
  await expect(drawer).toContainText('Serial (as reported)');
  await expect(drawer).toContainText('Match key');
  await expect(drawer).toContainText('First evaluated');
  await expect(drawer).toBeInViewport({ ratio: 1 }); // slid all the way in before the screenshot
  await page.screenshot({ path: screenshotPath('posture-log-drawer.png') });

  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  // Focus returns to the rows; the arrow moves the selection to the second row and Enter opens it.
  const second = (await rows(page).nth(1).locator(deviceCell).innerText()).trim();
  await page.getByRole('region', { name: /Posture log rows/ }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(rows(page).nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toContainText(second);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();

  // Page Down and the arrows keep the selected row in view, clear of the sticky header.
  const scroller = page.getByTestId('log-scroller');
  const selectedRowInView = async () => {
    const row = await page.locator('[data-testid="log-row"][aria-selected="true"]').boundingBox();
    const head = await table(page).locator('thead').boundingBox();
    const box = await scroller.boundingBox();
    return !!row && !!head && !!box && row.y >= head.y + head.height - 1 && row.y + row.height <= box.y + box.height + 1;
  };
  for (const key of ['PageDown', 'PageDown', 'ArrowDown', 'PageUp', 'ArrowUp']) {
    await page.keyboard.press(key);
    await expect.poll(selectedRowInView, { message: `selected row in view after ${key}` }).toBe(true);
  }
  await page.keyboard.press('Home');
  await expect(rows(page).first()).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBe(0);
});

test('Export CSV downloads exactly the filtered rows', async ({ page }) => {
  await openLog(page);
  await expect(rows(page).first()).toBeVisible({ timeout: 20_000 });
  await page.getByRole('group', { name: 'Result' }).getByText('Fail', { exact: true }).click();
  await expect.poll(() => distinct(page, '[data-result]', 'result')).toEqual(['fail']);
  const expected = await countOf({ results: ['fail'] });
  await expect.poll(() => shownTotal(page)).toBe(expected);
  expect(expected).toBeGreaterThan(0);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^posture-log-.*\.csv$/);
  const bytes = await readFile((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  expect(text.split('\r\n')[0]).toBe('timestamp,device,serial,match_key,platform,provider,check,result,expected,received,reason');
  const [header, ...data] = parseCsv(text);
  expect(header).toHaveLength(11);
  expect(data).toHaveLength(await shownTotal(page));
  expect(new Set(data.map((r) => r[7]))).toEqual(new Set(['fail']));
  await expect(page.getByTestId('export-done')).toContainText(`Exported ${expected.toLocaleString('en-US')} rows`);
});

test('a deep link from the Dashboard pre-sets result and provider', async ({ page }) => {
  const zta = await postureProvider('crowdstrike-zta');
  await page.goto(host.openUrl);
  await expect(page.getByRole('heading', { name: 'Posture Console' })).toBeVisible();
  await page.goto(`${host.baseUrl}/#/posture-log?result=fail&provider=${zta.id}`);
  await expect(page.getByRole('heading', { level: 2, name: 'Posture Log' })).toBeVisible();
  await expect.poll(() => distinct(page, '[data-result]', 'result')).toEqual(['fail']);
  await expect.poll(() => distinct(page, 'td:nth-child(5)', 'text')).toEqual([zta.name]);
  await expect.poll(() => shownTotal(page)).toBe(await countOf({ results: ['fail'], providerIds: [zta.id] }));
  await expect(page.getByRole('checkbox', { name: 'Fail' })).toBeChecked();
});

test('the live tail shows a new poll at the top, and offers it with a pill when scrolled away', async ({ page }) => {
  const zta = await postureProvider('crowdstrike-zta');
  await openLog(page);
  await expect(rows(page).first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('switch', { name: 'Live tail' })).toBeChecked();
  const before = await shownTotal(page);

  // A new check makes the next poll open a run for every device: rows that must arrive without a reload.
  await invoke('checks.save', { name: 'OS score at least 10', providerId: zta.id, enabled: true, rule: { attribute: 'os', operator: '>=', value: 10 } });
  await invoke('posture.pollNow', { providerId: zta.id });
  await expect.poll(() => shownTotal(page)).toBeGreaterThan(before);
  await expect(rows(page).filter({ hasText: 'OS score at least 10' }).first()).toBeVisible();

  // The whole first poll is in before the reader scrolls away, and the scroll has taken effect before the next poll.
  await expect.poll(() => shownTotal(page)).toBe(await countOf({}));
  const scroller = page.getByTestId('log-scroller');
  await scroller.evaluate((el) => el.scrollTo(0, 4000));
  await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(1000);
  await invoke('checks.save', {
    name: 'Sensor config at least 10',
    providerId: zta.id,
    enabled: true,
    rule: { attribute: 'sensor_config', operator: '>=', value: 10 },
  });
  await invoke('posture.pollNow', { providerId: zta.id });
  // Scrolled away, nothing moves under the reader: the new rows wait behind a pill (one per device with a ZTA host).
  const pill = page.getByRole('button', { name: /^\d{3,} new rows — show$/ });
  await expect(pill).toBeVisible();
  await expect(rows(page).filter({ hasText: 'Sensor config at least 10' })).toHaveCount(0);
  await pill.click();
  await expect(pill).toBeHidden();
  await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBe(0);
  await expect(rows(page).filter({ hasText: 'Sensor config at least 10' }).first()).toBeVisible();
  await expect.poll(() => shownTotal(page)).toBe(await countOf({}));
});
