// One junk-serial rule: on the same fleet, the Test's "M with a serial number" equals the number of records
// the matcher can match by serial — for Falcon and SentinelOne alike. The simulator's fleet is served through
// a rewriting HTTP client that gives some hosts the serials real firmware reports when nobody set one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim';
import { dispatch } from '../../src-shared/dispatch';
import type { DevicePage } from '../../src-shared/schemas/inventory';
import type { TestReport } from '../../src-shared/schemas/providers';
import type { App } from './app';
import { createHttp, type HttpClient } from './providers/http';
import { createTestApp } from './test-app.testkit';

/** Placeholders, repeated characters and invisible padding, plus a few every rule calls junk. */
const FIRMWARE_JUNK = [
  '00000000',
  'XXXXXXX',
  'Not Applicable',
  'Chassis Serial Number',
  'UNKNOWN',
  'N.A.',
  'SERIAL',
  '123456789',
  'Default\u200bstring',
  '-',
  '   ',
  'To Be Filled By O.E.M.',
  'System Serial Number',
  '0',
];

/** Every third record gets a junk serial, chosen by its id so each endpoint sees the same one. */
function junkFor(id: string): string | undefined {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % 3 === 0 ? FIRMWARE_JUNK[h % FIRMWARE_JUNK.length] : undefined;
}

function rewriteSerials(inner: HttpClient): HttpClient {
  return {
    clock: inner.clock,
    clockSkewMs: (origin) => inner.clockSkewMs(origin),
    close: () => inner.close(),
    async request(req) {
      const res = await inner.request(req);
      const body = res.body as { resources?: unknown; data?: unknown } | undefined;
      for (const record of Array.isArray(body?.resources) ? body.resources : []) {
        const host = record as { device_id?: string; serial_number?: string };
        const junk = host.device_id && 'serial_number' in host ? junkFor(host.device_id) : undefined;
        if (junk !== undefined) host.serial_number = junk;
      }
      for (const record of Array.isArray(body?.data) ? body.data : []) {
        const agent = record as { id?: string; serialNumber?: string };
        const junk = agent.id && 'serialNumber' in agent ? junkFor(agent.id) : undefined;
        if (junk !== undefined) agent.serialNumber = junk;
      }
      return res;
    },
  };
}

let sim: Simulator;
let app: App;
let real: HttpClient;

async function call<T = unknown>(channel: string, req: unknown): Promise<T> {
  const res = await dispatch(app.handlers, channel, req);
  if (!res.ok) throw new Error(`${channel}: ${JSON.stringify(res.error)}`);
  return res.value as T;
}

/** The Test's coverage step, read back: how many records it looked at and how many it called usable. */
function coverageCounts(report: TestReport): { sampled: number; withSerial: number } {
  const coverage = report.steps.find((s) => s.id === 'coverage');
  const m = /^(\d+) (?:hosts|agents visible); of (?:them|the first (\d+)): (\d+) with a serial number/.exec(coverage?.observed ?? '');
  if (!m) throw new Error(`unexpected coverage step: ${coverage?.observed}`);
  return { sampled: Number(m[2] ?? m[1]), withSerial: Number(m[3]) };
}

/** The matcher's verdict: records of this provider whose serial identifies a machine (valid, or shared by several). */
async function matchedBySerial(providerId: string): Promise<{ records: number; bySerial: number }> {
  let records = 0;
  let bySerial = 0;
  for (let offset = 0; ; offset += 1000) {
    const page = await call<DevicePage>('devices.list', { providerId, offset, limit: 1000 });
    for (const device of page.items) {
      const mine = device.records.filter((r) => r.observation.providerId === providerId).length;
      records += mine;
      if (device.serialStatus === 'valid' || device.serialStatus === 'duplicate') bySerial += mine;
    }
    if (offset + 1000 >= page.total) return { records, bySerial };
  }
}

beforeAll(async () => {
  sim = await startSimulator({ devices: 300, seed: 21 });
  real = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 50 } });
  ({ app } = await createTestApp({ http: rewriteSerials(real) }));
});

afterAll(async () => {
  await app.close();
  await real.close();
  await sim.close();
});

describe('the Test counts serials the way the matcher judges them', () => {
  it('Falcon ZTA: coverage step and matcher agree on the same fleet', async () => {
    const { falcon } = sim.credentials;
    const { config } = await call<{ config: { id: string } }>('providers.save', {
      kind: 'crowdstrike-zta',
      name: 'ZTA',
      clientId: falcon.clientId,
      clientSecret: falcon.clientSecret,
      customerId: falcon.customerId,
      region: 'custom',
      baseUrl: sim.url,
    });
    const test = coverageCounts(await call<TestReport>('providers.test', { id: config.id }));
    expect(await call('posture.pollNow', { providerId: config.id })).toMatchObject({ outcome: 'succeeded' });
    const matched = await matchedBySerial(config.id);
    // The whole fleet fits in the Test's sample, so both looked at the same records.
    expect(test.sampled).toBe(matched.records);
    expect(matched.bySerial).toBeLessThan(matched.records * 0.8);
    expect(test.withSerial).toBe(matched.bySerial);
  });

  it('SentinelOne: coverage step and matcher agree on the same fleet', async () => {
    const { config } = await call<{ config: { id: string } }>('providers.save', {
      kind: 'sentinelone',
      name: 'S1',
      apiUrl: sim.url,
      apiToken: sim.credentials.sentinelOne.apiToken,
    });
    const test = coverageCounts(await call<TestReport>('providers.test', { id: config.id }));
    expect(await call('posture.pollNow', { providerId: config.id })).toMatchObject({ outcome: 'succeeded' });
    const matched = await matchedBySerial(config.id);
    expect(test.sampled).toBe(matched.records);
    expect(matched.bySerial).toBeLessThan(matched.records * 0.8);
    expect(test.withSerial).toBe(matched.bySerial);
  });
});
