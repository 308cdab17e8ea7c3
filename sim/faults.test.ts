import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaults, startSimulator, type Simulator } from './index';
import { apiToken, bearer, call, falconToken, type FalconBody, type S1Body } from './wire-client.testkit';

describe('parseFaults', () => {
  it('reads the compact CLI form', () => {
    expect(parseFaults('rate_limit:/devices:0.2,latency:*:50,wrong_region,missing_scope:devices:read,server_error:/alerts:count=3')).toEqual([
      { kind: 'rate_limit', route: '/devices', rate: 0.2 },
      { kind: 'latency', route: '*', value: 50 },
      { kind: 'wrong_region' },
      { kind: 'missing_scope', scope: 'devices:read' },
      { kind: 'server_error', route: '/alerts', count: 3 },
    ]);
  });

  it('accepts percentages, explicit keys and a scope given as scope=', () => {
    expect(parseFaults(' server_error : /alerts : 25% : value=503 , missing_scope:scope=ioc:write:count=2, token_expiry:value=0')).toEqual([
      { kind: 'server_error', route: '/alerts', rate: 0.25, value: 503 },
      { kind: 'missing_scope', scope: 'ioc:write', count: 2 },
      { kind: 'token_expiry', value: 0 },
    ]);
    expect(parseFaults('')).toEqual([]);
  });

  it('names the bad token and lists the accepted forms', () => {
    expect(() => parseFaults('rate_limit:/devices,slow:*:50')).toThrow(/unknown fault kind "slow".*Kinds: latency, rate_limit/);
    expect(() => parseFaults('rate_limit:devices')).toThrow(/cannot read "devices".*Form: kind\[:route\]/);
    expect(() => parseFaults('rate_limit:/devices:1.5')).toThrow(/"rate_limit:\/devices:1.5".*rate/);
    expect(() => parseFaults('missing_scope')).toThrow(/missing_scope needs a scope/);
    expect(() => parseFaults('latency:/devices')).toThrow(/latency needs a value in milliseconds/);
    expect(() => parseFaults('server_error:value=404')).toThrow(/5xx status/);
    expect(() => parseFaults('hang:speed=3')).toThrow(/unknown key "speed"/);
  });
});

