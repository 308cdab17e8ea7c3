// The posture poll end to end: real clients against the simulator over loopback HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type FalconDevice, type S1Agent } from '../../../sim/index';
import {
  DeviceExplanation,
  PollSummary,
  PostureDevice,
  PostureRule,
  type PollProgress,
  type PollStatus,
  type PostureCheck,
} from '../../../src-shared/schemas/posture';
import { PollEvaluations, type PostureEvaluation } from '../../../src-shared/schemas/posture-log';
import { createFalconClient } from '../providers/crowdstrike/client';
import { isProviderError } from '../providers/diagnosis';
import { createHttp, type HttpClient } from '../providers/http';
import { createSentinelOneClient } from '../providers/sentinelone/client';
import { createInventory, type Inventory } from './current-inventory';
import { explainDevice } from './match';
import { pollPosture, type PostureSource } from './poll';
import { createPollScheduler } from './scheduler';
import { normalizeSerial } from './match-keys';

type Sim = Awaited<ReturnType<typeof startSimulator>>;

const HOUR = 3_600_000;
let sim: Sim;
let http: HttpClient;
let falcon: PostureSource;
let sentinelOne: PostureSource;

beforeAll(async () => {
  sim = await startSimulator({ devices: 1500, seed: 11 });
  http = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 20 }, headersTimeoutMs: 2_000, bodyTimeoutMs: 2_000 });
  falcon = {
    kind: 'crowdstrike-zta',
    client: createFalconClient({
      baseUrl: sim.url,
      clientId: sim.credentials.falcon.clientId,
      getSecret: async () => sim.credentials.falcon.clientSecret,
      http,
    }),
  };
  sentinelOne = {
    kind: 'sentinelone',
    client: createSentinelOneClient({ apiUrl: sim.url, getToken: async () => sim.credentials.sentinelOne.apiToken, http }),
  };
});
afterAll(async () => {
  await http.close();
  await sim.close();
});
afterEach(() => sim.clearFaults());

const check = (id: string, providerId: string, rule: unknown, enabled = true): PostureCheck => ({
  id,
  name: id,
  providerId,
  enabled,
  rule: PostureRule.parse(rule),
});
const checks = [
  check('zta-70', 'cs', { attribute: 'overall', operator: '>=', value: 70 }),
  check('online', 'cs', { attribute: 'state', accepted: ['online'] }),
  check('off', 'cs', { attribute: 'os', operator: '>=', value: 1 }, false),
  check('clean', 's1', { attribute: 'infected', expected: false }),
];

const poll = (inventory: Inventory, providerId: 'cs' | 's1', extra: { signal?: AbortSignal; onProgress?: (p: PollProgress) => void } = {}) =>
  pollPosture({
    providerId,
    pollIntervalMs: HOUR,
    source: providerId === 'cs' ? falcon : sentinelOne,
    checks,
    inventory,
    now: Date.now,
    ...extra,
  });

const JUNK = new Set(['To Be Filled By O.E.M.', 'System Serial Number', '0', 'Default string']);

/** Falcon hosts of the fleet by what their serial is, read from the simulator's own records. */
function hostsBySerial(devices: readonly FalconDevice[]) {
  const count = new Map<string, number>();
  for (const d of devices) if (d.serial_number) count.set(d.serial_number, (count.get(d.serial_number) ?? 0) + 1);
  const kind = (d: FalconDevice) =>
    !d.serial_number ? 'missing' : JUNK.has(d.serial_number) ? 'junk' : (count.get(d.serial_number) ?? 0) > 1 ? 'duplicate' : 'unique';
  return {
    of: (k: ReturnType<typeof kind>) => devices.filter((d) => kind(d) === k),
  };
}

const keyOf = (serial: string) => {
  const verdict = normalizeSerial(serial);
  if (verdict.status !== 'valid') throw new Error(`not a valid serial: ${serial}`);
  return `sn:${verdict.key}`;
};
const rowsOf = (rows: PostureEvaluation[], deviceKey: string) => new Map(rows.filter((r) => r.deviceKey === deviceKey).map((r) => [r.checkId, r]));

