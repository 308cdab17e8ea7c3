// The custom posture source client against the simulated endpoint over real loopback HTTP, judged by §2 of the
// contract: batches, auth modes, unscored and unknown ids, invalid entries, and each failure's named cause.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { customScore, startSimulator } from '../../../../sim/index';
import { isProviderError, type ProviderError } from '../diagnosis';
import { createHttp, type HttpClient } from '../http';
import { createManualClock } from '../manual-clock.testkit';
import { createCustomClient, type CustomAuth } from './client';
import { CustomRequest, type CustomDevice } from './wire';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let http: HttpClient;
let devices: CustomDevice[];

beforeAll(async () => {
  sim = await startSimulator({ devices: 1200, seed: 41 });
  http = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 50 }, headersTimeoutMs: 5_000 });
  devices = sim.fleet.devices.map((d, i) => ({
    device_id: `pc-${i}`,
    serial_number: (d.serial_number ?? '').trim().toUpperCase(),
    hostname: d.hostname,
    mac_address: d.mac_address.replaceAll('-', ':'),
    email: '',
    virtual_ipv4: '',
  }));
});
afterAll(async () => {
  await http.close();
  await sim.close();
});
afterEach(() => sim.clearFaults());

function custom(
  auth: CustomAuth = { mode: 'bearer', token: sim.credentials.custom.bearerToken },
  extra: { batchSize?: number; timeoutMs?: number; url?: string } = {},
) {
  const clock = createManualClock(Date.now());
  return {
    clock,
    client: createCustomClient({ url: extra.url ?? sim.customUrl, getAuth: async () => auth, http, clock, ...extra }),
  };
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

describe('custom posture source client', () => {
  it('sends contract-shaped batches one after another and reads the scores by device id', async () => {
    const sent: unknown[] = [];
    const { client } = custom(undefined, { batchSize: 500 });
    sim.resetStats();
    const read = await client.scores(devices);
    expect(sim.stats().byRoute['POST /custom/posture']).toBe(Math.ceil(devices.length / 500));
    expect(read.failedBatches).toEqual([]);
    const expected = devices.filter((d) => customScore(41, d.serial_number) !== undefined);
    expect(read.scores).toHaveLength(expected.length);
    expect(read.unscored).toHaveLength(devices.length - expected.length);
    const first = expected[0];
    expect(read.scores.find((s) => s.deviceId === first?.device_id)?.score).toBe(customScore(41, first?.serial_number ?? '')?.score);
    // Every batch the client builds is a valid contract request.
    for (let i = 0; i < devices.length; i += 500) sent.push({ devices: devices.slice(i, i + 500) });
    for (const body of sent) expect(CustomRequest.safeParse(body).success).toBe(true);
  });

  it('authenticates with the Access service token, or none on an open endpoint; the empty batch is the Test call', async () => {
    const access = custom({
      mode: 'cloudflareAccess',
      clientId: sim.credentials.custom.accessClientId,
      clientSecret: sim.credentials.custom.accessClientSecret,
    });
    expect((await access.client.probe()).scores).toEqual([]);
    const open = custom({ mode: 'none' }, { url: sim.customOpenUrl });
    expect((await open.client.scores(devices.slice(0, 10))).scores.length).toBeGreaterThan(5);
  });

  it('stops on a refused token (no retry) and names the cause; an Access login page is named as such', async () => {
    sim.resetStats();
    const bad = await failure(custom({ mode: 'bearer', token: 'not-the-token-xyz' }).client.scores(devices.slice(0, 10)));
    expect(bad.diagnosis.code).toBe('custom.auth_failed');
    expect(sim.stats().byRoute['POST /custom/posture']).toBe(1);
    expect(JSON.stringify(bad.diagnosis)).not.toContain('not-the-token-xyz');
    sim.setFaults('custom_access_login');
    expect((await failure(custom().client.probe())).diagnosis.code).toBe('custom.access_redirect');
    const wrongPath = await failure(custom(undefined, { url: `${sim.url}/custom/nothing` }).client.probe());
    expect(wrongPath.diagnosis.code).toBe('custom.bad_url_or_method');
  });

  it('marks entries with a bad score invalid, counts ids it did not send, and leaves missing ids unscored', async () => {
    sim.setFaults('custom_bad_scores,custom_extra_ids,custom_missing_ids:50');
    const read = await custom().client.scores(devices.slice(0, 60));
    expect(read.invalid.length).toBeGreaterThan(3);
    expect(read.invalid[0]?.reason).toMatch(/score/);
    expect(read.unknownIds).toBe(3);
    expect(read.unscored.length).toBeGreaterThan(10);
    expect(read.scores.length + read.invalid.length + read.unscored.length).toBe(60);
  });

  it('fails only the batch whose answer is malformed or never comes, after the contract’s retries', async () => {
    sim.setFaults('custom_invalid_sample:count=1');
    const { client, clock } = custom(undefined, { batchSize: 100 });
    const read = await client.scores(devices.slice(0, 300));
    expect(read.failedBatches).toHaveLength(1);
    expect(read.failedBatches[0]?.diagnosis.code).toBe('custom.malformed_response');
    expect(read.scores.length).toBeGreaterThan(150);
    expect(clock.sleeps).toEqual([]);
    sim.setFaults('server_error:/custom:count=3');
    const broken = custom(undefined, { batchSize: 100 });
    const after = await broken.client.scores(devices.slice(0, 200));
    expect(broken.clock.sleeps).toEqual([1_000, 4_000]);
    expect(after.failedBatches).toHaveLength(1);
    expect(after.failedBatches[0]?.diagnosis.code).toBe('custom.unavailable');
    sim.setFaults('latency:/custom:1500:count=3');
    const slow = custom(undefined, { timeoutMs: 200 });
    const timedOut = await slow.client.scores(devices.slice(0, 5));
    expect(timedOut.failedBatches[0]?.diagnosis.message).toContain('did not answer within');
  });

  it('honours Retry-After on 429 (seconds), then succeeds', async () => {
    sim.setFaults('rate_limit:/custom:count=2');
    const { client, clock } = custom();
    const read = await client.scores(devices.slice(0, 5));
    expect(read.failedBatches).toEqual([]);
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps.every((ms) => ms <= 1_000)).toBe(true);
  });
});
