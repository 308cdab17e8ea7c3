// One health per provider, from its last test and its last poll, the same on Providers and the Dashboard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../sim';
import type { ProviderView } from '../../../src-shared/schemas/providers';
import type { App } from '../app';
import { createTestApp } from '../test-app.testkit';

let sim: Simulator;
let app: App;

beforeAll(async () => {
  sim = await startSimulator({ devices: 20, seed: 7 });
  ({ app } = await createTestApp({ schedule: false }));
});

afterAll(async () => {
  await app.close();
  await sim.close();
});

async function statusOf(id: string) {
  const list = (await app.handlers['providers.list']({})) as ProviderView[];
  const dashboard = await app.handlers['dashboard.summary']({});
  const onProviders = list.find((v) => v.config.id === id)!.status;
  const onDashboard = dashboard.providers.find((p) => p.providerId === id)!.status;
  expect(onDashboard, 'the Dashboard and Providers agree').toEqual(onProviders);
  return onProviders;
}

describe('provider health', () => {
  it('goes from not contacted, to no checks after a poll that evaluates nothing, to healthy once a check runs', async () => {
    const { falcon } = sim.credentials;
    const zta = await app.handlers['providers.save']({
      kind: 'crowdstrike-zta',
      name: 'ZTA',
      clientId: falcon.clientId,
      clientSecret: falcon.clientSecret,
      customerId: falcon.customerId,
      region: 'custom',
      baseUrl: sim.url,
      pollInterval: '1h',
    });
    const id = zta.config.id;
    expect((await statusOf(id)).state).toBe('not_contacted');

    expect(await app.handlers['posture.pollNow']({ providerId: id })).toMatchObject({ outcome: 'succeeded' });
    const idle = await statusOf(id);
    expect(idle.state).toBe('no_checks');
    expect(idle.detail).toMatch(/no enabled posture check/);

    const check = await app.handlers['checks.save']({
      name: 'Overall 50',
      providerId: id,
      enabled: true,
      rule: { attribute: 'overall', operator: '>=', value: 50 },
    });
    expect((await statusOf(id)).state).toBe('healthy');
    // A disabled check evaluates nothing either.
    await app.handlers['checks.save']({ ...check, enabled: false });
    expect((await statusOf(id)).state).toBe('no_checks');
  });

  it('a provider whose poll fails reads failing with the poll error, though it was never tested', async () => {
    const s1 = await app.handlers['providers.save']({
      kind: 'sentinelone',
      name: 'S1',
      apiUrl: sim.url,
      apiToken: 'not-a-token-the-simulator-knows',
      pollInterval: '1h',
    });
    const id = s1.config.id;
    expect(await app.handlers['posture.pollNow']({ providerId: id })).toMatchObject({ outcome: 'failed' });
    const list = (await app.handlers['providers.list']({})) as ProviderView[];
    expect(list.find((v) => v.config.id === id)!.health.lastTestOk).toBeNull();
    const failing = await statusOf(id);
    expect(failing.state).toBe('failing');
    expect(failing.detail.length).toBeGreaterThan(0);
  });

  it('the incidents integration has no checks and is healthy after a passing test', async () => {
    const { falcon } = sim.credentials;
    const detections = await app.handlers['providers.save']({
      kind: 'crowdstrike-falcon-incidents',
      name: 'Detections',
      clientId: falcon.clientId,
      clientSecret: falcon.clientSecret,
      region: 'custom',
      baseUrl: sim.url,
      pollInterval: '5m',
      hostEnrichment: true,
      iocPushOnResolve: false,
    });
    const report = await app.handlers['providers.test']({ id: detections.config.id });
    const list = (await app.handlers['providers.list']({})) as ProviderView[];
    expect(report.ok).toBe(true);
    expect(list.find((v) => v.config.id === detections.config.id)!.status.state).toBe('healthy');
  });
});
