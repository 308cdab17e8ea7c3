// One endpoint per Falcon connection: a connection stored with a named region AND a base URL (settings
// written before the rule) is Tested, polled, and used for alerts, IOCs and containment at the same host.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim';
import { dispatch } from '../../src-shared/dispatch';
import type { App } from './app';
import { createHttp, type HttpClient } from './providers/http';
import { createTestApp } from './test-app.testkit';

let sim: Simulator;
let app: App;
let dir: string;
let real: HttpClient;
/** Host of every request the app tried to send, in order. */
const hosts: string[] = [];

/** Records each request's host and refuses anything but loopback, so a wrong host fails here and never leaves the machine. */
function recordingHttp(inner: HttpClient): HttpClient {
  return {
    clock: inner.clock,
    clockSkewMs: (origin) => inner.clockSkewMs(origin),
    close: () => inner.close(),
    async request(req) {
      const url = new URL(req.url);
      hosts.push(url.host);
      if (url.hostname !== '127.0.0.1') throw new Error(`refused to send a test request to ${url.host}`);
      return inner.request(req);
    },
  };
}

async function call<T = unknown>(channel: string, req: unknown): Promise<T> {
  const res = await dispatch(app.handlers, channel, req);
  if (!res.ok) throw new Error(`${channel}: ${JSON.stringify(res.error)}`);
  return res.value as T;
}

/** Rewrites the settings file as an older version could have left it: a named region next to the base URL. */
function storeNamedRegionBesideBaseUrl(id: string, region: string): void {
  const file = join(dir, 'settings.json');
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { providers: { id: string; region?: string }[] };
  for (const p of raw.providers) if (p.id === id) p.region = region;
  writeFileSync(file, JSON.stringify(raw));
  app.connections.notifyChanged();
}

const simHost = () => new URL(sim.url).host;
const since = (mark: number) => hosts.slice(mark);

beforeAll(async () => {
  sim = await startSimulator({ devices: 120, seed: 13 });
  real = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 50 }, headersTimeoutMs: 2_000, bodyTimeoutMs: 2_000 });
  ({ app, dir } = await createTestApp({ http: recordingHttp(real) }));
});

afterAll(async () => {
  await app.close();
  await real.close();
  await sim.close();
});

describe('a Falcon connection with a named region and a base URL', () => {
  it('ZTA: Test and poll both go to the base URL', async () => {
    const { falcon } = sim.credentials;
    const saved = await call<{ config: { id: string } }>('providers.save', {
      kind: 'crowdstrike-zta',
      name: 'ZTA us-2 via sim',
      clientId: falcon.clientId,
      clientSecret: falcon.clientSecret,
      customerId: falcon.customerId,
      region: 'custom',
      baseUrl: sim.url,
    });
    const id = saved.config.id;
    storeNamedRegionBesideBaseUrl(id, 'us-2');

    let mark = hosts.length;
    const report = await call<{ ok: boolean }>('providers.test', { id });
    expect(report.ok).toBe(true);
    expect(new Set(since(mark))).toEqual(new Set([simHost()]));

    mark = hosts.length;
    expect(await call('posture.pollNow', { providerId: id })).toMatchObject({ outcome: 'succeeded' });
    expect(since(mark).length).toBeGreaterThan(0);
    expect(new Set(since(mark))).toEqual(new Set([simHost()]));
  });

  it('detections: Test, alerts poll, IOC push and containment all go to the base URL', async () => {
    const { falcon } = sim.credentials;
    const saved = await call<{ config: { id: string } }>('providers.save', {
      kind: 'crowdstrike-falcon-incidents',
      name: 'Detections eu-1 via sim',
      clientId: falcon.clientId,
      clientSecret: falcon.clientSecret,
      region: 'custom',
      baseUrl: sim.url,
    });
    const integrationId = saved.config.id;
    storeNamedRegionBesideBaseUrl(integrationId, 'eu-1');
    sim.addAlerts(3, { severity: 90 });

    let mark = hosts.length;
    expect((await call<{ ok: boolean }>('providers.test', { id: integrationId })).ok).toBe(true);
    expect(new Set(since(mark))).toEqual(new Set([simHost()]));

    mark = hosts.length;
    await call('incidents.pollNow', { integrationId });
    const incidents = await call<{ items: { number: string }[] }>('incidents.list', {});
    expect(incidents.items.length).toBeGreaterThan(0);
    const pushed = await call<{ status: string }>('iocs.push', {
      integrationId,
      actor: 'tester',
      input: {
        type: 'sha256',
        value: 'b'.repeat(64),
        action: 'prevent',
        severity: 'high',
        platforms: ['windows'],
        description: 'endpoint test',
        expirationDays: 30,
      },
    });
    expect(pushed.status).toBe('created');
    await call('incidents.containment', { number: incidents.items[0]!.number, action: 'contain', actor: 'tester', reason: 'endpoint test' });
    expect(since(mark).length).toBeGreaterThan(0);
    expect(new Set(since(mark))).toEqual(new Set([simHost()]));
  });

  it('is read as custom with that base URL, so every screen shows where requests go', async () => {
    const list = await call<{ config: { name: string; region: string; baseUrl?: string } }[]>('providers.list', {});
    const stored = list.filter((p) => p.config.name.includes('via sim'));
    expect(stored).toHaveLength(2);
    for (const { config } of stored) expect(config).toMatchObject({ region: 'custom', baseUrl: sim.url });
  });
});

describe('a 308 to the home cloud', () => {
  it('is saved the same way whether a Test or a poll met it', async () => {
    const { falcon } = sim.credentials;
    const save = (name: string) =>
      call<{ config: { id: string } }>('providers.save', {
        kind: 'crowdstrike-zta',
        name,
        clientId: falcon.clientId,
        clientSecret: falcon.clientSecret,
        customerId: falcon.customerId,
        region: 'custom',
        baseUrl: sim.regionUrl('us-2'),
      });
    const tested = (await save('Moved by a Test')).config.id;
    const polled = (await save('Moved by a poll')).config.id;
    await call('providers.test', { id: tested });
    expect(await call('posture.pollNow', { providerId: polled })).toMatchObject({ outcome: 'succeeded' });
    const list = await call<{ config: { id: string; region: string; baseUrl?: string } }[]>('providers.list', {});
    const endpoint = (id: string) => {
      const { region, baseUrl } = list.find((p) => p.config.id === id)!.config;
      return { region, baseUrl };
    };
    expect(endpoint(tested)).toEqual({ region: 'custom', baseUrl: sim.regionUrl('us-1') });
    expect(endpoint(polled)).toEqual(endpoint(tested));
  });
});

describe('a SentinelOne connection', () => {
  it('Test and poll both go to the console host of the URL as pasted (with a path)', async () => {
    const saved = await call<{ config: { id: string } }>('providers.save', {
      kind: 'sentinelone',
      name: 'S1 pasted from the browser',
      apiUrl: `${sim.url}/dashboard`,
      apiToken: sim.credentials.sentinelOne.apiToken,
    });
    let mark = hosts.length;
    expect((await call<{ ok: boolean }>('providers.test', { id: saved.config.id })).ok).toBe(true);
    expect(new Set(since(mark))).toEqual(new Set([simHost()]));
    mark = hosts.length;
    expect(await call('posture.pollNow', { providerId: saved.config.id })).toMatchObject({ outcome: 'succeeded' });
    expect(since(mark).length).toBeGreaterThan(0);
    expect(new Set(since(mark))).toEqual(new Set([simHost()]));
  });
});
