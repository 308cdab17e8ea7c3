// The SentinelOne client against the simulator over real loopback HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../../sim/index';
import { isProviderError, type ProviderError } from '../diagnosis';
import { createHttp, type HttpClient } from '../http';
import { createManualClock } from '../manual-clock.testkit';
import { S1Agent } from './agents';
import { createSentinelOneClient } from './client';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

let sim: Sim;
let http: HttpClient;

beforeAll(async () => {
  sim = await startSimulator({ devices: 2300, seed: 11 });
  http = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 50 }, headersTimeoutMs: 1_000 });
});
afterAll(async () => {
  await http.close();
  await sim.close();
});
afterEach(() => sim.clearFaults());

function s1(token = sim.credentials.sentinelOne.apiToken, extra: Partial<Parameters<typeof createSentinelOneClient>[0]> = {}) {
  return createSentinelOneClient({ apiUrl: `${sim.url}/dashboard`, getToken: async () => token, http, ...extra });
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (isProviderError(error)) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

describe('agents', () => {
  it('walks every page by cursor with limit=1000 and the same filters on every page', async () => {
    const client = s1();
    sim.resetStats();
    const { agents, totalItems } = await client.agents.list();
    expect(agents.length).toBe(sim.fleet.agents.length);
    expect(totalItems).toBe(agents.length);
    expect(new Set(agents.map((a) => a.id)).size).toBe(agents.length);
    // ceil(n / 1000) pages, never skip.
    expect(sim.stats().byRoute['GET /web/api/v2.1/agents']).toBe(Math.ceil(agents.length / 1000));
  });

  it('keeps filters across pages', async () => {
    const all = await s1().agents.list();
    const windows = all.agents.filter((a) => a.osType === 'windows').length;
    const filtered = await s1().agents.list({ osTypes: ['windows'] });
    expect(filtered.agents.length).toBe(windows);
    expect(filtered.agents.every((a) => a.osType === 'windows')).toBe(true);
  });

  it('counts agents with countOnly', async () => {
    expect(await s1().agents.count()).toBe(sim.fleet.agents.length);
  });

  it('parses "True"/"False" strings and numeric strings leniently', () => {
    const agent = S1Agent.parse({
      id: 1876543210987654321n.toString(),
      isActive: 'True',
      firewallEnabled: 'False',
      infected: true,
      activeThreats: '2',
      lastIpToMgmt: null,
    });
    expect(agent).toMatchObject({ id: '1876543210987654321', isActive: true, firewallEnabled: false, infected: true, activeThreats: 2, lastIpToMgmt: null });
  });

  it('still gets every agent when a page comes back short', async () => {
    sim.setFaults([{ kind: 'truncated_page', route: '/agents', count: 1, value: 7 }]);
    const { agents } = await s1().agents.list();
    expect(agents.length).toBe(sim.fleet.agents.length);
  });
});

describe('token and console', () => {
  it('reads the system status without a token', async () => {
    expect(await s1('nonsense').systemStatus()).toEqual({ health: 'ok' });
  });

  it('reports days to expiry', async () => {
    const clock = createManualClock(Date.now());
    const expiry = await s1(undefined, { clock }).tokenExpiry();
    expect(expiry.daysToExpiry).toBeGreaterThan(150);
  });

  it('reports an expiring token (s1_token_expiring)', async () => {
    sim.setFaults('s1_token_expiring');
    const expiry = await s1().tokenExpiry();
    expect(expiry.daysToExpiry).toBeLessThan(14);
  });

  it('an unknown token is unauthorized', async () => {
    const error = await failure(s1('not-a-token').agents.count());
    expect(error.diagnosis).toMatchObject({ code: 's1.unauthorized', status: 401 });
  });

  it('an expired token says so (s1_token_expired)', async () => {
    sim.setFaults('s1_token_expired');
    const error = await failure(s1().agents.count());
    expect(error.diagnosis.code).toBe('s1.token_expired');
    expect(error.diagnosis.fix).toMatch(/Generate a new API token/);
  });

  it('a site-scoped token is refused account-wide, and works when it names its sites', async () => {
    const token = 'site-scoped-token-0123456789';
    sim.addSentinelOneToken({ token, siteScoped: true });
    const error = await failure(s1(token).agents.count());
    expect(error.diagnosis).toMatchObject({ code: 's1.site_scoped', status: 403 });
    const siteIds = sim.fleet.sites.map((s) => s.id);
    expect(await s1(token, { siteIds }).agents.count()).toBeGreaterThan(0);
  });

  it('retries a 429 after Retry-After', async () => {
    sim.setFaults([{ kind: 'rate_limit', route: '/agents', count: 1, value: 1 }]);
    const clock = createManualClock();
    const patient = createHttp({ clock });
    try {
      expect(await s1(undefined, { http: patient }).agents.count()).toBe(sim.fleet.agents.length);
      expect(clock.sleeps).toContain(1000);
    } finally {
      await patient.close();
    }
  });
});
