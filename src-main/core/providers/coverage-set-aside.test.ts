// The Test's data-coverage step reports records it had to set aside, and still passes on them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../sim/index';
import type { ProviderConfig } from '../../../src-shared/schemas/providers';
import { systemClock } from './clock';
import { testProvider } from './diagnose';
import { createHttp, type HttpClient } from './http';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type Json = Record<string, unknown>;

let sim: Sim;
let http: HttpClient;
beforeAll(async () => {
  sim = await startSimulator({ devices: 200, seed: 5 });
  http = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 2 } });
});
afterAll(async () => {
  await http.close();
  await sim.close();
});
afterEach(() => sim.rewriteAnswers(null));

const coverage = async (config: ProviderConfig, secret: string) => {
  const report = await testProvider(config, { getSecret: async () => secret, http, clock: systemClock, onStep: () => undefined });
  return report.steps.find((s) => s.id === 'coverage');
};

/** Drops the id of the first record and makes the second one's `field` an object, on `path`. */
const spoil = (path: string, list: string, id: string, field: string) =>
  sim.rewriteAnswers((answer) => {
    const records = (answer.body as Json)[list];
    if (answer.path !== path || !Array.isArray(records) || records.length < 2) return undefined;
    const [first, second, ...rest] = records as Json[];
    const { [id]: _, ...idless } = first!;
    return { json: { ...(answer.body as Json), [list]: [idless, { ...second, [field]: { odd: true } }, ...rest] } };
  });

describe('data coverage with records that cannot be read', () => {
  it('Falcon: names the host records set aside and the unreadable ones', async () => {
    spoil('/devices/entities/devices/v2', 'resources', 'device_id', 'hostname');
    const step = await coverage(
      {
        kind: 'crowdstrike-zta',
        id: 'z',
        name: 'Falcon',
        clientId: sim.credentials.falcon.clientId,
        customerId: sim.credentials.falcon.customerId,
        pollInterval: '1h',
        region: 'custom',
        baseUrl: sim.url,
      },
      sim.credentials.falcon.clientSecret,
    );
    expect(step?.status).not.toBe('fail');
    expect(step?.observed).toMatch(/; 1 record set aside, 1 unreadable record \(its device's checks are unknown\)\.$/);
  });

  it('SentinelOne: names the agents set aside and the unreadable ones', async () => {
    spoil('/agents', 'data', 'id', 'infected');
    const step = await coverage({ kind: 'sentinelone', id: 's', name: 'S1', apiUrl: sim.url, pollInterval: '1h' }, sim.credentials.sentinelOne.apiToken);
    expect(step?.status).toBe('pass');
    expect(step?.observed).toMatch(/; 1 record set aside, 1 unreadable record \(its device's checks are unknown\)\.$/);
  });
});