describe('fault injection over HTTP', () => {
  let sim: Simulator;
  let token: string;
  const falconGet = (path: string, t = token) => call<FalconBody>(`${sim.url}${path}`, { headers: bearer(t) });
  const s1Get = (path: string) => call<S1Body>(`${sim.url}/web/api/v2.1${path}`, { headers: apiToken(sim.credentials.sentinelOne.apiToken) });

  beforeAll(async () => {
    sim = await startSimulator({ devices: 120, seed: 4 });
    token = await falconToken(sim.url, sim.credentials.falcon);
  });
  afterAll(() => sim.close());

  it('rate_limit answers 429 with a meta-only body and an epoch-seconds RetryAfter, on its route only', async () => {
    sim.setFaults('rate_limit:/devices');
    sim.resetStats();
    const limited = await falconGet('/devices/queries/devices/v1');
    expect(limited.status).toBe(429);
    expect(limited.json.resources).toBeUndefined();
    expect(limited.json.errors?.[0]?.code).toBe(429);
    const retryAfter = Number(limited.headers['x-ratelimit-retryafter']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    expect(retryAfter).toBeLessThan(Date.now() / 1000 + 10);
    expect((await falconGet('/zero-trust-assessment/queries/assessments/v1?filter=score:<=100')).status).toBe(200);
    expect(sim.stats().status429).toBe(1);
  });

  it('rate_limit on SentinelOne answers 429 with Retry-After seconds in its error envelope', async () => {
    sim.setFaults('rate_limit:/agents:value=3');
    const limited = await s1Get('/agents');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
    expect(limited.json.errors?.[0]).toMatchObject({ code: expect.any(Number), title: expect.any(String) });
  });

  it('a rate below 1 hits a deterministic subset of requests', async () => {
    const statuses = async (): Promise<number[]> => {
      sim.setFaults('server_error:/devices:0.5');
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await falconGet('/devices/queries/devices/v1?limit=1')).status);
      return out;
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });

  it('server_error with count fails only the first N matching requests, with the chosen status', async () => {
    sim.setFaults('server_error:/alerts:count=3:value=503');
    const seen = [];
    for (let i = 0; i < 5; i++) seen.push((await falconGet('/alerts/queries/alerts/v2?limit=1')).status);
    expect(seen).toEqual([503, 503, 503, 200, 200]);
    sim.setFaults('server_error:/alerts:count=1');
    const failed = await falconGet('/alerts/queries/alerts/v2');
    expect(failed.status).toBe(500);
    expect(failed.json.errors?.[0]).toEqual({ code: 500, message: 'Internal Server Error' });
  });

  it('malformed_json answers 200 with a body cut short', async () => {
    sim.setFaults('malformed_json:/devices/entities');
    const id = sim.fleet.deviceIds[0] ?? '';
    const res = await falconGet(`/devices/entities/devices/v2?ids=${id}`);
    expect(res.status).toBe(200);
    expect(res.json).toBeUndefined();
    expect(res.text.startsWith('{"meta":')).toBe(true);
    expect(() => JSON.parse(res.text) as unknown).toThrow();
  });

  it('truncated_page drops resources while pagination still claims them', async () => {
    sim.setFaults('truncated_page:/devices/queries/devices-scroll');
    const page = await falconGet('/devices/queries/devices-scroll/v1?limit=20');
    expect(page.json.resources).toHaveLength(15);
    expect(page.json.meta.pagination?.total).toBe(120);
    sim.setFaults('truncated_page:/devices/queries/devices-scroll:value=1');
    expect((await falconGet('/devices/queries/devices-scroll/v1?limit=20')).json.resources).toHaveLength(19);
  });

  it('malformed_json and truncated_page apply to prerendered ZTA records too (cut at half the characters)', async () => {
    const ids = sim.fleet.deviceIds.slice(0, 8);
    const path = `/zero-trust-assessment/entities/assessments/v1?${ids.map((id) => `ids=${id}`).join('&')}`;
    sim.setFaults('truncated_page:/zero-trust-assessment/entities:value=3');
    const trimmed = await falconGet(path);
    expect(trimmed.text).toBe(JSON.stringify({ meta: trimmed.json.meta, resources: ids.slice(0, 5).map((id) => sim.fleet.zta(id)), errors: [] }));
    sim.setFaults('malformed_json:/zero-trust-assessment/entities');
    const cut = await falconGet(path);
    expect(cut.status).toBe(200);
    expect(cut.json).toBeUndefined();
    const whole = JSON.stringify({ meta: { query_time: 0 }, resources: ids.map((id) => sim.fleet.zta(id)), errors: [] });
    const wholeAfterMeta = whole.slice(whole.indexOf('"resources"'));
    expect(cut.text.length).toBeGreaterThan(10);
    expect(wholeAfterMeta.startsWith(cut.text.slice(cut.text.indexOf('"resources"')))).toBe(true);
    sim.clearFaults();
  });

  it('token_expiry lets a token serve one call, then answers 401 as if it expired mid-poll', async () => {
    sim.setFaults('token_expiry:count=1');
    const fresh = await falconToken(sim.url, sim.credentials.falcon);
    expect((await falconGet('/devices/queries/devices/v1', fresh)).status).toBe(200);
    const expired = await falconGet('/devices/queries/devices/v1', fresh);
    expect(expired.status).toBe(401);
    expect(expired.json.errors?.[0]?.message).toBe('access denied, invalid bearer token');
    expect((await falconGet('/devices/queries/devices/v1', fresh)).status).toBe(401);
    const renewed = await falconToken(sim.url, sim.credentials.falcon);
    for (let i = 0; i < 3; i++) expect((await falconGet('/devices/queries/devices/v1', renewed)).status).toBe(200);
  });

  it('token_expiry with value=0 fails the first call a new token makes', async () => {
    sim.setFaults('token_expiry:value=0:count=1');
    const fresh = await falconToken(sim.url, sim.credentials.falcon);
    expect((await falconGet('/devices/queries/devices/v1', fresh)).status).toBe(401);
  });

  it('wrong_region makes the root answer 308 to the home region, token call included', async () => {
    sim.setFaults('wrong_region');
    const redirected = await call(`${sim.url}/oauth2/token`, { form: { client_id: sim.credentials.falcon.clientId, client_secret: 'x' } });
    expect(redirected.status).toBe(308);
    expect(redirected.headers['x-cs-region']).toBe('us-1');
    expect(redirected.headers.location).toBe(`${sim.url}/region/us-1/oauth2/token`);
    const bearerCall = await falconGet('/devices/queries/devices/v1?limit=5');
    expect(bearerCall.status).toBe(308);
    expect(bearerCall.headers.location).toBe(`${sim.regionUrl('us-1')}/devices/queries/devices/v1?limit=5`);
    const home = await falconToken(sim.regionUrl('us-1'), sim.credentials.falcon);
    expect((await call(`${sim.regionUrl('us-1')}/devices/queries/devices/v1`, { headers: bearer(home) })).status).toBe(200);
  });

  it('missing_scope answers 403 on that scope’s endpoints only, without naming the scope', async () => {
    sim.setFaults('missing_scope:devices:read');
    const denied = await falconGet('/devices/queries/devices/v1');
    expect(denied.status).toBe(403);
    expect(denied.json.errors).toEqual([{ code: 403, message: 'access denied, authorization failed' }]);
    expect((await falconGet('/zero-trust-assessment/queries/assessments/v1?filter=score:<=100')).status).toBe(200);
  });

  it('bad_credentials refuses the token call with 403', async () => {
    sim.setFaults('bad_credentials');
    const res = await call(`${sim.url}/oauth2/token`, {
      form: { client_id: sim.credentials.falcon.clientId, client_secret: sim.credentials.falcon.clientSecret },
    });
    expect(res.status).toBe(403);
    expect(res.json.errors?.[0]?.message).toBe('Failed to issue access token - Not Authorized');
  });

  it('s1_site_scoped refuses account-level calls but lists agents scoped by siteIds', async () => {
    sim.setFaults('s1_site_scoped');
    const denied = await s1Get('/agents');
    expect(denied.status).toBe(403);
    expect(denied.json.errors?.[0]).toEqual({ code: 4030010, title: 'Insufficient permissions', detail: 'Action is not allowed to site users' });
    expect((await s1Get('/system/info')).status).toBe(403);
    const site = sim.fleet.sites[1]?.id ?? '';
    const scoped = await call<S1Body<{ siteId: string }[]>>(`${sim.url}/web/api/v2.1/agents?siteIds=${site}&limit=50`, {
      headers: apiToken(sim.credentials.sentinelOne.apiToken),
    });
    expect(scoped.status).toBe(200);
    expect(scoped.json.data?.every((a) => a.siteId === site)).toBe(true);
  });

  it('s1_token_expired answers 401 and s1_token_expiring reports expiry in five days', async () => {
    sim.setFaults('s1_token_expired');
    const expired = await s1Get('/agents');
    expect(expired.status).toBe(401);
    expect(expired.json.errors?.[0]?.code).toBe(4010010);
    sim.setFaults('s1_token_expiring');
    const details = await call<S1Body<{ createdAt: string; expiresAt: string }>>(`${sim.url}/web/api/v2.1/users/api-token-details`, {
      headers: apiToken(sim.credentials.sentinelOne.apiToken),
      json: { data: { apiToken: sim.credentials.sentinelOne.apiToken } },
    });
    const days = (Date.parse(details.json.data?.expiresAt ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(4.9);
    expect(days).toBeLessThanOrEqual(5);
  });

  it('setFaults swaps rules at runtime and clearFaults removes them; bad rules are refused', async () => {
    sim.setFaults([{ kind: 'server_error', route: '/devices' }]);
    expect((await falconGet('/devices/queries/devices/v1')).status).toBe(500);
    sim.clearFaults();
    expect((await falconGet('/devices/queries/devices/v1')).status).toBe(200);
    expect(() => sim.setFaults([{ kind: 'missing_scope' }])).toThrow(/missing_scope needs a scope/);
    expect(() => sim.setFaults('nonsense')).toThrow(/unknown fault kind "nonsense"/);
  });
});

describe('faults that hold requests', () => {
  it('latency delays only its route: a later call elsewhere answers first', async () => {
    const sim = await startSimulator({ devices: 10, faults: 'latency:/devices:60000' });
    const token = await falconToken(sim.url, sim.credentials.falcon);
    let slowSettled = false;
    const slow = call(`${sim.url}/devices/queries/devices/v1`, { headers: bearer(token) }).finally(() => {
      slowSettled = true;
    });
    const fast = await call(`${sim.url}/web/api/v2.1/system/status`);
    expect(fast.status).toBe(200);
    expect(slowSettled).toBe(false);
    await sim.close();
    await expect(slow).rejects.toThrow();
  });

  it('hang never answers, and close() still finishes by destroying the socket', async () => {
    const sim = await startSimulator({ devices: 10, faults: 'hang:/zero-trust-assessment' });
    const token = await falconToken(sim.url, sim.credentials.falcon);
    const hung = call(`${sim.url}/zero-trust-assessment/queries/assessments/v1?filter=score:<=100`, { headers: bearer(token) });
    while (!sim.stats().byRoute['GET /zero-trust-assessment/queries/assessments/v1']) await new Promise((r) => setImmediate(r));
    await sim.close();
    await expect(hung).rejects.toThrow();
  });
});
