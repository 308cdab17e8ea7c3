// The Falcon client against the simulator over real loopback HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../../sim/index';
import { isProviderError, type ProviderError } from '../diagnosis';
import { createHttp, type HttpClient } from '../http';
import { createManualClock } from '../manual-clock.testkit';
import { createFalconClient } from './client';
import type { DiscoveredRegion } from './regions';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

const DEVICES = 1200;
let sim: Sim;
let http: HttpClient;

beforeAll(async () => {
  sim = await startSimulator({ devices: DEVICES, seed: 7, latencyMs: 0 });
  // Small base delay: the retries are real, the waits short.
  http = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 50 }, headersTimeoutMs: 1_000, bodyTimeoutMs: 1_000 });
});
afterAll(async () => {
  await http.close();
  await sim.close();
});
afterEach(() => {
  sim.clearFaults();
});

function falcon(overrides: Partial<Parameters<typeof createFalconClient>[0]> = {}) {
  return createFalconClient({
    baseUrl: sim.url,
    clientId: sim.credentials.falcon.clientId,
    getSecret: async () => sim.credentials.falcon.clientSecret,
    http,
    ...overrides,
  });
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

describe('authentication', () => {
  it('gets a token (201), caches it, and revokes it', async () => {
    const client = falcon();
    const before = sim.stats();
    const token = await client.authenticate();
    expect(token.expiresAt).toBeGreaterThan(Date.now());
    await client.hosts.count();
    await client.hosts.count();
    expect(sim.stats().tokensIssued - before.tokensIssued).toBe(1);
    await client.revokeToken();
  });

  it('names bad credentials with the fix from the Falcon API Clients page', async () => {
    const client = falcon({ getSecret: async () => 'not-the-secret' });
    const error = await failure(client.authenticate());
    expect(error.diagnosis).toMatchObject({ code: 'falcon.bad_credentials', status: 403 });
    expect(error.diagnosis.fix).toContain('Re-copy Client ID and Secret from Falcon API Clients page');
  });

  it('the bad_credentials fault is reported the same way', async () => {
    sim.setFaults('bad_credentials');
    const error = await failure(falcon().authenticate());
    expect(error.diagnosis.code).toBe('falcon.bad_credentials');
  });

  it('a token that expires mid-run costs exactly one re-authentication', async () => {
    const client = falcon();
    await client.authenticate();
    sim.setFaults([{ kind: 'token_expiry', value: 1, count: 1 }]);
    const before = sim.stats().tokensIssued;
    const ids: string[] = [];
    for await (const page of client.hosts.scrollIds({ pageSize: 300 })) ids.push(...page.ids);
    expect(ids.length).toBe(DEVICES);
    expect(sim.stats().tokensIssued - before).toBe(1);
  });
});

describe('region discovery', () => {
  it('a 308 with X-Cs-Region on the token call moves the client to the home cloud', async () => {
    const found: DiscoveredRegion[] = [];
    // The simulator's us-2 cloud is a base URL, so the connection is custom (falconEndpoint's rule).
    const client = falcon({ region: 'custom', baseUrl: sim.regionUrl('us-2'), onRegionDiscovered: (d) => void found.push(d) });
    sim.resetStats();
    expect(await client.hosts.count()).toBe(DEVICES);
    expect(found).toEqual([{ region: 'us-1', reported: 'us-1', baseUrl: sim.regionUrl('us-1'), previousBaseUrl: sim.regionUrl('us-2') }]);
    expect(client.regionState()).toMatchObject({ configured: 'custom', region: 'us-1', baseUrl: sim.regionUrl('us-1') });
    // No token was issued in the wrong cloud, so there is nothing to revoke.
    expect(sim.stats().byRoute['POST /oauth2/revoke'] ?? 0).toBe(0);
  });

  it('a 308 on an API call re-authenticates in the new cloud and revokes the stray token at the old host', async () => {
    const found: DiscoveredRegion[] = [];
    const client = falcon({ onRegionDiscovered: (d) => void found.push(d) });
    await client.authenticate();
    sim.setFaults([{ kind: 'wrong_region', route: '/devices' }]);
    sim.resetStats();
    expect(await client.hosts.count()).toBe(DEVICES);
    expect(found.map((d) => d.baseUrl)).toEqual([sim.regionUrl('us-1')]);
    expect(sim.stats().tokensIssued).toBe(1);
    expect(sim.stats().byRoute['POST /oauth2/revoke']).toBe(1);
  });
});

describe('hosts', () => {
  it('pulls the whole fleet through the combined endpoint, with ZTA and online state', async () => {
    const client = falcon();
    const inventory = await client.hosts.inventory({ pageSize: 500, onlineState: true, zta: true, concurrency: 4 });
    expect(inventory.hosts).toHaveLength(DEVICES);
    expect(new Set(inventory.hosts.map((h) => h.device_id)).size).toBe(DEVICES);
    expect(inventory.onlineStates).toHaveLength(DEVICES);
    expect(inventory.onlineStates.every((s) => ['online', 'offline', 'unknown'].includes(s.state ?? ''))).toBe(true);
    // Some hosts are unscored (no assessment or an empty one) and come back with scores: null.
    expect(inventory.assessments.some((a) => a.scores === null)).toBe(true);
    expect(inventory.assessments.some((a) => a.scores && typeof a.scores.overall === 'number')).toBe(true);
  });

  it('starts the scroll over when its token expired between pages', async () => {
    let now = Date.now();
    const slow = await startSimulator({ devices: 900, seed: 9, now: () => now });
    try {
      const client = createFalconClient({
        baseUrl: slow.url,
        clientId: slow.credentials.falcon.clientId,
        getSecret: async () => slow.credentials.falcon.clientSecret,
        http,
      });
      const ids = new Set<string>();
      for await (const page of client.hosts.scrollIds({ pageSize: 400 })) {
        for (const id of page.ids) ids.add(id);
        // A three-minute stall (e.g. a long rate-limit wait) after the first page.
        if (ids.size === 400) now += 3 * 60_000;
      }
      expect(ids.size).toBe(900);
    } finally {
      await slow.close();
    }
  });

  it('still gets every host when combined pages come back short', async () => {
    sim.setFaults([{ kind: 'truncated_page', route: '/devices/combined', count: 1, value: 10 }]);
    const inventory = await falcon().hosts.inventory({ pageSize: 400, concurrency: 4 });
    expect(inventory.hosts).toHaveLength(DEVICES);
    expect(new Set(inventory.hosts.map((h) => h.device_id)).size).toBe(DEVICES);
  });

  it('starts the combined paging over when its token expired between pages', async () => {
    let now = Date.now();
    const slow = await startSimulator({ devices: 900, seed: 9, now: () => now });
    try {
      const client = createFalconClient({
        baseUrl: slow.url,
        clientId: slow.credentials.falcon.clientId,
        getSecret: async () => slow.credentials.falcon.clientSecret,
        http,
      });
      let stalled = false;
      const inventory = await client.hosts.inventory({
        pageSize: 400,
        onProgress: (p) => {
          // A three-minute stall (e.g. a long rate-limit wait) after the first page.
          if (stalled || p.hosts < 400) return;
          stalled = true;
          now += 3 * 60_000;
        },
      });
      expect(new Set(inventory.hosts.map((h) => h.device_id)).size).toBe(900);
      expect(inventory.hosts).toHaveLength(900);
      expect(slow.stats().byRoute['GET /devices/queries/devices-scroll/v1'] ?? 0).toBe(0);
    } finally {
      await slow.close();
    }
  });

  it('names the missing Hosts scope on the combined route as on the scroll', async () => {
    sim.setFaults([{ kind: 'missing_scope', scope: 'devices:read' }]);
    const error = await failure(falcon().hosts.inventory({ zta: true, onlineState: true }));
    expect(error.diagnosis).toMatchObject({ code: 'falcon.scope_missing', scope: 'Hosts: Read', status: 403 });
  });

  it('leaves unknown AIDs out of ZTA answers', async () => {
    const client = falcon();
    const known = sim.fleet.deviceIds.slice(0, 3);
    const result = await client.zta.assessments([...known, 'f'.repeat(32)]);
    expect(result.map((a) => a.aid).sort()).toEqual([...known].sort());
  });

  it('reads online state in batches of 100', async () => {
    const client = falcon();
    const ids = sim.fleet.deviceIds.slice(0, 250);
    sim.resetStats();
    const states = await client.hosts.onlineStates(ids);
    expect(states).toHaveLength(250);
    expect(sim.stats().requests).toBeGreaterThanOrEqual(3);
  });
});

describe('alerts', () => {
  it('polls new alerts after a cursor, oldest first, and only new ones on the next poll', async () => {
    const client = falcon();
    const first = await client.alerts.poll({ createdAfter: '2000-01-01T00:00:00Z' });
    expect(first.alerts.length).toBeGreaterThan(0);
    const times = first.alerts.map((a) => a.created_timestamp ?? '');
    expect([...times].sort()).toEqual(times);
    sim.addAlerts(3);
    const next = await client.alerts.poll({ createdAfter: first.cursor });
    expect(next.alerts).toHaveLength(3);
    expect(next.alerts.every((a) => !first.alerts.some((b) => b.composite_id === a.composite_id))).toBe(true);
  });
});

describe('IOCs', () => {
  it('creates (201), refuses a live duplicate, lists and deletes', async () => {
    const client = falcon();
    const ioc = {
      type: 'domain' as const,
      value: 'update-check.example-bad.net',
      action: 'detect' as const,
      severity: 'medium' as const,
      platforms: ['windows' as const, 'mac' as const],
      applied_globally: true,
      source: 'posture-console tests',
    };
    const created = await client.iocs.create(ioc, { comment: 'test' });
    expect(created.created).toBe(true);
    const again = await client.iocs.create(ioc);
    expect(again).toEqual({ created: false, existingId: created.created ? created.ioc.id : '' });
    const listed = await client.iocs.list({ filter: "type:'domain'" });
    expect(listed.some((i) => i.value === ioc.value)).toBe(true);
    await client.iocs.delete(
      listed.map((i) => i.id),
      { comment: 'cleanup' },
    );
    expect((await client.iocs.search({ filter: `value:'${ioc.value}'+deleted:false` })).ids).toHaveLength(0);
  });
});

describe('containment', () => {
  it('contains and lifts containment (202)', async () => {
    const client = falcon();
    const id = sim.fleet.deviceIds[5] ?? '';
    expect(await client.containment.contain([id])).toEqual([id]);
    const [host] = await client.hosts.details([id]);
    expect(host?.status).toMatch(/contain/);
    expect(await client.containment.lift([id])).toEqual([id]);
  });
});

describe('faults', () => {
  it('retries transient 429s, waiting until X-RateLimit-RetryAfter, then succeeds', async () => {
    sim.setFaults([{ kind: 'rate_limit', route: '/devices', count: 2, value: 2 }]);
    const clock = createManualClock();
    const patient = createHttp({ clock });
    try {
      expect(await falcon({ http: patient }).hosts.count()).toBe(DEVICES);
      // Two waits of about two seconds (epoch seconds against the server's Date), not 250 ms backoff guesses.
      expect(clock.sleeps.filter((ms) => ms >= 1000 && ms <= 3000)).toHaveLength(2);
    } finally {
      await patient.close();
    }
  });

  it('gives up on a persistent 429 with a rate-limit diagnosis', async () => {
    sim.setFaults([{ kind: 'rate_limit', route: '/devices', value: 1 }]);
    const clock = createManualClock();
    const patient = createHttp({ clock, retry: { maxAttempts: 3 } });
    try {
      const error = await failure(falcon({ http: patient }).hosts.count());
      expect(error.diagnosis).toMatchObject({ code: 'http.rate_limited', status: 429 });
      expect(error.diagnosis.retryAt).toBeGreaterThan(0);
    } finally {
      await patient.close();
    }
  });

  it('retries transient 5xx, then succeeds', async () => {
    sim.setFaults([{ kind: 'server_error', route: '/devices', count: 2, value: 503 }]);
    expect(await falcon().hosts.count()).toBe(DEVICES);
  });

  it('gives up on persistent 5xx with a server-error diagnosis', async () => {
    sim.setFaults([{ kind: 'server_error', route: '/devices', value: 502 }]);
    const error = await failure(falcon().hosts.count());
    expect(error.diagnosis).toMatchObject({ code: 'http.server_error', status: 502 });
  });

  it('reports a hung connection as a timeout', async () => {
    sim.setFaults([{ kind: 'hang', route: '/devices' }]);
    const error = await failure(falcon().hosts.count());
    expect(error.diagnosis.code).toBe('net.timeout');
  });

  it('reports persistently malformed JSON', async () => {
    sim.setFaults([{ kind: 'malformed_json', route: '/devices' }]);
    const error = await failure(falcon().hosts.count());
    expect(error.diagnosis.code).toBe('http.malformed');
  });

  it('still gets every host when scroll pages come back short', async () => {
    sim.setFaults([{ kind: 'truncated_page', route: '/devices/queries', count: 1, value: 10 }]);
    const ids = new Set<string>();
    for await (const page of falcon().hosts.scrollIds({ pageSize: 400 })) for (const id of page.ids) ids.add(id);
    expect(ids.size).toBe(DEVICES);
  });

  it('names the missing scope per endpoint', async () => {
    sim.setFaults([{ kind: 'missing_scope', scope: 'devices:read' }]);
    const client = falcon();
    const error = await failure(client.hosts.count());
    expect(error.diagnosis).toMatchObject({ code: 'falcon.scope_missing', scope: 'Hosts: Read', status: 403 });
    expect(error.diagnosis.fix).toContain('Add Hosts: Read scope to the Falcon API client');
    // Other scopes still work.
    await expect(client.zta.queryAids({ limit: 1 })).resolves.toBeTruthy();
  });
});
