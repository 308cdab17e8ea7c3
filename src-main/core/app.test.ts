// The composition root end to end against the simulator over loopback: providers, posture polling
// into the SQLite log, CSV export, detection rules and incidents with enrichment, IOC push.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim';
import type { EventName } from '../../src-shared/contract';
import { dispatch } from '../../src-shared/dispatch';
import type { App } from './app';
import { createTestApp } from './test-app.testkit';

let sim: Simulator;
let app: App;
let dataDir: string;
const seen: { event: EventName; payload: unknown }[] = [];

beforeAll(async () => {
  sim = await startSimulator({ devices: 150, seed: 5 });
  ({ app, dir: dataDir } = await createTestApp({ schedule: false }));
  app.events.listen((event, payload) => seen.push({ event, payload }));
});

afterAll(async () => {
  await app.close();
  await sim.close();
});

async function call<T = unknown>(channel: string, req: unknown): Promise<T> {
  const res = await dispatch(app.handlers, channel, req);
  if (!res.ok) throw new Error(`${channel}: ${JSON.stringify(res.error)}`);
  return res.value as T;
}

describe('posture through the composition root', () => {
  let ztaId = '';
  let checkId = '';

  it('polls a ZTA provider and logs every device against the check', async () => {
    const { falcon } = sim.credentials;
    const zta = await call<{ config: { id: string } }>('providers.save', {
      kind: 'crowdstrike-zta',
      name: 'ZTA',
      clientId: falcon.clientId,
      clientSecret: falcon.clientSecret,
      customerId: falcon.customerId,
      region: 'custom',
      baseUrl: sim.url,
    });
    ztaId = zta.config.id;
    const check = await call<{ id: string }>('checks.save', {
      name: 'Overall 70',
      providerId: ztaId,
      rule: { attribute: 'overall', operator: '>=', value: 70 },
    });
    checkId = check.id;
    expect(await call('posture.pollNow', { providerId: ztaId })).toEqual({
      outcome: 'succeeded',
      tally: { devices: 150, checks: 1, evaluations: 150, changes: 150, setAside: 0, unreadable: 0 },
    });
    expect((await call<{ providerId: string; lastPoll?: unknown }[]>('posture.status', {})).find((s) => s.providerId === ztaId)?.lastPoll).toMatchObject({
      devices: 150,
      changes: 150,
    });
    const { count } = await call<{ count: number }>('postureLog.count', { view: 'latest' });
    expect(count).toBe(150);
    const fails = await call<{ rows: { result: string; expected: string }[] }>('postureLog.query', { view: 'latest', results: ['fail'], limit: 500 });
    expect(fails.rows.length).toBeGreaterThan(0);
    expect(fails.rows.every((r) => r.result === 'fail' && r.expected === 'overall >= 70')).toBe(true);
    expect(seen.some((e) => e.event === 'postureLog.appended')).toBe(true);
  });

  it('a second identical poll adds no rows (the log grows with changes)', async () => {
    const before = await call<{ count: number }>('postureLog.count', { view: 'changes' });
    expect(await call('posture.pollNow', { providerId: ztaId })).toMatchObject({ tally: { evaluations: 150, changes: 0 } });
    expect(await call('postureLog.count', { view: 'changes' })).toEqual(before);
    expect((await call<{ count: number }>('postureLog.count', { view: 'evaluations' })).count).toBe(300);
  });

  it('what-if counts a stricter draft without saving it', async () => {
    const result = await call<{ counts: { fail: number }; savedCounts: { fail: number } }>('checks.whatIf', {
      draft: { id: checkId, name: 'Overall 70', providerId: ztaId, rule: { attribute: 'overall', operator: '>=', value: 95 } },
    });
    expect(result.counts.fail).toBeGreaterThan(result.savedCounts.fail);
    expect((await call<{ rule: { value: number } }[]>('checks.list', {}))[0]!.rule.value).toBe(70);
  });

  it('exports exactly the filtered rows to CSV', async () => {
    const { exportId, file } = await call<{ exportId: string; file: string }>('postureLog.export', { filter: { view: 'latest', results: ['fail'] } });
    await expect
      .poll(() =>
        seen.some(
          (e) =>
            e.event === 'export.progress' &&
            (e.payload as { exportId: string; state: string }).exportId === exportId &&
            (e.payload as { state: string }).state === 'done',
        ),
      )
      .toBe(true);
    const lines = readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('timestamp,device,serial,match_key,platform,provider,check,result,expected,received,reason');
    const { count } = await call<{ count: number }>('postureLog.count', { view: 'latest', results: ['fail'] });
    expect(lines.length - 1).toBe(count);
    expect(lines.slice(1).every((l) => l.includes(',ZTA,') && l.includes(',fail,'))).toBe(true);
  });

  it('keeps every data file owner-only (0600): the posture log with its WAL and shared memory, poll history, exports', () => {
    const files = readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    const names = files.map((e) => relative(dataDir, join(e.parentPath, e.name)));
    expect(names).toEqual(expect.arrayContaining(['posture-log.sqlite', 'posture-log.sqlite-wal', 'posture-log.sqlite-shm', 'poll-history.json']));
    expect(names.some((n) => n.startsWith('exports'))).toBe(true);
    const modes = Object.fromEntries(
      files.map((e) => [relative(dataDir, join(e.parentPath, e.name)), (statSync(join(e.parentPath, e.name)).mode & 0o777).toString(8)]),
    );
    expect(modes).toEqual(Object.fromEntries(Object.keys(modes).map((n) => [n, '600'])));
  });

  it('lists matched devices with their current results, and explains one', async () => {
    type Current = { checkId: string; result: string; expected: string };
    const page = await call<{ items: { key: string; current: Current[] }[]; total: number }>('devices.list', { limit: 5 });
    expect(page.total).toBe(150);
    for (const device of page.items) expect(device.current).toEqual([expect.objectContaining({ checkId, expected: 'overall >= 70' })]);
    const detail = await call<{ explanation: { summary: string }; current: Current[] }>('devices.get', { key: page.items[0]!.key });
    expect(detail.explanation.summary.length).toBeGreaterThan(0);
    expect(detail.current).toEqual(page.items[0]!.current);
  });

  it('sorts the whole inventory before paging, missing values last either way, and says which providers have data', async () => {
    type Page = { items: { key: string; hostname: string | null }[]; total: number; sources: { providerId: string; fetchedAt: number | null }[] };
    const pages = async (dir: 'asc' | 'desc') => {
      const names: (string | null)[] = [];
      for (let offset = 0; offset < 150; offset += 40)
        names.push(...(await call<Page>('devices.list', { offset, limit: 40, sort: { by: 'hostname', dir } })).items.map((d) => d.hostname));
      return names;
    };
    const asc = await pages('asc');
    const desc = await pages('desc');
    expect(asc).toHaveLength(150);
    const named = asc.filter((n): n is string => n !== null);
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    expect(named).toEqual([...named].sort(collator.compare));
    expect(asc.slice(named.length).every((n) => n === null)).toBe(true);
    const namedDesc = desc.filter((n): n is string => n !== null);
    expect(namedDesc).toHaveLength(named.length);
    expect(namedDesc.every((n, i) => i === 0 || collator.compare(namedDesc[i - 1]!, n) >= 0)).toBe(true);
    expect(named.length).toBeGreaterThan(100);
    expect(desc.slice(named.length).every((n) => n === null)).toBe(true);
    const first = await call<Page>('devices.list', { limit: 1 });
    expect(first.sources).toEqual([{ providerId: ztaId, fetchedAt: expect.any(Number) }]);
  });

  it('filters by text, provider and serial status together, sorted, exactly as a filter over every device would', async () => {
    type Device = { key: string; hostname: string | null; serial: string | null; serialStatus: string; records: { observation: { providerId: string } }[] };
    type Page = { items: Device[]; total: number };
    const every: Device[] = [];
    for (let offset = 0; offset < 150; offset += 50)
      every.push(...(await call<Page>('devices.list', { offset, limit: 50, sort: { by: 'serial', dir: 'asc' } })).items);
    expect(every).toHaveLength(150);
    const text = every
      .find((d) => d.hostname)!
      .hostname!.slice(0, 3)
      .toUpperCase();
    const status = every.find((d) => d.serialStatus !== 'valid')?.serialStatus ?? 'valid';
    for (const query of [{ text }, { providerId: ztaId }, { serialStatus: status }, { text, providerId: ztaId, serialStatus: 'valid' }]) {
      const wanted = every.filter(
        (d) =>
          (!query.text || [d.hostname, d.serial, d.key].some((v) => v?.toLowerCase().includes(query.text!.toLowerCase()))) &&
          (!query.providerId || d.records.some((r) => r.observation.providerId === query.providerId)) &&
          (!query.serialStatus || d.serialStatus === query.serialStatus),
      );
      const page = await call<Page>('devices.list', { ...query, sort: { by: 'serial', dir: 'asc' }, offset: 0, limit: 150 });
      expect(page.total).toBe(wanted.length);
      expect(page.items.map((d) => d.key)).toEqual(wanted.map((d) => d.key));
    }
  });

  it("a removed check's last results are history, not a device's current results", async () => {
    const other = await call<{ id: string }>('checks.save', {
      name: 'Sensor 10',
      providerId: ztaId,
      rule: { attribute: 'sensor_config', operator: '>=', value: 10 },
    });
    await call('posture.pollNow', { providerId: ztaId });
    const both = await call<{ items: { current: { checkId: string }[] }[] }>('devices.list', { limit: 3 });
    expect(both.items.every((d) => d.current.length === 2)).toBe(true);
    await call('checks.remove', { id: other.id });
    const after = await call<{ items: { current: { checkId: string }[] }[] }>('devices.list', { limit: 3 });
    expect(after.items.every((d) => d.current.length === 1 && d.current[0]!.checkId === checkId)).toBe(true);
  });
});

