// The Intune client and its Test against the loopback Entra + Graph simulator (sim/intune).
import { afterEach, describe, expect, it } from 'vitest';
import { enrolledInIntune } from '../../../../sim/intune/devices';
import { startIntuneSimulator, type IntuneFaults, type IntuneSimulator } from '../../../../sim/intune/server';
import type { ProviderConfig } from '../../../../src-shared/schemas/providers';
import { compileCheck } from '../../posture/evaluate';
import { systemClock } from '../clock';
import { testProvider } from '../diagnose';
import { isProviderError } from '../diagnosis';
import { createHttp } from '../http';
import { createIntuneClient } from './client';
import { observeIntune } from './observe';

let sim: IntuneSimulator | undefined;
const http = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 50 }, headersTimeoutMs: 2_000 });
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(faults: IntuneFaults = {}, pageSize = 50, faultRules = '') {
  sim = await startIntuneSimulator({ devices: 300, seed: 7, pageSize, faults, faultRules });
  const config: Extract<ProviderConfig, { kind: 'intune' }> = {
    id: 'intune-1',
    kind: 'intune',
    name: 'Intune',
    tenantId: sim.credentials.tenantId,
    clientId: sim.credentials.clientId,
    cloud: 'custom',
    loginUrl: sim.url,
    graphUrl: sim.url,
    pollInterval: '1h',
  };
  return { sim, config };
}

const clientFor = (config: Extract<ProviderConfig, { kind: 'intune' }>, secret: string) =>
  createIntuneClient({ ...config, getSecret: async () => secret, http, backoffBaseMs: 5 });

describe('Intune client over the simulator', () => {
  it('follows @odata.nextLink to the last page and reads every managed device, with the fleet’s serials and the gaps', async () => {
    const { sim, config } = await start();
    const out = await observeIntune(clientFor(config, sim.credentials.clientSecret), { providerId: 'intune-1' });
    expect(out.observations).toHaveLength(sim.devices.length);
    expect(sim.requests.graph).toBe(Math.ceil(sim.devices.length / 50));
    // 1 host in 10 is not enrolled; the Intune-only devices carry serials no other source has.
    expect(out.observations.filter((o) => o.serial?.startsWith('INT')).length).toBe(6);
    expect(enrolledInIntune(3)).toBe(false);
    expect(out.observations[0]!.posture.kind).toBe('intune');
  });

  it('waits out 429s without Retry-After (backoff) and with Retry-After, and still reads every device', async () => {
    const { sim, config } = await start({ throttle: { every: 3 } });
    const out = await observeIntune(clientFor(config, sim.credentials.clientSecret), { providerId: 'intune-1' });
    expect(sim.requests.throttled).toBeGreaterThan(0);
    expect(out.observations).toHaveLength(sim.devices.length);
    sim.faults.throttle = { every: 4, retryAfterSeconds: 0 };
    const again = await observeIntune(clientFor(config, sim.credentials.clientSecret), { providerId: 'intune-1' });
    expect(again.observations).toHaveLength(sim.devices.length);
  });

  it('the shared fault grammar drives Intune storms: 429 without Retry-After on a share of requests, then with Retry-After', async () => {
    const { sim, config } = await start({}, 50, 'intune_rate_limit:/v1.0:0.5:count=6,intune_rate_limit:*:0:count=2');
    const out = await observeIntune(clientFor(config, sim.credentials.clientSecret), { providerId: 'intune-1' });
    expect(sim.requests.throttled).toBeGreaterThan(0);
    expect(out.observations).toHaveLength(sim.devices.length);
  });

  it('a token for another national cloud is refused by Graph and named as a cloud problem (after one fresh token)', async () => {
    const { sim, config } = await start({}, 50, 'intune_wrong_cloud');
    const error = await observeIntune(clientFor(config, sim.credentials.clientSecret), { providerId: 'intune-1' }).catch((e: unknown) => e);
    expect(isProviderError(error) && error.diagnosis.code).toBe('intune.token_rejected');
    expect(sim.requests.token).toBe(2);
  });

  it('named clouds use their own sign-in and Graph hosts', () => {
    const gov = createIntuneClient({
      tenantId: 'contoso.onmicrosoft.com',
      clientId: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
      cloud: 'usgov-l5',
      getSecret: async () => 'x',
      http,
    });
    expect([gov.loginOrigin, gov.graphOrigin]).toEqual(['https://login.microsoftonline.us', 'https://dod-graph.microsoft.us']);
    const china = createIntuneClient({
      tenantId: 'contoso.onmicrosoft.com',
      clientId: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
      cloud: 'china',
      getSecret: async () => 'x',
      http,
    });
    expect([china.loginOrigin, china.graphOrigin]).toEqual(['https://login.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn']);
  });

  it('a next-page link to another host is not followed', async () => {
    const { sim, config } = await start();
    const client = clientFor(config, sim.credentials.clientSecret);
    await expect(client.session.get('https://graph.example.net/v1.0/deviceManagement/managedDevices', 'list managed devices')).rejects.toMatchObject({
      code: 'intune.foreign_link',
    });
  });

  it('a list cut short (no nextLink before @odata.count is reached) fails the poll instead of dropping devices', async () => {
    const { sim, config } = await start({ cutShortAfterPages: 2 });
    await expect(observeIntune(clientFor(config, sim.credentials.clientSecret), { providerId: 'intune-1' })).rejects.toMatchObject({
      code: 'poll.incomplete',
    });
  });

  it('an expired secret is named with its AADSTS code, cause and fix', async () => {
    const { sim, config } = await start({ expiredSecret: true });
    const error = await clientFor(config, sim.credentials.clientSecret)
      .token()
      .catch((e: unknown) => e);
    expect(isProviderError(error) && error.diagnosis.code).toBe('intune.secret_expired');
    expect(isProviderError(error) && error.diagnosis.fix).toMatch(/Certificates & secrets/);
    expect(JSON.stringify(error)).not.toContain(sim.credentials.clientSecret);
  });

  it('complianceState and isEncrypted checks agree with an oracle computed from the simulator’s devices', async () => {
    const { sim, config } = await start();
    const out = await observeIntune(clientFor(config, sim.credentials.clientSecret), { providerId: 'intune-1' });
    const now = Date.now();
    const compliance = compileCheck({
      id: 'c',
      name: 'Compliant',
      providerId: 'intune-1',
      enabled: true,
      rule: { attribute: 'complianceState', accepted: ['compliant'] },
    });
    const encrypted = compileCheck({ id: 'e', name: 'Encrypted', providerId: 'intune-1', enabled: true, rule: { attribute: 'isEncrypted', expected: true } });
    const bySerial = new Map(sim.devices.map((d) => [d.id, d]));
    for (const o of out.observations) {
      const subject = {
        deviceKey: o.recordId,
        deviceName: o.hostname ?? '',
        serial: o.serial,
        serialKey: o.serial,
        platform: o.platform,
        serialStatus: 'valid' as const,
        serialProblem: null,
        posture: o.posture,
        fetchedAt: now,
        pollIntervalMs: 3_600_000,
      };
      const truth = bySerial.get(o.recordId)!;
      expect(compliance.evaluate(subject, now).result).toBe(truth.complianceState === 'compliant' ? 'pass' : 'fail');
      expect(encrypted.evaluate(subject, now).result).toBe(truth.isEncrypted ? 'pass' : 'fail');
    }
  });
});

