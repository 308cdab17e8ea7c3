// Coverage end to end against a demo host (Falcon, SentinelOne, Intune, Jamf Pro and Kandji simulated over one fleet):
// the matrix counts every pair, a device the simulator seeds as missing from Intune is in the "in Falcon, missing from
// Intune" list with the why and in the downloaded CSV (as is a Mac it leaves out of Jamf Pro, and one left out of
// Kandji), the demo's "Enrolled in Intune" check fails it in the posture log, and the Dashboard's tile opens a pair's list.
import { readFile } from 'node:fs/promises';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { startSimulator } from '../sim';
import { DEMO_FLEET } from '../src-main/demo/demo';
import { startConsoleHost, type ConsoleHost } from './console-host';
import { screenshotPath } from './screenshots';

const expect = baseExpect.configure({ timeout: 15_000 });

const FALCON = 'Falcon ZTA (simulator)';
const S1 = 'SentinelOne (simulator)';
const INTUNE = 'Intune (simulator)';
const MDMS = { jamf: 'Jamf Pro (simulator)', kandji: 'Kandji (simulator)' } as const;

let host: ConsoleHost;
let token: string;
/** Falcon hosts of the demo fleet with a serial of their own that the simulator leaves out of Intune, and out of S1. */
let seeded: { hostname: string; serial: string };
let noAgent: { hostname: string; serial: string };
/** Per MDM, a Falcon Mac with a serial of its own that the simulator leaves out of that MDM. */
const notInMdm = {} as Record<keyof typeof MDMS, { hostname: string; serial: string }>;

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

test.beforeAll(async () => {
  test.setTimeout(90_000);
  // The same seed builds the same fleet: the simulator names the hosts it leaves without an agent.
  const twin = await startSimulator(DEMO_FLEET);
  seeded = twin.fleet.hostsMissingFrom('intune')[0]!;
  noAgent = twin.fleet.hostsMissingFrom('sentinelone')[0]!;
  const serialCount = new Map<string, number>();
  for (const { serial_number: serial } of twin.fleet.devices) if (serial) serialCount.set(serial, (serialCount.get(serial) ?? 0) + 1);
  for (const source of ['jamf', 'kandji'] as const) {
    const membership = twin.mdm[source]();
    const managed = new Set(membership.members.map((m) => m.serial));
    // A serial another Falcon host shares, or that the MDM reports for another machine, is no gap of its own.
    const serial = membership.missingSerials.find((s) => serialCount.get(s) === 1 && !managed.has(s))!;
    notInMdm[source] = { hostname: twin.fleet.devices.find((d) => d.serial_number === serial)!.hostname, serial };
  }
  await twin.close();
  host = await startConsoleHost(['--demo']);
  token = host.openUrl.split('#token=')[1]!;
  await expect
    .poll(
      async () => {
        const statuses = await invoke<{ state: string; lastSuccessAt: number | null }[]>('posture.status', {});
        return statuses.length >= 3 && statuses.every((s) => s.lastSuccessAt !== null && s.state !== 'polling');
      },
      { timeout: 60_000 },
    )
    .toBe(true);
});

test.afterAll(async () => {
  await host?.stop();
});

async function openCoverage(page: Page) {
  await page.goto(host.openUrl);
  await expect(page.getByRole('heading', { name: 'Posture Console' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Coverage' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Coverage' })).toBeVisible();
}

const cell = (page: Page, presentIn: string, missingFrom: string) =>
  page.locator(`[data-testid="coverage-cell"][data-present-in="${presentIn}"][data-missing-from="${missingFrom}"]`);
const shownTotal = async (page: Page) => Number((await page.getByTestId('gap-total').innerText()).replace(/\D/g, ''));

