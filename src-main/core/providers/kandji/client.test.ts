// The Kandji client against the simulator over real loopback HTTP: bare-array paging, a page cut short, the other
// region's host, tokens and permissions, the hourly budget.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../../sim/index';
import { isProviderError, type ProviderError } from '../diagnosis';
import { createHttp, type HttpClient } from '../http';
import { createKandjiClient } from './client';
import { kandjiApiBase, kandjiOtherRegion, kandjiRegionOf } from './session';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let http: HttpClient;

beforeAll(async () => {
  sim = await startSimulator({ devices: 3500, seed: 31 });
  http = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 50 }, headersTimeoutMs: 2_000 });
});
afterAll(async () => {
  await http.close();
  await sim.close();
});
afterEach(() => sim.clearFaults());

const kandji = (token = sim.credentials.kandji.apiToken, apiUrl = `${sim.kandjiUrl()}/api/v1/`, requestsPerHour?: number) =>
  createKandjiClient({ apiUrl, getToken: async () => token, http, ...(requestsPerHour ? { requestsPerHour } : {}) });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (isProviderError(error)) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

describe('Kandji client', () => {
  it('knows the US and EU hosts and the other region of each', () => {
    expect(kandjiApiBase('https://acme.api.kandji.io/api/v1/devices')).toBe('https://acme.api.kandji.io');
    expect(kandjiRegionOf('https://acme.api.eu.kandji.io')).toBe('eu');
    expect(kandjiRegionOf('https://acme.api.kandji.io')).toBe('us');
    expect(kandjiOtherRegion('https://acme.api.kandji.io')).toBe('https://acme.api.eu.kandji.io');
    expect(kandjiOtherRegion('https://acme.api.eu.kandji.io')).toBe('https://acme.api.kandji.io');
    expect(kandjiOtherRegion('http://127.0.0.1:9/kandji/us')).toBe('http://127.0.0.1:9/kandji/eu');
    expect(kandjiOtherRegion('https://proxy.corp.example')).toBeNull();
  });

  it('reads every device in pages of 300 and stops after the short page, confirmed by one empty page', async () => {
    const members = sim.mdm.kandji().members;
    sim.resetStats();
    const read = await kandji().devices();
    expect(read.devices).toHaveLength(members.length);
    const pages = Math.floor(members.length / 300) + 1;
    expect(sim.stats().byRoute['GET /kandji/api/v1/devices']).toBe(pages + (members.length % 300 === 0 ? 0 : 1));
    expect(read.requests).toBe(sim.stats().byRoute['GET /kandji/api/v1/devices']);
    const one = read.devices.find((d) => d.serial === members[0]?.serial);
    expect(one).toMatchObject({ name: members[0]?.hostname, platform: 'Mac', mdmEnabled: expect.any(Boolean), blueprintName: expect.any(String) });
  });

  it('does not take a page cut short for the end of the list', async () => {
    sim.setFaults('truncated_page:/api/v1/devices:count=1');
    const read = await kandji().devices();
    expect(read.devices).toHaveLength(sim.mdm.kandji().members.length);
  });

  it('names the wrong region, a bad token and a token without the device permission', async () => {
    const eu = await failure(kandji(undefined, sim.kandjiUrl('eu')).devices());
    expect(eu.diagnosis.code).toBe('kandji.not_kandji');
    expect(eu.diagnosis.message).toContain('other region');
    const bad = await failure(kandji('not-a-token-0000').devices());
    expect(bad.diagnosis.code).toBe('kandji.token_rejected');
    expect(JSON.stringify(bad.diagnosis)).not.toContain('not-a-token-0000');
    sim.addKandjiToken('licensing-only-token', ['licensing']);
    const limited = kandji('licensing-only-token');
    expect(await limited.enrolledCount()).toBe(sim.mdm.kandji().members.length);
    expect((await failure(limited.devices())).diagnosis.code).toBe('kandji.permission_missing');
  });

  it('strips a pasted "Bearer " prefix and rides out a 429 with Retry-After', async () => {
    sim.setFaults('rate_limit:/api/v1/devices:count=2');
    const read = await kandji(`Bearer ${sim.credentials.kandji.apiToken} `).devices();
    expect(read.devices).toHaveLength(sim.mdm.kandji().members.length);
    expect(sim.stats().status429).toBeGreaterThanOrEqual(2);
  });

  it('stops before spending the tenant’s hourly budget and says when it frees up', async () => {
    const client = kandji(undefined, `${sim.kandjiUrl()}/`, 205);
    const error = await failure(
      (async () => {
        for (let i = 0; i < 10; i++) await client.firstPage();
      })(),
    );
    expect(error.diagnosis.code).toBe('kandji.budget_exhausted');
    expect(client.requestsThisHour()).toBe(5);
  });
});
