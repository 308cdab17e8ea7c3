// The full-fleet pull against the simulator: batches start while the host pages still come (combined endpoint, or
// scroll + details where it answers 404), the in-flight cap holds with the paging counted, batches stay full-size
// across pages, and failures and cancellation end the pull cleanly.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../../sim/index';
import { isProviderError } from '../diagnosis';
import { createHttp, type HttpClient } from '../http';
import { createFalconClient } from './client';
import type { FalconInventory } from './fleet-pull';

const DEVICES = 1200;
const PAGE = 200;
let sim: Awaited<ReturnType<typeof startSimulator>>;
let base: HttpClient;

beforeAll(async () => {
  // A little latency so calls overlap as they do against the real API.
  sim = await startSimulator({ devices: DEVICES, seed: 31, latencyMs: 3 });
  base = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 50 } });
});
afterAll(async () => {
  await base.close();
  await sim.close();
});
afterEach(() => sim.clearFaults());

/**
 * A client whose HTTP layer records each call's path in start order and the most calls in flight at once. A call is in
 * flight until its answer's bytes are in (`received`, when the caller asks to hear it: its slot is free while the
 * answer is read) or until it returns.
 */
function recordedClient(onCall?: (calls: readonly string[]) => void) {
  const calls: string[] = [];
  let active = 0;
  const seen = { peak: 0 };
  const http: HttpClient = {
    ...base,
    async request(req) {
      calls.push(new URL(req.url).pathname);
      onCall?.(calls);
      active += 1;
      seen.peak = Math.max(seen.peak, active);
      let flying = true;
      const landed = () => {
        if (flying) active -= 1;
        flying = false;
      };
      const received = req.received;
      try {
        return await base.request(received ? { ...req, received: () => (landed(), received()) } : req);
      } finally {
        landed();
      }
    },
  };
  const client = createFalconClient({
    baseUrl: sim.url,
    clientId: sim.credentials.falcon.clientId,
    getSecret: async () => sim.credentials.falcon.clientSecret,
    http,
  });
  return { client, calls, seen };
}

const COMBINED = '/devices/combined/devices/v1';
const SCROLL = '/devices/queries/devices-scroll/v1';
const DETAILS = '/devices/entities/devices/v2';
const ZTA = '/zero-trust-assessment/entities/assessments/v1';
const ONLINE = '/devices/entities/online-state/v1';
const count = (calls: readonly string[], path: string) => calls.filter((p) => p === path).length;
const sorted = (inventory: FalconInventory) => ({
  hosts: inventory.hosts.map((h) => h.device_id).sort(),
  assessments: [...inventory.assessments].sort((a, b) => a.aid.localeCompare(b.aid)),
  onlineStates: [...inventory.onlineStates].sort((a, b) => a.id.localeCompare(b.id)),
  reportedTotal: inventory.reportedTotal,
});

