// One record never fails a poll: records served by the simulator over loopback with fields missing, null or odd.
// An unreadable record makes its device's checks unknown with the reason, one without an id is set aside and
// counted, and only an answer that is not the API's at all fails the poll.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type AnswerRewrite, type FalconDevice } from '../../../sim/index';
import { PollProgress, PollSummary, PostureRule, type PostureCheck } from '../../../src-shared/schemas/posture';
import type { PostureEvaluation } from '../../../src-shared/schemas/posture-log';
import { createFalconClient } from '../providers/crowdstrike/client';
import { isProviderError } from '../providers/diagnosis';
import { createHttp, type HttpClient } from '../providers/http';
import { createSentinelOneClient } from '../providers/sentinelone/client';
import { createInventory } from './current-inventory';
import { pollPosture, type PostureSource } from './poll';
import { normalizeSerial } from './match-keys';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type Json = Record<string, unknown>;

const DEVICES = 300;
let sim: Sim;
let http: HttpClient;
let falcon: () => PostureSource;
let sentinelOne: () => PostureSource;

beforeAll(async () => {
  sim = await startSimulator({ devices: DEVICES, seed: 23 });
  http = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 2 }, headersTimeoutMs: 2_000, bodyTimeoutMs: 2_000 });
  // A fresh client per poll: the combined-endpoint route is remembered per client.
  falcon = () => ({
    kind: 'crowdstrike-zta',
    client: createFalconClient({
      baseUrl: sim.url,
      clientId: sim.credentials.falcon.clientId,
      getSecret: async () => sim.credentials.falcon.clientSecret,
      http,
    }),
  });
  sentinelOne = () => ({
    kind: 'sentinelone',
    client: createSentinelOneClient({ apiUrl: sim.url, getToken: async () => sim.credentials.sentinelOne.apiToken, http }),
  });
});
afterAll(async () => {
  await http.close();
  await sim.close();
});
afterEach(() => {
  sim.rewriteAnswers(null);
  sim.clearFaults();
});

const check = (id: string, providerId: string, rule: unknown): PostureCheck => ({ id, name: id, providerId, enabled: true, rule: PostureRule.parse(rule) });
const checks = [
  check('zta-70', 'cs', { attribute: 'overall', operator: '>=', value: 70 }),
  check('online', 'cs', { attribute: 'state', accepted: ['online'] }),
  check('seen-30d', 'cs', { attribute: 'last_seen', within: '30d' }),
  check('clean', 's1', { attribute: 'infected', expected: false }),
  check('connected', 's1', { attribute: 'network_status', accepted: ['connected'] }),
];

/** Polls as the app does: every progress report is checked against the contract, as the event emitter does. */
const poll = (providerId: 'cs' | 's1', inventory = createInventory()) =>
  pollPosture({
    providerId,
    pollIntervalMs: 3_600_000,
    source: providerId === 'cs' ? falcon() : sentinelOne(),
    checks,
    inventory,
    now: Date.now,
    onProgress: (p) => PollProgress.parse(p),
  });

/** Rewrites the records of one endpoint's answers, record by record (return undefined to leave one out). */
function rewriteRecords(path: string, list: 'resources' | 'data', each: (record: Json) => Json | undefined): AnswerRewrite {
  return (answer) => {
    if (answer.path !== path || answer.status >= 300) return undefined;
    const body = answer.body as Json;
    const records = body[list];
    if (!Array.isArray(records)) return undefined;
    return { json: { ...body, [list]: records.flatMap((r: Json) => each({ ...r }) ?? []) } };
  };
}

const COMBINED = '/devices/combined/devices/v1';
const without = (record: Json, field: string): Json => {
  const copy = { ...record };
  delete copy[field];
  return copy;
};

/** Hosts whose serial identifies them alone, so their rows are keyed by serial and nothing else makes them unknown. */
function uniqueHosts(): FalconDevice[] {
  const count = new Map<string, number>();
  for (const d of sim.fleet.devices) if (d.serial_number) count.set(d.serial_number, (count.get(d.serial_number) ?? 0) + 1);
  return sim.fleet.devices.filter((d) => d.serial_number && count.get(d.serial_number) === 1 && normalizeSerial(d.serial_number).status === 'valid');
}
const keyOf = (serial: string) => {
  const verdict = normalizeSerial(serial);
  if (verdict.status !== 'valid') throw new Error(`not a valid serial: ${serial}`);
  return `sn:${verdict.key}`;
};
const rowsOf = (rows: PostureEvaluation[], deviceKey: string) => new Map(rows.filter((r) => r.deviceKey === deviceKey).map((r) => [r.checkId, r]));

