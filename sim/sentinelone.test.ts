import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type S1Agent, type Simulator } from './index';
import { apiToken, call, type S1Body } from './wire-client.testkit';

describe('SentinelOne API', () => {
  let sim: Simulator;
  let clock = Date.parse('2026-11-25T12:00:00Z');
  const agents = (params: Record<string, string>, token = sim.credentials.sentinelOne.apiToken) =>
    call<S1Body<S1Agent[]>>(`${sim.url}/web/api/v2.1/agents?${new URLSearchParams(params)}`, { headers: apiToken(token) });

  beforeAll(async () => {
    sim = await startSimulator({ devices: 600, seed: 5, now: () => clock });
  });
  afterAll(() => sim.close());

  it('reports health without authentication and system info with it', async () => {
    const status = await call<S1Body<{ health: string }>>(`${sim.url}/web/api/v2.1/system/status`);
    expect(status.json).toEqual({ data: { health: 'ok' } });
    expect((await call(`${sim.url}/web/api/v2.1/system/info`)).status).toBe(401);
    const info = await call<S1Body<Record<string, string>>>(`${sim.url}/web/api/v2.1/system/info`, {
      headers: apiToken(sim.credentials.sentinelOne.apiToken),
    });
    expect(info.json.data).toMatchObject({ build: expect.any(String), version: expect.any(String), latestAgentVersion: expect.any(String) });
  });

  it('defaults to 10 agents and follows nextCursor to the end, where it is null', async () => {
    const first = await agents({});
    expect(first.json.data).toHaveLength(10);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await agents({ limit: '1000', ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.json.pagination?.totalItems).toBe(sim.fleet.agents.length);
      seen.push(...(res.json.data ?? []).map((a) => a.id));
      cursor = res.json.pagination?.nextCursor ?? null;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(seen).toEqual(sim.fleet.agents.map((a) => a.id));
    const small = await agents({ limit: '250' });
    expect(small.json.pagination?.nextCursor).toEqual(expect.any(String));
  });

  it('refuses a limit above 1000 or a skip above 1000 with 400 Validation Error', async () => {
    const res = await agents({ limit: '1001' });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ code: 4000010, title: 'Validation Error', detail: 'limit: Must be between 1 and 1000.' }]);
    expect((await agents({ skip: '1001' })).status).toBe(400);
    expect((await agents({ updatedAt__gt: 'yesterday' })).status).toBe(400);
  });

  it('counts only when asked', async () => {
    const res = await agents({ countOnly: 'true', infected: 'true' });
    expect(res.json).toEqual({ data: [], pagination: { totalItems: sim.fleet.agents.filter((a) => a.infected).length, nextCursor: null } });
  });

  it('filters by updatedAt, decommissioning, infection, serial and name substrings', async () => {
    const cutoff = new Date(clock - 2 * 3_600_000).toISOString();
    const recent = await agents({ updatedAt__gt: cutoff, limit: '1000' });
    expect(recent.json.data?.map((a) => a.id)).toEqual(sim.fleet.agents.filter((a) => Date.parse(a.updatedAt) > Date.parse(cutoff)).map((a) => a.id));
    const live = await agents({ isDecommissioned: 'false', infected: 'true', limit: '1000' });
    expect(live.json.data?.every((a) => !a.isDecommissioned && a.infected && a.activeThreats > 0)).toBe(true);
    expect(live.json.data?.length).toBe(sim.fleet.agents.filter((a) => !a.isDecommissioned && a.infected).length);
    const target = sim.fleet.agents.find((a) => a.serialNumber.length > 6) ?? sim.fleet.agents[0];
    const bySerial = await agents({ serialNumber__contains: target?.serialNumber.slice(1, 6).toLowerCase() ?? '', limit: '1000' });
    expect(bySerial.json.data?.map((a) => a.id)).toContain(target?.id);
    expect(bySerial.json.data?.every((a) => a.serialNumber.toLowerCase().includes(target?.serialNumber.slice(1, 6).toLowerCase() ?? ''))).toBe(true);
    const byName = await agents({ computerName__contains: 'MBP', limit: '1000' });
    expect(byName.json.data?.length).toBeGreaterThan(0);
    expect(byName.json.data?.every((a) => a.computerName.includes('MBP'))).toBe(true);
  });

  it('answers 401 Authentication Failed for an unknown or expired token', async () => {
    const bad = await agents({}, 'not-a-token');
    expect(bad.status).toBe(401);
    expect(bad.json.errors?.[0]).toMatchObject({ code: 4010010, title: 'Authentication Failed' });
    sim.addSentinelOneToken({ token: 'expired-token', expiresAt: new Date(clock - 1000).toISOString() });
    expect((await agents({}, 'expired-token')).status).toBe(401);
  });

  it('gives a site-scoped token 403 at account level but agents when siteIds are given', async () => {
    sim.addSentinelOneToken({ token: 'site-token', siteScoped: true });
    const denied = await agents({}, 'site-token');
    expect(denied.status).toBe(403);
    expect(denied.json.errors?.[0]).toMatchObject({ code: 4030010, detail: 'Action is not allowed to site users' });
    const sites = sim.fleet.sites.map((s) => s.id).join(',');
    const scoped = await agents({ siteIds: sites, limit: '5' }, 'site-token');
    expect(scoped.status).toBe(200);
    expect(scoped.json.data).toHaveLength(5);
  });

  it('reports token creation and expiry from api-token-details', async () => {
    sim.addSentinelOneToken({ token: 'dated-token', expiresAt: '2027-05-01T00:00:00.000000Z' });
    const res = await call<S1Body<{ createdAt: string; expiresAt: string }>>(`${sim.url}/web/api/v2.1/users/api-token-details`, {
      headers: apiToken(sim.credentials.sentinelOne.apiToken),
      json: { data: { apiToken: 'dated-token' } },
    });
    expect(res.status).toBe(200);
    expect(res.json.data?.expiresAt).toBe('2027-05-01T00:00:00.000000Z');
    expect(Date.parse(res.json.data?.createdAt ?? '')).toBeLessThan(clock);
    const malformed = await call<S1Body>(`${sim.url}/web/api/v2.1/users/api-token-details`, {
      headers: apiToken(sim.credentials.sentinelOne.apiToken),
      body: '{"data":',
      method: 'POST',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors?.[0]?.code).toBe(4000010);
  });

  it('answers 429 with Retry-After past 25 agent requests a second per token', async () => {
    clock += 10_000;
    sim.addSentinelOneToken({ token: 'busy-token' });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await agents({ limit: '1' }, 'busy-token')).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await agents({ limit: '1' }, 'busy-token');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    clock += 1_001;
    expect((await agents({ limit: '1' }, 'busy-token')).status).toBe(200);
  });
});
