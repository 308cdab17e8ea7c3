// User risk end to end against the simulator's fleet through the composition root: polls trigger the evaluation,
// infected agents and threats raise their users, alerts at or above the threshold do, a long-failing check does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../sim';
import type { EventName } from '../../../src-shared/contract';
import { dispatch } from '../../../src-shared/dispatch';
import type { RiskEvent, UserDetail, UserPage } from '../../../src-shared/schemas/users';
import type { App } from '../app';
import { createTestApp } from '../test-app.testkit';
import { parseAccount } from './identity';

let sim: Simulator;
let app: App;
let clock = Date.now();
const seen: EventName[] = [];
const ids = { zta: '', s1: '', detections: '' };

async function call<T = unknown>(channel: string, req: unknown): Promise<T> {
  const res = await dispatch(app.handlers, channel, req);
  if (!res.ok) throw new Error(`${channel}: ${JSON.stringify(res.error)}`);
  return res.value as T;
}

const page = (req: object = {}) => call<UserPage>('users.list', { limit: 1000, ...req });
const detail = (userId: string) => call<UserDetail>('users.get', { userId });

/** Agents that are infected or carry threats, and that stand for a device (not a decommissioned leftover). */
const threatAgents = () => sim.fleet.agents.filter((a) => (a.infected || a.activeThreats > 0) && !a.isDecommissioned && !a.isUninstalled);

beforeAll(async () => {
  sim = await startSimulator({ devices: 400, seed: 23 });
  ({ app } = await createTestApp({ schedule: false, clock: () => new Date(clock) }));
  app.events.listen((event) => seen.push(event));
  const { falcon, sentinelOne } = sim.credentials;
  const save = async (input: object) => (await call<{ config: { id: string } }>('providers.save', input)).config.id;
  ids.zta = await save({
    kind: 'crowdstrike-zta',
    name: 'ZTA',
    clientId: falcon.clientId,
    clientSecret: falcon.clientSecret,
    customerId: falcon.customerId,
    region: 'custom',
    baseUrl: sim.url,
  });
  ids.s1 = await save({ kind: 'sentinelone', name: 'S1', apiUrl: sim.url, apiToken: sentinelOne.apiToken });
  ids.detections = await save({
    kind: 'crowdstrike-falcon-incidents',
    name: 'Detections',
    clientId: falcon.clientId,
    clientSecret: falcon.clientSecret,
    region: 'custom',
    baseUrl: sim.url,
  });
  await call('posture.pollNow', { providerId: ids.zta });
  await call('posture.pollNow', { providerId: ids.s1 });
  await app.users.settled();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await sim?.close();
});