describe('full inventory', () => {
  it('starts ZTA and online-state batches while the host pages still come, and returns what a one-at-a-time pull returns', async () => {
    const pipelined = recordedClient();
    await pipelined.client.authenticate();
    const fast = await pipelined.client.hosts.inventory({ pageSize: PAGE, zta: true, onlineState: true, concurrency: 6 });
    const lastPage = pipelined.calls.lastIndexOf(COMBINED);
    const firstBatch = pipelined.calls.findIndex((p) => p !== COMBINED && !p.startsWith('/oauth2'));
    expect(firstBatch).toBeLessThan(lastPage);

    const sequential = recordedClient();
    await sequential.client.authenticate();
    const slow = await sequential.client.hosts.inventory({ pageSize: PAGE, zta: true, onlineState: true, concurrency: 1 });
    // One call at a time: the paging holds the only slot until it is done.
    const calls = sequential.calls.filter((p) => !p.startsWith('/oauth2'));
    expect(calls.slice(0, DEVICES / PAGE)).toEqual(Array<string>(DEVICES / PAGE).fill(COMBINED));
    expect(calls.slice(DEVICES / PAGE)).not.toContain(COMBINED);
    expect(sequential.seen.peak).toBe(1);

    expect(fast.hosts).toHaveLength(DEVICES);
    expect(sorted(fast)).toEqual(sorted(slow));
    expect(fast.assessments.length).toBeGreaterThan(0);
    expect(fast.onlineStates).toHaveLength(DEVICES);
    // Hosts keep the fields posture reads (last user included), not the ~50 the API has.
    const host = fast.hosts[0]!;
    const record = sim.fleet.device(host.device_id)!;
    expect(host).toMatchObject({
      last_login_user: record.last_login_user,
      serial_number: record.serial_number,
      mac_address: record.mac_address,
      last_seen: record.last_seen,
    });
    expect('policies' in host).toBe(false);
  });

  it('never has more calls in flight than asked for, the paging included, and uses them all', async () => {
    const { client, seen } = recordedClient();
    await client.authenticate();
    await client.hosts.inventory({ pageSize: PAGE, zta: true, onlineState: true, concurrency: 3 });
    expect(seen.peak).toBe(3);
  });

  it('fills batches across pages: host records from the combined pages only, ZTA and online state by 100', async () => {
    const { client, calls } = recordedClient();
    await client.hosts.inventory({ pageSize: PAGE, zta: true, onlineState: true, concurrency: 4 });
    expect(count(calls, COMBINED)).toBe(DEVICES / PAGE);
    expect(count(calls, SCROLL) + count(calls, DETAILS)).toBe(0);
    expect(count(calls, ZTA)).toBe(DEVICES / 100);
    expect(count(calls, ONLINE)).toBe(DEVICES / 100);
  });

  it('falls back to scroll and details (still pipelined) when the combined endpoint answers 404, and remembers it for the client', async () => {
    const reference = recordedClient();
    const expected = sorted(await reference.client.hosts.inventory({ pageSize: PAGE, zta: true, onlineState: true, concurrency: 4 }));

    sim.setFaults('route_missing:/devices/combined');
    const { client, calls } = recordedClient();
    await client.authenticate();
    const old = await client.hosts.inventory({ pageSize: PAGE, zta: true, onlineState: true, concurrency: 6 });
    expect(sorted(old)).toEqual(expected);
    expect(count(calls, COMBINED)).toBe(1);
    expect(count(calls, SCROLL)).toBe(DEVICES / PAGE);
    expect(count(calls, DETAILS)).toBe(1);
    expect(count(calls, ZTA)).toBe(DEVICES / 100);
    expect(calls.findIndex((p) => p === ZTA || p === ONLINE)).toBeLessThan(calls.lastIndexOf(SCROLL));
    const host = old.hosts[0]!;
    expect(host.last_login_user).toEqual(sim.fleet.device(host.device_id)?.last_login_user);
    expect('policies' in host).toBe(false);

    // The client does not ask again, even once the route is back; a new client does.
    sim.clearFaults();
    calls.length = 0;
    await client.hosts.inventory({ pageSize: PAGE, zta: true, onlineState: true, concurrency: 4 });
    expect(count(calls, COMBINED)).toBe(0);
    expect(count(calls, SCROLL)).toBe(DEVICES / PAGE);
  });

  it('falls back mid-pull without asking twice for a host or a batch', async () => {
    const { client, calls } = recordedClient((made) => {
      if (count(made, COMBINED) === 3) sim.setFaults('route_missing:/devices/combined');
    });
    const inventory = await client.hosts.inventory({ pageSize: PAGE, zta: true, onlineState: true, concurrency: 4 });
    expect(inventory.hosts).toHaveLength(DEVICES);
    expect(new Set(inventory.hosts.map((h) => h.device_id)).size).toBe(DEVICES);
    expect(inventory.onlineStates).toHaveLength(DEVICES);
    // Two combined pages delivered 400 hosts; the scroll's other 800 ids fill one details call.
    expect(count(calls, COMBINED)).toBe(3);
    expect(count(calls, DETAILS)).toBe(1);
    expect(count(calls, ZTA)).toBe(DEVICES / 100);
    expect(count(calls, ONLINE)).toBe(DEVICES / 100);
  });

  it('fails the pull on the first refused batch and starts no further calls', async () => {
    const { client, calls } = recordedClient();
    await client.authenticate();
    sim.setFaults([{ kind: 'missing_scope', scope: 'zero-trust-assessment:read' }]);
    const error = await client.hosts.inventory({ pageSize: PAGE, zta: true, onlineState: true, concurrency: 2 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isProviderError(error) && error.diagnosis.code).toBe('falcon.scope_missing');
    // A complete pull makes 30 calls; this one stops within a couple of calls of the refusal.
    expect(calls.filter((p) => !p.startsWith('/oauth2')).length).toBeLessThan(12);
  });

  it('stops when cancelled, mid-paging or mid-batch, without leaving calls running', async () => {
    const cases = [
      { at: 'the second host page', when: (calls: readonly string[]) => calls.filter((p) => p === COMBINED).length === 2 },
      { at: 'the fifth ZTA batch', when: (calls: readonly string[]) => calls.filter((p) => p === ZTA).length === 5 },
    ];
    for (const { at, when } of cases) {
      const abort = new AbortController();
      const { client, calls } = recordedClient((made) => {
        if (when(made)) abort.abort();
      });
      const error = await client.hosts.inventory({ pageSize: PAGE, zta: true, onlineState: true, concurrency: 4, signal: abort.signal }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isProviderError(error) && error.diagnosis.code, at).toBe('net.aborted');
      const made = calls.length;
      expect(made, at).toBeLessThan(20);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(calls.length, at).toBe(made);
    }
  });
});
