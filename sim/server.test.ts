import { describe, expect, it } from 'vitest';
import { startSimulator } from './index';
import { apiToken, bearer, call, falconToken, type FalconBody } from './wire-client.testkit';

describe('simulator server', () => {
  it('listens on 127.0.0.1 and derives the same credentials and fleet from the same seed', async () => {
    const [a, b] = await Promise.all([startSimulator({ seed: 42, devices: 30 }), startSimulator({ seed: 42, devices: 30 })]);
    try {
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(a.url).not.toBe(b.url);
      expect(b.credentials).toEqual(a.credentials);
      expect(a.credentials.falcon.clientId).toMatch(/^[0-9a-f]{32}$/);
      expect(a.credentials.falcon.customerId).toMatch(/^[0-9A-F]{32}-[0-9A-F]{2}$/);
      expect(a.credentials.falcon.customerId.slice(0, 32).toLowerCase()).toBe(a.fleet.cid);
      const ids = async (sim: typeof a) => {
        const token = await falconToken(sim.url, sim.credentials.falcon);
        return (await call<FalconBody<string>>(`${sim.url}/devices/queries/devices/v1?limit=30`, { headers: bearer(token) })).json.resources;
      };
      expect(await ids(b)).toEqual(await ids(a));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('counts requests per route (region prefix folded in), 429s and issued tokens; resetStats zeroes them', async () => {
    const sim = await startSimulator({ devices: 10, faults: 'rate_limit:/system/info' });
    try {
      const token = await falconToken(sim.regionUrl('us-1'), sim.credentials.falcon);
      await call(`${sim.url}/devices/queries/devices/v1`, { headers: bearer(token) });
      await call(`${sim.regionUrl('us-1')}/devices/queries/devices/v1`, { headers: bearer(token) });
      await call(`${sim.url}/web/api/v2.1/system/info`, { headers: apiToken(sim.credentials.sentinelOne.apiToken) });
      expect(sim.stats()).toEqual({
        requests: 4,
        byRoute: {
          'POST /oauth2/token': 1,
          'GET /devices/queries/devices/v1': 2,
          'GET /web/api/v2.1/system/info': 1,
        },
        status429: 1,
        tokensIssued: 1,
        jamfTokensIssued: 0,
        peakConcurrency: { falcon: 1, sentinelone: 1 },
      });
      sim.resetStats();
      expect(sim.stats()).toEqual({ requests: 0, byRoute: {}, status429: 0, tokensIssued: 0, jamfTokensIssued: 0, peakConcurrency: {} });
    } finally {
      await sim.close();
    }
  });

  it('holds every response for latencyMs, and close() ends the held ones', async () => {
    const slow = await startSimulator({ devices: 5, latencyMs: 60_000 });
    const fast = await startSimulator({ devices: 5 });
    let settled = false;
    const held = call(`${slow.url}/web/api/v2.1/system/status`).finally(() => {
      settled = true;
    });
    expect((await call(`${fast.url}/web/api/v2.1/system/status`)).status).toBe(200);
    expect(settled).toBe(false);
    await Promise.all([slow.close(), fast.close()]);
    await expect(held).rejects.toThrow();
  });

  it('answers 404 in the SentinelOne envelope for unknown S1 paths', async () => {
    const sim = await startSimulator({ devices: 5 });
    try {
      const res = await call<{ errors: { code: number }[] }>(`${sim.url}/web/api/v2.1/threats`, {
        headers: apiToken(sim.credentials.sentinelOne.apiToken),
      });
      expect(res.status).toBe(404);
      expect(res.json.errors[0]?.code).toBe(4040010);
    } finally {
      await sim.close();
    }
  });

  it('refuses invalid options with the option named', async () => {
    await expect(startSimulator({ devices: -1 })).rejects.toThrow(/devices/);
    await expect(startSimulator({ homeRegion: 'mars-1' as 'us-1' })).rejects.toThrow(/homeRegion/);
    await expect(startSimulator({ faults: 'explode' })).rejects.toThrow(/unknown fault kind "explode"/);
  });
});
