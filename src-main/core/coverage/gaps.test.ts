// Coverage through the composition root: a real app (vault, settings, SQLite store) polls Falcon and SentinelOne from
// the simulator over loopback; the pair counts, the filtered list and its CSV are judged against the simulated fleet
// and against the inventory the Devices screen lists.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../sim';
import { startIntuneSimulator } from '../../../sim/intune/server';
import type { Channel, Res } from '../../../src-shared/contract';
import type { CoverageFilter } from '../../../src-shared/schemas/coverage';
import type { ExportProgress } from '../../../src-shared/schemas/posture-log';
import { dispatch } from '../../../src-shared/dispatch';
import type { App } from '../app';
import { restoreFormula } from '../csv/formula';
import { createTestApp } from '../test-app.testkit';

let sim: Simulator;
let app: App;
let falconId = '';
let s1Id = '';

async function call<C extends Channel>(channel: C, req: unknown): Promise<Res<C>> {
  const res = await dispatch(app.handlers, channel, req);
  if (!res.ok) throw Object.assign(new Error(`${channel}: ${res.error.message}`), { body: res.error });
  return res.value as never;
}

beforeAll(async () => {
  sim = await startSimulator({ devices: 300, seed: 11 });
  ({ app } = await createTestApp({ schedule: false }));
  const { falcon, sentinelOne } = sim.credentials;
  falconId = (
    await call('providers.save', {
      kind: 'crowdstrike-zta',
      name: 'Falcon',
      clientId: falcon.clientId,
      clientSecret: falcon.clientSecret,
      customerId: falcon.customerId,
      region: 'custom',
      baseUrl: sim.url,
    })
  ).config.id;
  s1Id = (await call('providers.save', { kind: 'sentinelone', name: 'S1', apiUrl: sim.url, apiToken: sentinelOne.apiToken })).config.id;
});

afterAll(async () => {
  await app?.close();
  await sim?.close();
});

/** The whole inventory as the Devices screen pages it: the oracle's view of who is where. */
async function allDevices() {
  const items = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await call('devices.list', { offset, limit: 1000 });
    items.push(...page.items);
    if (items.length >= page.total) return items;
  }
}

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

async function exportCsv(filter: CoverageFilter): Promise<string[][]> {
  const done = new Promise<ExportProgress>((resolve) => {
    const stop = app.events.listen((event, payload) => {
      const p = payload as ExportProgress;
      if (event === 'export.progress' && p.state !== 'running') {
        stop();
        resolve(p);
      }
    });
  });
  const started = await call('coverage.export', { filter });
  expect(started.file).not.toBeNull();
  const progress = await done;
  expect(progress).toMatchObject({ exportId: started.exportId, state: 'done' });
  return parseCsv(readFileSync(started.file!, 'utf8').replace(/^\uFEFF/, ''));
}