/** RFC 4180 records, enough to read the export back. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  return records;
}

test('the device seeded as missing from Intune is in the "in Falcon, missing from Intune" list, with the why', async ({ page }) => {
  await openCoverage(page);
  const matrix = page.getByRole('table', { name: 'Coverage matrix' });
  await expect(matrix).toBeVisible();
  // Every ordered pair of sources with data has a cell, whatever sources the demo brings.
  const summary = await invoke<{ sources: { fetchedAt: number | null }[] }>('coverage.summary', {});
  const polled = summary.sources.filter((s) => s.fetchedAt !== null).length;
  expect(polled).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('coverage-cell')).toHaveCount(polled * (polled - 1));

  // The matrix cell is a button with its count; choosing it lists exactly that many devices.
  const target = cell(page, FALCON, INTUNE);
  const count = Number((await target.innerText()).replace(/\D/g, ''));
  expect(count).toBeGreaterThan(0);
  await target.click();
  await expect(target).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('heading', { level: 3, name: `In ${FALCON}, missing from ${INTUNE}` })).toBeVisible();
  await expect.poll(() => shownTotal(page)).toBe(count);
  await page.screenshot({ path: screenshotPath('coverage.png') });

  await page.getByRole('textbox', { name: 'Search' }).fill(seeded.hostname);
  await expect.poll(() => shownTotal(page)).toBe(1);
  const row = page.getByTestId('gap-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('gap-hostname')).toHaveText(seeded.hostname);
  await expect(row).toHaveAttribute('data-reason', 'not_found');

  // From the keyboard: into the list, down to the device, Enter opens its explanation.
  await page.getByTestId('gap-scroller').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByTestId('gap-why')).toContainText(`Why it is not in ${INTUNE}`);
  await expect(drawer.getByTestId('gap-why')).toContainText(/reports serial \S+\./);
  await expect(drawer.getByTestId('match-summary')).toContainText('Matched on serial');
  await expect(drawer.locator('[data-testid="provider-outcome"][data-outcome="not_found"]').filter({ hasText: INTUNE })).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
});

test('a host without an S1 agent is in the "in Falcon, missing from SentinelOne" list', async ({ page }) => {
  await openCoverage(page);
  await cell(page, FALCON, S1).click();
  await page.getByRole('textbox', { name: 'Search' }).fill(noAgent.hostname);
  await expect.poll(() => shownTotal(page)).toBe(1);
  await expect(page.getByTestId('gap-row')).toHaveAttribute('data-reason', 'not_found');
  await expect(page.getByTestId('gap-row')).toContainText(/No SentinelOne agent reports serial /);
});

test('Export CSV downloads exactly the listed devices, the one seeded as missing from Intune among them', async ({ page }) => {
  await openCoverage(page);
  await cell(page, FALCON, INTUNE).click();
  await expect.poll(() => shownTotal(page)).toBeGreaterThan(0);
  const total = await shownTotal(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^coverage-.*\.csv$/);
  const text = (await readFile((await download.path())!)).toString('utf8');
  const [header, ...records] = parseCsv(text.replace(/^\uFEFF/, ''));
  expect(header).toEqual(['device', 'serial', 'serial_status', 'platform', 'present_in', 'missing_from', 'reason', 'why', 'device_key']);
  expect(records).toHaveLength(total);
  const row = records.find((r) => r[0] === seeded.hostname);
  expect(row?.[6]).toBe('not_found');
  expect(row?.[4]!.split('; ')).toContain(FALCON);
  expect(row?.[5]!.split('; ')).toContain(INTUNE);
  expect(records.every((r) => r[4]!.split('; ').includes(FALCON) && r[5]!.split('; ').includes(INTUNE))).toBe(true);

  // A narrower filter exports the narrower set.
  await page.getByRole('textbox', { name: 'Search' }).fill(seeded.hostname);
  await expect.poll(() => shownTotal(page)).toBe(1);
  const [narrow] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const narrowRecords = parseCsv((await readFile((await narrow.path())!)).toString('utf8').replace(/^\uFEFF/, ''));
  expect(narrowRecords.slice(1).map((r) => r[0])).toEqual([seeded.hostname]);
});

for (const source of ['jamf', 'kandji'] as const) {
  test(`a Mac the simulator leaves out of ${MDMS[source]} is listed as missing from it, and is in the CSV`, async ({ page }) => {
    const mdm = MDMS[source];
    const device = notInMdm[source];
    await openCoverage(page);
    const target = cell(page, FALCON, mdm);
    const count = Number((await target.innerText()).replace(/\D/g, ''));
    expect(count).toBeGreaterThan(0);
    await target.click();
    await expect(page.getByRole('heading', { level: 3, name: `In ${FALCON}, missing from ${mdm}` })).toBeVisible();
    await expect.poll(() => shownTotal(page)).toBe(count);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const [, ...records] = parseCsv((await readFile((await download.path())!)).toString('utf8').replace(/^\uFEFF/, ''));
    expect(records).toHaveLength(count);
    const row = records.find((r) => r[0] === device.hostname);
    expect([row?.[1], row?.[6]]).toEqual([device.serial, 'not_found']);
    expect(row?.[5]!.split('; ')).toContain(mdm);

    await page.getByRole('textbox', { name: 'Search' }).fill(device.hostname);
    await expect.poll(() => shownTotal(page)).toBe(1);
    await expect(page.getByTestId('gap-row').getByTestId('gap-hostname')).toHaveText(device.hostname);
    await expect(page.getByTestId('gap-row')).toHaveAttribute('data-reason', 'not_found');
  });
}

test('the demo\'s "Enrolled in Intune" check on Falcon fails the seeded device in the posture log', async () => {
  const providers = await invoke<{ config: { id: string; name: string } }[]>('providers.list', {});
  const falcon = providers.find((p) => p.config.name === FALCON)!.config.id;
  const check = (await invoke<{ id: string; name: string }[]>('checks.list', {})).find((c) => c.name === 'Enrolled in Intune')!;
  // Falcon's first poll may have run before Intune's: poll it again now that Intune has data.
  expect((await invoke<{ outcome: string }>('posture.pollNow', { providerId: falcon })).outcome).toBe('succeeded');
  const page = await invoke<{ rows: { deviceName: string; result: string; expected: string; received: string }[] }>('postureLog.query', {
    view: 'latest',
    checkIds: [check.id],
    text: seeded.hostname,
    limit: 5,
  });
  expect(page.rows.map((r) => [r.deviceName, r.result, r.expected, r.received])).toEqual([
    [seeded.hostname, 'fail', `present in ${INTUNE}`, `not in ${INTUNE}`],
  ]);
});

test("the Dashboard's coverage tile opens the pair it names", async ({ page }) => {
  await page.goto(host.openUrl);
  await expect(page.getByRole('heading', { level: 2, name: 'Dashboard' })).toBeVisible();
  const tile = page.getByRole('region', { name: 'Coverage gaps' });
  const biggest = tile.getByTestId('coverage-gap').first();
  await expect(biggest).toBeVisible();
  const label = (await biggest.getAttribute('aria-label'))!;
  const [, count, presentIn, missingFrom] = /^([\d,]+) devices? in (.+), missing from (.+)$/.exec(label)!;
  await biggest.click();
  await expect(page.getByRole('heading', { level: 2, name: 'Coverage' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: `In ${presentIn}, missing from ${missingFrom}` })).toBeVisible();
  await expect.poll(() => shownTotal(page)).toBe(Number(count!.replace(/,/g, '')));
});