describe('detections to incidents through the composition root', () => {
  let integrationId = '';

  it('starts from the seed rules and rejects a broken rule set with its position', async () => {
    const rules = await call<{ rules: { condition: string }[] }>('rules.get', {});
    expect(rules.rules.map((r) => r.condition)).toEqual([
      "severity >= 80 OR tactic IN ('Execution', 'Exfiltration', 'Impact')",
      'severity >= 50',
      'severity < 50',
    ]);
    const bad = await dispatch(app.handlers, 'rules.save', { rules: [{ id: 'r1', name: 'R', condition: 'sevrity >= 80', action: 'log_only' }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(JSON.stringify(bad.error)).toContain("did you mean 'severity'");
  });

  it('dry-runs recent alerts without creating incidents, then polls and creates them with enrichment', async () => {
    const { falcon } = sim.credentials;
    const integration = await call<{ config: { id: string } }>('providers.save', {
      kind: 'crowdstrike-falcon-incidents',
      name: 'Detections',
      clientId: falcon.clientId,
      clientSecret: falcon.clientSecret,
      region: 'custom',
      baseUrl: sim.url,
    });
    integrationId = integration.config.id;
    sim.addAlerts(5, { severity: 90 });
    const ruleSet = await call('rules.get', {});
    const dry = await call<{ rows: { match: unknown }[] }>('rules.dryRun', { integrationId, ruleSet, count: 10 });
    expect(dry.rows.length).toBe(10);
    expect((await call<{ total: number }>('incidents.list', {})).total).toBe(0);

    await call('incidents.pollNow', { integrationId });
    const list = await call<{ items: { number: string; priority: string }[]; total: number }>('incidents.list', {});
    expect(list.total).toBeGreaterThan(0);
    expect(list.items.some((i) => i.priority === 'P1')).toBe(true);
    const detail = await call<{ enrichment: { state: string } }>('incidents.get', { number: list.items[0]!.number });
    expect(detail.enrichment.state).toBe('done');

    // A second poll over the same alerts creates nothing new.
    await call('incidents.pollNow', { integrationId });
    expect((await call<{ total: number }>('incidents.list', {})).total).toBe(list.total);
  });

  it('rules.cancel stops a dry run stuck on Falcon, and says so', async () => {
    const ruleSet = await call('rules.get', {});
    sim.setFaults([{ kind: 'hang', route: '/alerts' }]);
    try {
      const runId = 'dry-run-0001-stuck';
      const pending = dispatch(app.handlers, 'rules.dryRun', { runId, integrationId, ruleSet, count: 10 });
      // The request is out and hanging; cancel it by its run id.
      await expect.poll(() => sim.stats().requests, { timeout: 5_000 }).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await call('rules.cancel', { runId })).toEqual({ cancelled: true });
      const outcome = await pending;
      expect(outcome).toMatchObject({ ok: false, error: { code: 'cancelled' } });
      // Gone once settled: cancelling again finds nothing, and the id can be reused.
      expect(await call('rules.cancel', { runId })).toEqual({ cancelled: false });
    } finally {
      sim.clearFaults();
    }
    expect((await call<{ rows: unknown[] }>('rules.dryRun', { runId: 'dry-run-0001-stuck', integrationId, ruleSet, count: 3 })).rows).toHaveLength(3);
  });
  it('pushes an IOC that the simulator then holds', async () => {
    const result = await call<{ status: string }>('iocs.push', {
      integrationId,
      actor: 'tester',
      input: { type: 'sha256', value: 'a'.repeat(64), action: 'prevent', severity: 'high', platforms: ['windows'], description: 'test', expirationDays: 30 },
    });
    expect(result.status).toBe('created');
    expect(sim.iocs().some((i) => i.value === 'a'.repeat(64))).toBe(true);
  });
});