describe('coverage between two posture sources', () => {
  it('knows nothing until a source has been polled, and says which source lacks data', async () => {
    const summary = await call('coverage.summary', {});
    expect(summary.sources.map((s) => [s.name, s.fetchedAt])).toEqual([
      ['Falcon', null],
      ['S1', null],
    ]);
    expect(summary.pairs).toEqual([]);
    await expect(call('coverage.query', { filter: { presentIn: falconId, missingFrom: s1Id } })).rejects.toMatchObject({
      body: { code: 'coverage.no_data', message: expect.stringContaining('Falcon has no successful poll yet') },
    });
  });

  it('counts, for each ordered pair, the devices present in one and missing from the other — as the inventory has them', async () => {
    expect((await call('posture.pollNow', { providerId: falconId })).outcome).toBe('succeeded');
    expect((await call('posture.pollNow', { providerId: s1Id })).outcome).toBe('succeeded');
    const summary = await call('coverage.summary', {});
    const devices = await allDevices();
    const inSource = (d: (typeof devices)[number], id: string) => d.records.some((r) => r.observation.providerId === id);
    const oracle = (a: string, b: string) => devices.filter((d) => inSource(d, a) && !inSource(d, b)).length;
    const pair = (a: string, b: string) => summary.pairs.find((p) => p.presentIn === a && p.missingFrom === b)!;

    expect(summary.devices).toBe(devices.length);
    expect(summary.pairs).toHaveLength(2);
    expect(pair(falconId, s1Id).count).toBe(oracle(falconId, s1Id));
    expect(pair(s1Id, falconId).count).toBe(oracle(s1Id, falconId));
    // The simulated fleet leaves ~30% of Falcon hosts without an agent and adds S1-only machines: both gaps are real.
    expect(pair(falconId, s1Id).count).toBeGreaterThan(50);
    expect(pair(s1Id, falconId).count).toBeGreaterThan(5);
    for (const p of summary.pairs) expect(Object.values(p.byReason).reduce((a, b) => a + b, 0)).toBe(p.count);
    expect(summary.sources.find((s) => s.providerId === falconId)?.devices).toBe(devices.filter((d) => inSource(d, falconId)).length);
  });

  it('lists a host without an agent as present in Falcon and missing from S1, matched on nothing because its serial is not in S1', async () => {
    const gaps = sim.fleet.hostsMissingFrom('sentinelone');
    expect(gaps.length).toBeGreaterThan(0);
    const target = gaps[3]!;
    const page = await call('coverage.query', { filter: { presentIn: falconId, missingFrom: s1Id, text: target.serial }, limit: 10 });
    const item = page.items.find((i) => i.serial === target.serial.toUpperCase() || i.hostname === target.hostname);
    expect(item).toMatchObject({ hostname: target.hostname, serialStatus: 'valid', presentIn: [falconId], missingFrom: [s1Id], reason: 'not_found' });
    // The why is the Devices panel's own explanation of the S1 side.
    const detail = await call('devices.get', { key: item!.key });
    expect(item!.why).toBe(detail.explanation.providers.find((p) => p.providerId === s1Id)!.detail);
    expect(item!.why).toMatch(/^No SentinelOne agent reports serial /);

    // Every listed gap of the fleet is in the full list.
    const all = await call('coverage.query', { filter: { presentIn: falconId, missingFrom: s1Id }, limit: 1000 });
    const listed = new Set(all.items.map((i) => i.hostname));
    for (const gap of gaps) expect(listed.has(gap.hostname)).toBe(true);
  });

  it('filters by reason, platform and text, each narrowing the same set', async () => {
    const base = { presentIn: s1Id, missingFrom: falconId };
    const all = await call('coverage.query', { filter: base, limit: 1000 });
    const reasons = [...new Set(all.items.map((i) => i.reason))];
    for (const reason of reasons) {
      const only = await call('coverage.query', { filter: { ...base, reasons: [reason] }, limit: 1000 });
      expect(only.total).toBe(all.items.filter((i) => i.reason === reason).length);
    }
    const platform = all.platforms[0]!;
    const onPlatform = await call('coverage.query', { filter: { ...base, platform }, limit: 1000 });
    expect(onPlatform.total).toBe(all.items.filter((i) => i.platform === platform).length);
    expect(onPlatform.total).toBeGreaterThan(0);
    // Paging walks the same order.
    const second = await call('coverage.query', { filter: base, offset: 5, limit: 5 });
    expect(second.items.map((i) => i.key)).toEqual(all.items.slice(5, 10).map((i) => i.key));
  });

  it('refuses the same source on both sides and an unknown source, naming the field', async () => {
    await expect(call('coverage.query', { filter: { presentIn: falconId, missingFrom: falconId } })).rejects.toMatchObject({
      body: { issues: [expect.objectContaining({ path: 'filter.missingFrom' })] },
    });
    await expect(call('coverage.query', { filter: { missingFrom: 'nope' } })).rejects.toMatchObject({ body: { code: 'coverage.unknown_source' } });
  });

  it('exports exactly the filtered devices to CSV, with source names and the why', async () => {
    const filter = { presentIn: falconId, missingFrom: s1Id };
    const page = await call('coverage.query', { filter, limit: 1000 });
    const [header, ...records] = await exportCsv(filter);
    expect(header).toEqual(['device', 'serial', 'serial_status', 'platform', 'present_in', 'missing_from', 'reason', 'why', 'device_key']);
    expect(records).toHaveLength(page.total);
    expect(records.map((r) => restoreFormula(r[8]!))).toEqual(page.items.map((i) => i.key));
    const target = sim.fleet.hostsMissingFrom('sentinelone')[3]!;
    const row = records.find((r) => r[0] === target.hostname)!;
    expect(row.slice(4, 7)).toEqual(['Falcon', 'S1', 'not_found']);

    const narrowed = await exportCsv({ ...filter, text: target.hostname });
    expect(narrowed.slice(1).map((r) => r[0])).toEqual([target.hostname]);
  });

  it('a "present in S1" check on Falcon fails exactly the devices coverage lists as not found in S1, and is logged so', async () => {
    const check = await call('checks.save', { name: 'Has an S1 agent', providerId: falconId, rule: { attribute: 'present_in', sourceId: s1Id } });
    expect((await call('posture.pollNow', { providerId: falconId })).tally).toMatchObject({ checks: 1 });
    const pair = (await call('coverage.summary', {})).pairs.find((p) => p.presentIn === falconId && p.missingFrom === s1Id)!;
    const count = async (result: 'pass' | 'fail' | 'unknown') =>
      (await call('postureLog.count', { view: 'latest', checkIds: [check.id], results: [result] })).count;
    expect(await count('fail')).toBe(pair.byReason.not_found);
    // Devices with a possible match only, or without a trustworthy serial, cannot be judged.
    expect(await count('unknown')).toBe((await call('devices.list', { providerId: falconId, limit: 1 })).total - (await count('pass')) - (await count('fail')));
    const target = sim.fleet.hostsMissingFrom('sentinelone')[3]!;
    const rows = await call('postureLog.query', { view: 'latest', checkIds: [check.id], text: target.hostname, limit: 5 });
    expect(rows.rows.map((r) => [r.deviceName, r.result, r.expected, r.received])).toEqual([[target.hostname, 'fail', 'present in S1', 'not in S1']]);
  });

  it('a new source joins the matrix with no coverage code of its own: Intune over the same fleet', async () => {
    const intune = await startIntuneSimulator({ fleet: sim.fleet });
    try {
      const intuneId = (
        await call('providers.save', {
          kind: 'intune',
          name: 'Intune',
          ...intune.credentials,
          cloud: 'custom',
          loginUrl: intune.url,
          graphUrl: intune.url,
        })
      ).config.id;
      expect((await call('posture.pollNow', { providerId: intuneId })).outcome).toBe('succeeded');
      const summary = await call('coverage.summary', {});
      expect(summary.pairs).toHaveLength(6);
      const pair = summary.pairs.find((p) => p.presentIn === falconId && p.missingFrom === intuneId)!;
      const seeded = sim.fleet.hostsMissingFrom('intune');
      expect(pair.byReason.not_found).toBeGreaterThanOrEqual(seeded.length);
      const list = await call('coverage.query', { filter: { presentIn: falconId, missingFrom: intuneId, reasons: ['not_found'] }, limit: 1000 });
      const names = new Set(list.items.map((i) => i.hostname));
      for (const host of seeded) expect(names.has(host.hostname)).toBe(true);
      // Intune-only phones are present in Intune and missing from Falcon.
      const phones = await call('coverage.query', { filter: { presentIn: intuneId, missingFrom: falconId, text: 'iphone' }, limit: 10 });
      expect(phones.total).toBeGreaterThan(0);
    } finally {
      await intune.close();
    }
  });
});