describe('Falcon: one record never fails a poll', () => {
  it('makes the checks of a device with an unreadable record unknown, with the reason, and sets aside a record without a device id', async () => {
    const [badHost, noId, badZta, badState, nulls] = uniqueHosts().filter((d) => typeof sim.fleet.zta(d.device_id)?.assessment?.overall === 'number');
    if (!badHost || !noId || !badZta || !badState || !nulls) throw new Error('the fleet has too few scored hosts with unique serials');
    sim.rewriteAnswers((answer) => {
      const records = (answer.body as Json).resources;
      if (!Array.isArray(records) || answer.status >= 300) return undefined;
      const rewritten = (records as Json[]).map((r): Json => {
        if (answer.path === COMBINED) {
          if (r.device_id === badHost.device_id) return { ...r, serial_number: 12345 };
          if (r.device_id === noId.device_id) return without(r, 'device_id');
          // Every field the spec does not require may be null; unknown fields are ignored.
          if (r.device_id === nulls.device_id)
            return {
              device_id: r.device_id,
              hostname: null,
              serial_number: r.serial_number,
              mac_address: null,
              platform_name: null,
              last_seen: r.last_seen,
              last_login_user: null,
              brand_new_field: { nested: [1, 2] },
            };
        }
        if (answer.path === '/zero-trust-assessment/entities/assessments/v1' && r.aid === badZta.device_id) return { ...r, modified_time: 17 };
        if (answer.path === '/devices/entities/online-state/v1' && r.id === badState.device_id) return { ...r, last_seen: false };
        return r;
      });
      return { json: { ...(answer.body as Json), resources: rewritten } };
    });

    sim.resetStats();
    const { summary, evaluations } = await poll('cs');

    // The record set aside counts as delivered: no second pass over the list for it.
    expect(sim.stats().byRoute[`GET ${COMBINED}`]).toBe(1);
    expect(PollSummary.parse(summary)).toEqual(summary);
    expect(summary).toMatchObject({ devices: DEVICES - 1, setAside: 1, unreadable: 3 });
    expect(evaluations.rows.some((r) => r.deviceName === noId.hostname || r.serial === noId.serial_number)).toBe(false);

    const host = rowsOf(evaluations.rows, keyOf(badHost.serial_number as string));
    expect([...host.values()]).toHaveLength(3);
    for (const row of host.values())
      expect(row).toMatchObject({ result: 'unknown', reason: 'Falcon sent an unreadable host record: field serial_number: expected string, received number' });

    const zta = rowsOf(evaluations.rows, keyOf(badZta.serial_number as string));
    expect(zta.get('zta-70')).toMatchObject({
      result: 'unknown',
      reason: 'Falcon sent an unreadable Zero Trust Assessment: field modified_time: expected string, received number',
    });
    expect(zta.get('online')?.result).not.toBe('unknown');

    const state = rowsOf(evaluations.rows, keyOf(badState.serial_number as string));
    expect(state.get('online')).toMatchObject({
      result: 'unknown',
      reason: expect.stringMatching(/^Falcon sent an unreadable online-state record: field last_seen/),
    });
    expect(state.get('zta-70')?.result).not.toBe('unknown');
    // The host record's own last-seen time still answers the last-seen check.
    expect(state.get('seen-30d')?.result).not.toBe('unknown');

    const overall = sim.fleet.zta(nulls.device_id)?.assessment?.overall as number;
    expect(rowsOf(evaluations.rows, keyOf(nulls.serial_number as string)).get('zta-70')).toMatchObject({
      result: overall >= 70 ? 'pass' : 'fail',
      deviceName: nulls.device_id,
    });

    expect(summary.unknownBy.unreadable_record).toBe(3 + 1 + 1);
    expect(summary.warnings).toEqual([
      expect.stringMatching(
        /^Falcon sent 1 record that could not be read and named no device; it was set aside \(Falcon sent an unreadable host record: field device_id/,
      ),
      expect.stringMatching(/^Falcon sent 3 records that could not be read; the checks of those devices are unknown/),
    ]);
  });

  it('sets aside an unreadable host on the older scroll + details route too', async () => {
    sim.setFaults('route_missing:/devices/combined');
    const [badHost] = uniqueHosts();
    const target = sim.fleet.deviceIds[7];
    sim.rewriteAnswers(
      rewriteRecords('/devices/entities/devices/v2', 'resources', (r) =>
        r.device_id === badHost?.device_id ? { ...r, hostname: ['not', 'a', 'name'] } : r.device_id === target ? without(r, 'device_id') : r,
      ),
    );

    const { summary, evaluations } = await poll('cs');

    expect(summary).toMatchObject({ devices: DEVICES - 1, setAside: 1, unreadable: 1 });
    for (const row of rowsOf(evaluations.rows, keyOf(badHost?.serial_number as string)).values())
      expect(row).toMatchObject({ result: 'unknown', reason: expect.stringMatching(/^Falcon sent an unreadable host record: field hostname/) });
  });

  it('reads a null or empty resources as an empty page', async () => {
    sim.rewriteAnswers((answer) => {
      if (answer.path === '/devices/entities/online-state/v1') return { json: { ...(answer.body as Json), resources: null } };
      if (answer.path === '/zero-trust-assessment/entities/assessments/v1') return { json: { meta: (answer.body as Json).meta, resources: [], errors: null } };
      return undefined;
    });

    const { summary, evaluations } = await poll('cs');

    expect(summary).toMatchObject({ devices: DEVICES, setAside: 0, unreadable: 0 });
    const online = evaluations.rows.filter((r) => r.checkId === 'online');
    expect(online.every((r) => r.result === 'unknown')).toBe(true);
    expect(online.some((r) => r.reason === 'Falcon returned no online state for this host.')).toBe(true);
    expect(evaluations.rows.filter((r) => r.checkId === 'seen-30d').some((r) => r.result === 'pass')).toBe(true);
  });

  it.each([
    [
      'an HTML page',
      { text: '<!doctype html><html><body>Sign in to continue</body></html>' },
      /Falcon did not answer \/devices\/combined\/devices\/v1: an HTML page came back \(HTTP 200, text\/html\)/,
    ],
    ['a JSON array', { json: [] }, /Falcon answered \/devices\/combined\/devices\/v1 with a JSON array, not its \{meta, resources, errors\} envelope/],
    ['JSON that is not the envelope', { json: { status: 'ok' } }, /with a JSON object without meta, resources, errors/],
  ])('fails the poll with a diagnosis when the answer is not Falcon’s at all: %s', async (_name, change, message) => {
    sim.rewriteAnswers((answer) => (answer.path === COMBINED ? change : undefined));
    const error = await poll('cs').then(
      () => null,
      (e: unknown) => e,
    );
    expect(isProviderError(error)).toBe(true);
    if (!isProviderError(error)) return;
    expect(error.diagnosis).toMatchObject({
      code: 'http.not_api',
      message: expect.stringMatching(message),
      fix: expect.stringMatching(/base URL is the API host/),
    });
  });
});

describe('SentinelOne: one record never fails a poll', () => {
  it('evaluates agents without optional fields, keeps unknown enum values as reported, and sets aside an agent without an id', async () => {
    const agents = sim.fleet.agents.filter(
      (a) => !a.isDecommissioned && !a.isUninstalled && a.serialNumber && normalizeSerial(a.serialNumber).status === 'valid',
    );
    const serialCount = Map.groupBy(sim.fleet.agents, (a) => a.serialNumber);
    const single = agents.filter((a) => serialCount.get(a.serialNumber)?.length === 1);
    const [bare, odd, unreadable, noId] = single;
    if (!bare || !odd || !unreadable || !noId) throw new Error('the fleet has too few agents with unique serials');
    sim.rewriteAnswers(
      rewriteRecords('/agents', 'data', (a) => {
        if (a.id === bare.id) return { id: a.id, serialNumber: a.serialNumber };
        if (a.id === odd.id) return { ...a, networkStatus: 'quarantined', somethingNew: { deep: true }, computerName: null, networkInterfaces: null };
        if (a.id === unreadable.id) return { ...a, infected: { yes: 1 } };
        if (a.id === noId.id) return without(a, 'id');
        return a;
      }),
    );
    const inventory = createInventory();
    sim.resetStats();

    const { summary, evaluations } = await poll('s1', inventory);

    expect(sim.stats().byRoute['GET /web/api/v2.1/agents']).toBe(1);
    expect(summary).toMatchObject({ setAside: 1, unreadable: 1 });
    expect(summary.records).toBe(sim.fleet.agents.length - 1);
    expect(evaluations.rows.some((r) => r.deviceKey === keyOf(noId.serialNumber))).toBe(false);
    expect(rowsOf(evaluations.rows, keyOf(bare.serialNumber)).get('clean')).toMatchObject({
      result: 'unknown',
      reason: 'SentinelOne did not report infected for this agent.',
    });
    expect(rowsOf(evaluations.rows, keyOf(odd.serialNumber)).get('connected')).toMatchObject({ result: 'fail', received: 'network_status = quarantined' });
    for (const row of rowsOf(evaluations.rows, keyOf(unreadable.serialNumber)).values())
      expect(row).toMatchObject({ result: 'unknown', reason: expect.stringMatching(/^SentinelOne sent an unreadable agent record: field infected/) });
    expect(summary.warnings.join(' ')).toMatch(/SentinelOne sent 1 record that could not be read and named no device; it was set aside/);
  });

  it('reads data: null as an empty page and ignores a negative totalItems', async () => {
    sim.rewriteAnswers((answer) => (answer.path === '/agents' ? { json: { data: null, pagination: { totalItems: -1, nextCursor: null } } } : undefined));
    const { summary } = await poll('s1');
    expect(summary).toMatchObject({ records: 0, devices: 0, setAside: 0 });
  });

  it('fails the poll with a diagnosis when an HTML page answers instead of the console', async () => {
    sim.rewriteAnswers((answer) => (answer.path === '/agents' ? { text: '<html><head><title>Proxy</title></head></html>' } : undefined));
    const error = await poll('s1').then(
      () => null,
      (e: unknown) => e,
    );
    expect(isProviderError(error) && error.diagnosis).toMatchObject({
      code: 'http.not_api',
      message: expect.stringMatching(/^SentinelOne did not answer \/web\/api\/v2.1\/agents: an HTML page came back/),
    });
  });
});