describe('Falcon ZTA poll', () => {
  it('evaluates every enabled check on every host, in the shape the posture log ingests', async () => {
    const inventory = createInventory();
    const phases: PollProgress[] = [];
    const { evaluations, summary } = await poll(inventory, 'cs', { onProgress: (p) => phases.push(p) });

    expect(() => PollEvaluations.parse(evaluations)).not.toThrow();
    expect(PollSummary.parse(summary)).toEqual(summary);
    expect(summary).toMatchObject({ providerId: 'cs', records: 1500, devices: 1500, checks: 2, warnings: [] });
    expect(evaluations.rows).toHaveLength(3000);
    expect(summary.counts.pass + summary.counts.fail + summary.counts.unknown).toBe(3000);
    expect(new Set(evaluations.rows.map((r) => `${r.checkId}\u0000${r.deviceKey}`)).size).toBe(3000);
    expect(evaluations.rows.some((r) => r.checkId === 'off')).toBe(false);

    expect(phases.filter((p) => p.phase === 'hosts').at(-1)).toEqual({ phase: 'hosts', done: 1500, total: 1500 });
    expect(phases.slice(-2)).toEqual([
      { phase: 'evaluating', done: 0, total: 1500 },
      { phase: 'evaluating', done: 1500, total: 1500 },
    ]);
    expect(inventory.snapshot('cs')?.observations).toHaveLength(1500);
  });

  it('passes or fails a host with a unique serial on its real ZTA score and online state', async () => {
    const inventory = createInventory();
    const { evaluations } = await poll(inventory, 'cs');
    const scored = hostsBySerial(sim.fleet.devices)
      .of('unique')
      .filter((d) => typeof sim.fleet.zta(d.device_id)?.assessment?.overall === 'number')
      .slice(0, 50);
    expect(scored.length).toBe(50);
    for (const host of scored) {
      const overall = sim.fleet.zta(host.device_id)?.assessment?.overall as number;
      const state = sim.fleet.onlineState(host.device_id)?.state;
      const rows = rowsOf(evaluations.rows, keyOf(host.serial_number as string));
      expect(rows.get('zta-70')).toMatchObject({
        result: overall >= 70 ? 'pass' : 'fail',
        received: `overall = ${overall}`,
        expected: 'overall >= 70',
        deviceName: host.hostname,
      });
      expect(rows.get('online')).toMatchObject({ result: state === 'online' ? 'pass' : 'fail', received: `state = ${state}` });
    }
  });

  it('reports unknown, with the reason, for missing, junk and duplicated serials and for unscored hosts', async () => {
    const inventory = createInventory();
    const { evaluations, summary } = await poll(inventory, 'cs');
    const fleet = hostsBySerial(sim.fleet.devices);
    const byKind = { missing: fleet.of('missing'), junk: fleet.of('junk'), duplicate: fleet.of('duplicate') };
    expect(byKind.missing.length).toBeGreaterThan(0);
    expect(byKind.junk.length).toBeGreaterThan(0);
    expect(byKind.duplicate.length).toBeGreaterThan(1);

    for (const host of byKind.missing)
      for (const row of rowsOf(evaluations.rows, `rec:cs:${host.device_id}`).values())
        expect(row).toMatchObject({
          result: 'unknown',
          serial: null,
          reason: 'The device reports no serial number, so it cannot be matched to a user device.',
        });
    for (const host of byKind.junk)
      for (const row of rowsOf(evaluations.rows, `rec:cs:${host.device_id}`).values())
        expect(row).toMatchObject({ result: 'unknown', serial: host.serial_number, reason: expect.stringMatching(/not a real serial number/) });
    for (const host of byKind.duplicate)
      for (const row of rowsOf(evaluations.rows, `rec:cs:${host.device_id}`).values())
        expect(row.reason).toMatch(/^Serial \S+ is shared by 2 CrowdStrike hosts/);

    const unscored = fleet.of('unique').filter((d) => typeof sim.fleet.zta(d.device_id)?.assessment?.overall !== 'number');
    expect(unscored.length).toBeGreaterThan(0);
    for (const host of unscored) {
      const rows = rowsOf(evaluations.rows, keyOf(host.serial_number as string));
      expect(rows.get('zta-70')).toMatchObject({ result: 'unknown', reason: 'CrowdStrike has no Zero Trust Assessment for this host yet.' });
      expect(rows.get('online')?.result).not.toBe('unknown');
    }

    expect(summary.unknownBy).toEqual({
      missing_serial: 2 * byKind.missing.length,
      junk_serial: 2 * byKind.junk.length,
      duplicate_serial: 2 * byKind.duplicate.length,
      no_assessment: unscored.length,
    });
  });
});