describe('user risk against the simulator fleet', () => {
  it('the fleet has infected and threat-carrying agents with personal users', () => {
    expect(threatAgents().filter((a) => parseAccount(a.lastLoggedInUserName)).length).toBeGreaterThan(5);
  });

  it('after the posture polls, every infected agent raises its users to the configured level, with the agent as evidence', async () => {
    expect(seen).toContain('users.changed');
    const high = await page({ levels: ['high'] });
    const evidenced = new Set<string>();
    for (const user of high.items) {
      const events = (await detail(user.id)).events.filter((e) => e.status === 'active');
      expect(
        events.some((e) => e.behavior === 's1_threat'),
        user.id,
      ).toBe(true);
      for (const e of events) if (e.evidence.kind === 's1_threat') evidenced.add(e.evidence.agentId);
    }
    const expected = threatAgents()
      .filter((a) => parseAccount(a.lastLoggedInUserName) !== null)
      .map((a) => a.id);
    expect([...evidenced].sort()).toEqual(expect.arrayContaining(expected.sort()));
    // Nobody is high for any other reason: alerts default to medium and none were polled yet.
    expect(high.total).toBe(high.counts.high);
    expect(high.counts.medium + high.counts.low).toBe(0);
  });

  it('names users once across both providers and both spellings', async () => {
    const all = await page();
    const accounts = all.items.map((u) => u.id.split('\\').at(-1));
    expect(new Set(accounts).size).toBe(accounts.length);
    expect(all.items.some((u) => u.aliases.some((a) => a.includes('@')) && u.aliases.some((a) => a.includes('\\')))).toBe(true);
    expect(all.items.every((u) => !['root', 'ubuntu', 'ec2-user'].includes(u.id))).toBe(true);
    const alice = all.items.find((u) => u.devices > 0)!;
    expect((await detail(alice.id)).devices[0]?.sources.length).toBeGreaterThan(0);
  });

  it('alerts at or above the threshold raise the users of their hosts after an alerts poll; lower ones do not', async () => {
    const severe = sim.addAlerts(3, { severity: 90 });
    const mild = sim.addAlerts(3, { severity: 40 });
    await call('incidents.pollNow', { integrationId: ids.detections });
    await app.users.settled();
    const alertEvents = new Map<string, RiskEvent[]>();
    for (const user of (await page({ levels: ['high', 'medium'] })).items)
      for (const e of (await detail(user.id)).events)
        if (e.evidence.kind === 'falcon_alert') alertEvents.set(e.evidence.compositeId, [...(alertEvents.get(e.evidence.compositeId) ?? []), e]);
    for (const a of severe) {
      const events = alertEvents.get(a.composite_id) ?? [];
      if (parseAccount(a.user_name)) expect(events.length, a.composite_id).toBeGreaterThan(0);
      for (const e of events) expect(e).toMatchObject({ level: 'medium', deviceName: a.device.hostname, signal: expect.stringMatching(/^Severity 90/) });
    }
    expect(severe.some((a) => alertEvents.has(a.composite_id))).toBe(true);
    for (const a of mild) expect(alertEvents.has(a.composite_id)).toBe(false);
  });

  it('a device failing the chosen check for longer than the chosen time raises its users', async () => {
    const check = await call<{ id: string }>('checks.save', { name: 'Not infected', providerId: ids.s1, rule: { attribute: 'infected', expected: false } });
    const behaviors = await call<Record<string, unknown>>('users.behaviors.get', {});
    await call('users.behaviors.set', {
      behaviors: {
        ...behaviors,
        s1_threat: { enabled: false, level: 'high' },
        falcon_alert: { enabled: false, level: 'medium', minSeverity: 70 },
        posture_check_failing: { enabled: true, level: 'low', checkId: check.id, minutes: 60 },
      },
    });
    // Polls of one provider must be later than the last (the clock is the app's, moved by hand).
    clock += 60_000;
    expect(await call('posture.pollNow', { providerId: ids.s1 })).toMatchObject({ outcome: 'succeeded' });
    await app.users.settled();
    expect((await page({ levels: ['low'] })).total).toBe(0);

    clock += 2 * 3_600_000;
    expect(await call('posture.pollNow', { providerId: ids.s1 })).toMatchObject({ outcome: 'succeeded' });
    await app.users.settled();
    const low = await page({ levels: ['low'] });
    expect(low.total).toBeGreaterThan(0);
    expect(low.counts.high + low.counts.medium).toBe(0);
    const event = (await detail(low.items[0]!.id)).events.find((e) => e.behavior === 'posture_check_failing');
    expect(event?.evidence).toMatchObject({ checkId: check.id, checkName: 'Not infected', received: 'infected = true' });
    expect(event?.signal).toBe('Failing "Not infected" for longer than 1 hour (infected = true)');
  });

  it('the dashboard counts users per level', async () => {
    const summary = await call<{ usersByRisk: { high: number; medium: number; low: number; none: number } }>('dashboard.summary', {});
    expect(summary.usersByRisk).toEqual((await page()).counts);
  });

  it('a reset returns a user to none and the export lists them as such', async () => {
    const user = (await page({ levels: ['low'] })).items[0]!;
    const after = await call<UserDetail>('users.reset', { userId: user.id, actor: 'tester', reason: 'Cleaned and verified' });
    expect(after.user.level).toBe('none');
    expect(after.timeline[0]).toMatchObject({ kind: 'reset', actor: 'tester', reason: 'Cleaned and verified' });
    const { csv } = await call<{ csv: string }>('users.exportCsv', { text: user.id });
    expect(csv).toContain(`${user.id},`);
    expect(csv).toContain(',none,0,');
  });
});
