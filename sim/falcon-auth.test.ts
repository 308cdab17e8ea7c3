import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './index';
import { bearer, call, falconToken, type FalconBody } from './wire-client.testkit';

describe('Falcon OAuth2 and bearer calls', () => {
  let sim: Simulator;
  let clock = Date.parse('2026-11-25T12:00:00Z');

  beforeAll(async () => {
    sim = await startSimulator({ devices: 50, tokenTtlSeconds: 60, now: () => clock });
  });
  afterAll(() => sim.close());

  it('issues a token with 201, bearer type and the configured lifetime', async () => {
    const res = await call<{ access_token: string; token_type: string; expires_in: number }>(`${sim.url}/oauth2/token`, {
      form: { client_id: sim.credentials.falcon.clientId, client_secret: sim.credentials.falcon.clientSecret },
    });
    expect(res.status).toBe(201);
    expect(res.json.token_type).toBe('bearer');
    expect(res.json.expires_in).toBe(60);
    expect(res.json.access_token.length).toBeGreaterThan(40);
    expect(res.headers['x-ratelimit-limit']).toBe('300');
    expect(res.headers['x-cs-traceid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-cs-region']).toBe('us-1');
    expect(sim.stats().tokensIssued).toBeGreaterThanOrEqual(1);
  });

  it('refuses a wrong secret with 403 and a malformed client id with 400 that does not echo the secret', async () => {
    const wrong = await call<FalconBody>(`${sim.url}/oauth2/token`, {
      form: { client_id: sim.credentials.falcon.clientId, client_secret: 'not-the-secret' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.json.errors).toEqual([{ code: 403, message: 'Failed to issue access token - Not Authorized' }]);
    expect(wrong.json.meta.powered_by).toBe('csam');
    const malformed = await call<FalconBody>(`${sim.url}/oauth2/token`, { form: { client_id: 'my-client', client_secret: 's3cr3t-value' } });
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors?.[0]?.message).toBe('Failed to generate access token for clientID=my-client');
    expect(malformed.text).not.toContain('s3cr3t-value');
  });

  it('answers 401 for a missing, unknown or expired bearer token', async () => {
    const token = await falconToken(sim.url, sim.credentials.falcon);
    for (const headers of [{}, bearer('not-a-token')]) {
      const res = await call<FalconBody>(`${sim.url}/devices/queries/devices/v1`, { headers });
      expect(res.status).toBe(401);
      expect(res.json.errors).toEqual([{ code: 401, message: 'access denied, invalid bearer token' }]);
      expect(res.headers['x-ratelimit-limit']).toBe('15');
    }
    expect((await call(`${sim.url}/devices/queries/devices/v1`, { headers: bearer(token) })).status).toBe(200);
    clock += 61_000;
    expect((await call(`${sim.url}/devices/queries/devices/v1`, { headers: bearer(token) })).status).toBe(401);
  });

  it('revokes a token with Basic auth, after which it answers 401', async () => {
    const { clientId, clientSecret } = sim.credentials.falcon;
    const token = await falconToken(sim.url, sim.credentials.falcon);
    const basic = { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` };
    const revoked = await call<FalconBody>(`${sim.url}/oauth2/revoke`, { headers: basic, form: { token } });
    expect(revoked.status).toBe(200);
    expect(revoked.json.errors).toEqual([]);
    expect((await call(`${sim.url}/devices/queries/devices/v1`, { headers: bearer(token) })).status).toBe(401);
    const refused = await call(`${sim.url}/oauth2/revoke`, { headers: { authorization: 'Basic Zm9vOmJhcg==' }, form: { token } });
    expect(refused.status).toBe(403);
  });

  it('a client without a scope gets 403 on that scope’s endpoints only, and the body does not name the scope', async () => {
    const limited = { clientId: 'a'.repeat(32), clientSecret: 'zta-only-secret' };
    sim.addFalconClient({ ...limited, scopes: ['zero-trust-assessment:read'] });
    const token = await falconToken(sim.url, limited);
    const denied = await call<FalconBody>(`${sim.url}/devices/queries/devices-scroll/v1`, { headers: bearer(token) });
    expect(denied.status).toBe(403);
    expect(denied.json.errors).toEqual([{ code: 403, message: 'access denied, authorization failed' }]);
    expect(denied.text).not.toContain('devices:read');
    expect((await call(`${sim.url}/alerts/queries/alerts/v2`, { headers: bearer(token) })).status).toBe(403);
    expect((await call(`${sim.url}/iocs/entities/indicators/v1`, { headers: bearer(token), json: { indicators: [] } })).status).toBe(403);
    expect((await call(`${sim.url}/zero-trust-assessment/queries/assessments/v1?filter=score:<=100`, { headers: bearer(token) })).status).toBe(200);
    expect(() => sim.addFalconClient({ clientId: 'short', clientSecret: 'x', scopes: [] })).toThrow(/32 hex/);
  });

  it('answers 405 on the retired Detects API and on a wrong method, 404 on an unknown path', async () => {
    const token = await falconToken(sim.url, sim.credentials.falcon);
    const detects = await call<FalconBody>(`${sim.url}/detects/queries/detects/v1`, { headers: bearer(token) });
    expect(detects.status).toBe(405);
    expect((await call(`${sim.url}/detects/entities/summaries/GET/v1`, { headers: bearer(token), json: { ids: ['x'] } })).status).toBe(405);
    expect((await call(`${sim.url}/oauth2/token`)).status).toBe(405);
    expect((await call(`${sim.url}/no/such/path`, { headers: bearer(token) })).status).toBe(404);
  });
});

describe('Falcon rate limits', () => {
  it('counts down X-RateLimit-Remaining per CID and answers 429 with RetryAfter when a slot frees', async () => {
    let clock = Date.parse('2026-11-25T12:00:00.250Z');
    const sim = await startSimulator({ devices: 5, rateLimitPerMinute: 5, now: () => clock });
    try {
      const token = await falconToken(sim.url, sim.credentials.falcon);
      const other = { clientId: 'b'.repeat(32), clientSecret: 'second-integration' };
      sim.addFalconClient({ ...other, scopes: ['devices:read'] });
      const otherToken = await falconToken(sim.url, other);
      const start = clock;
      const remaining: string[] = [];
      for (let i = 0; i < 4; i++) {
        remaining.push((await call(`${sim.url}/devices/queries/devices/v1`, { headers: bearer(token) })).headers['x-ratelimit-remaining'] ?? '');
        clock += 1_000;
      }
      // The budget belongs to the customer: a second API client shares it.
      const shared = await call(`${sim.url}/devices/queries/devices/v1`, { headers: bearer(otherToken) });
      expect([...remaining, shared.headers['x-ratelimit-remaining']]).toEqual(['4', '3', '2', '1', '0']);
      const limited = await call<FalconBody>(`${sim.url}/devices/queries/devices/v1`, { headers: bearer(token) });
      expect(limited.status).toBe(429);
      expect(limited.headers['x-ratelimit-limit']).toBe('5');
      expect(limited.json.resources).toBeUndefined();
      expect(limited.headers['x-ratelimit-retryafter']).toBe(String(Math.ceil((start + 60_000) / 1000)));
      expect(sim.stats().status429).toBe(1);
      clock = start + 60_001;
      expect((await call(`${sim.url}/devices/queries/devices/v1`, { headers: bearer(token) })).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it('limits the token endpoint to 300 calls a minute per IP', async () => {
    const sim = await startSimulator({ devices: 1, now: () => 1_800_000_000_000 });
    try {
      const form = { client_id: sim.credentials.falcon.clientId, client_secret: 'wrong' };
      const statuses = await Promise.all(Array.from({ length: 301 }, () => call(`${sim.url}/oauth2/token`, { form }).then((r) => r.status)));
      expect(statuses.filter((s) => s === 403)).toHaveLength(300);
      expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    } finally {
      await sim.close();
    }
  });
});

describe('Falcon regions', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ devices: 20, homeRegion: 'eu-1' });
  });
  afterAll(() => sim.close());

  it('answers 308 with X-Cs-Region and a Location in the home region for token calls elsewhere', async () => {
    const res = await call(`${sim.regionUrl('us-2')}/oauth2/token`, {
      form: { client_id: sim.credentials.falcon.clientId, client_secret: sim.credentials.falcon.clientSecret },
    });
    expect(res.status).toBe(308);
    expect(res.headers['x-cs-region']).toBe('eu-1');
    expect(res.headers.location).toBe(`${sim.url}/region/eu-1/oauth2/token`);
    expect(res.text).toBe('');
    expect(res.headers['x-ratelimit-limit']).toBe('300');
  });

  it('redirects bearer calls with their query, as unauthenticated (limit 15)', async () => {
    const token = await falconToken(sim.regionUrl('eu-1'), sim.credentials.falcon);
    const res = await call(`${sim.regionUrl('us-gov-1')}/devices/queries/devices/v1?limit=3&sort=hostname.asc`, { headers: bearer(token) });
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe(`${sim.regionUrl('eu-1')}/devices/queries/devices/v1?limit=3&sort=hostname.asc`);
    expect(res.headers['x-ratelimit-limit']).toBe('15');
    const followed = await call<FalconBody<string>>(res.headers.location ?? '', { headers: bearer(token) });
    expect(followed.status).toBe(200);
    expect(followed.json.resources).toHaveLength(3);
    expect(followed.headers['x-cs-region']).toBe('eu-1');
  });

  it('serves the home region at the root and at /region/<home>, and 404s unknown regions', async () => {
    const token = await falconToken(sim.url, sim.credentials.falcon);
    const root = await call(`${sim.url}/devices/queries/devices/v1`, { headers: bearer(token) });
    expect(root.status).toBe(200);
    expect(root.headers['x-cs-region']).toBe('eu-1');
    expect((await call(`${sim.regionUrl('mars-1')}/oauth2/token`, { form: {} })).status).toBe(404);
    expect(sim.fleet.alerts[0]?.falcon_host_link).toMatch(/^https:\/\/falcon\.eu-1\.crowdstrike\.com\//);
  });
});