describe('Intune Test plan', () => {
  const run = (config: ProviderConfig, secret: string) => testProvider(config, { getSecret: async () => secret, http, clock: systemClock, onStep: () => {} });

  it('passes every layer with the right secret and reports coverage', async () => {
    const { sim, config } = await start();
    const report = await run(config, sim.credentials.clientSecret);
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['reachability.login', 'pass'],
      ['reachability.graph', 'pass'],
      ['clock', 'pass'],
      ['tenant', 'pass'],
      ['authentication', 'pass'],
      ['consent', 'pass'],
      ['coverage', expect.stringMatching(/pass|warn/)],
    ]);
    expect(report.steps.at(-1)!.observed).toContain(`${sim.devices.length} managed devices`);
  });

  it('a wrong secret fails authentication with the Secret ID vs Value fix, and skips the rest', async () => {
    const { config } = await start();
    const report = await run(config, 'not-the-secret');
    const auth = report.steps.find((s) => s.id === 'authentication')!;
    expect(auth).toMatchObject({ status: 'fail', code: 'intune.bad_secret' });
    expect(auth.fix).toMatch(/Value/);
    expect(report.steps.filter((s) => s.status === 'skip').map((s) => s.id)).toEqual(['consent', 'coverage']);
  });

  it('missing admin consent and an unknown tenant are each named', async () => {
    const { sim, config } = await start({ missingConsent: true });
    const consent = (await run(config, sim.credentials.clientSecret)).steps.find((s) => s.id === 'consent')!;
    expect(consent).toMatchObject({ status: 'fail', code: 'intune.consent_missing' });
    expect(consent.fix).toMatch(/Grant admin consent/);
    sim.faults.missingConsent = false;
    sim.faults.tenantNotFound = true;
    const tenant = (await run(config, sim.credentials.clientSecret)).steps.find((s) => s.id === 'tenant')!;
    expect(tenant).toMatchObject({ status: 'fail', code: 'intune.tenant_not_found' });
  });
});