describe('SentinelOne poll after a Falcon poll', () => {
  it('joins agents to Falcon hosts by serial and keeps one agent of a reinstall', async () => {
    const inventory = createInventory();
    const cs = await poll(inventory, 'cs');
    const phases: PollProgress[] = [];
    const s1 = await poll(inventory, 's1', { onProgress: (p) => phases.push(p) });

    expect(s1.summary.records).toBe(sim.fleet.agents.length);
    expect(phases.filter((p) => p.phase === 'agents').at(-1)).toEqual({ phase: 'agents', done: sim.fleet.agents.length, total: sim.fleet.agents.length });

    // A Falcon host with a unique serial and exactly one agent: same device key in both providers' rows.
    const unique = hostsBySerial(sim.fleet.devices).of('unique');
    const agentsBySerial = Map.groupBy(sim.fleet.agents, (a: S1Agent) => a.serialNumber);
    const single = unique.filter((d) => agentsBySerial.get(d.serial_number as string)?.length === 1).slice(0, 30);
    expect(single.length).toBe(30);
    for (const host of single) {
      const key = keyOf(host.serial_number as string);
      const agent = agentsBySerial.get(host.serial_number as string)?.[0] as S1Agent;
      expect(cs.evaluations.rows.some((r) => r.deviceKey === key)).toBe(true);
      expect(rowsOf(s1.evaluations.rows, key).get('clean')).toMatchObject({
        result: agent.infected ? 'fail' : 'pass',
        received: `infected = ${agent.infected}`,
      });
    }

    // Reinstalls: several agents on one machine; the live, most recently active one is evaluated, the rest explained.
    const reinstalled = unique.filter((d) => (agentsBySerial.get(d.serial_number as string)?.length ?? 0) > 1);
    expect(reinstalled.length).toBeGreaterThan(0);
    for (const host of reinstalled) {
      const key = keyOf(host.serial_number as string);
      const agents = agentsBySerial.get(host.serial_number as string) as S1Agent[];
      const live = (a: S1Agent) => !a.isDecommissioned && !a.isUninstalled;
      const kept = [...agents].sort((a, b) => Number(live(b)) - Number(live(a)) || Date.parse(b.lastActiveDate) - Date.parse(a.lastActiveDate))[0];
      expect(s1.evaluations.rows.filter((r) => r.deviceKey === key)).toHaveLength(1);
      const device = inventory.match().byKey.get(key);
      const s1Records = device?.records.filter((r) => r.observation.providerId === 's1') ?? [];
      expect(s1Records.find((r) => r.role === 'used')?.observation.recordId).toBe(kept?.id);
      expect(s1Records.filter((r) => r.role === 'superseded')).toHaveLength(agents.length - 1);
    }

    // What the Devices view receives crosses the contract: it must satisfy its schemas.
    const match = inventory.match();
    for (const device of match.devices.slice(0, 200)) {
      expect(PostureDevice.parse(device)).toEqual(device);
      expect(() => DeviceExplanation.parse(explainDevice(device, match))).not.toThrow();
    }
  });
});

describe('failures and cancellation change nothing', () => {
  it('a failing poll rejects with the diagnosis and keeps the previous snapshot', async () => {
    const inventory = createInventory();
    await poll(inventory, 'cs');
    const before = inventory.snapshot('cs');
    sim.setFaults('server_error:/devices');
    const error = await poll(inventory, 'cs').catch((e: unknown) => e);
    expect(isProviderError(error)).toBe(true);
    expect(inventory.snapshot('cs')).toBe(before);
  });

  it('an aborted poll rejects and leaves the inventory as it was', async () => {
    const inventory = createInventory();
    const controller = new AbortController();
    const outcome = poll(inventory, 'cs', { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(outcome).rejects.toThrow();
    expect(inventory.snapshot('cs')).toBeUndefined();
  });
});

describe('wired to the scheduler', () => {
  it('a poll-now runs the pipeline, reports its phases as status, and records the success', async () => {
    const inventory = createInventory();
    const statuses: PollStatus[] = [];
    const ingested: PollEvaluations[] = [];
    const scheduler = createPollScheduler({
      poll: async (providerId, signal, onProgress) => {
        const outcome = await poll(inventory, providerId as 'cs' | 's1', { signal, onProgress });
        ingested.push(outcome.evaluations);
      },
      onStatus: (s) => statuses.push(s),
    });
    // Last success just now, so the only poll is the one asked for.
    scheduler.setProviders([{ id: 's1', intervalMs: HOUR, lastSuccessAt: Date.now() }]);
    await expect(scheduler.pollNow('s1')).resolves.toEqual({ outcome: 'succeeded' });
    await scheduler.stop();

    expect(ingested.map((e) => e.providerId)).toEqual(['s1']);
    expect(new Set(statuses.flatMap((s) => (s.progress ? [s.progress.phase] : [])))).toEqual(new Set(['agents', 'matching', 'evaluating']));
    expect(statuses.at(-1)).toMatchObject({ providerId: 's1', state: 'idle', failures: 0, lastError: null });
  });
});
