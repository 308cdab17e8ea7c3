// Regression tests for defects found on real tenants' answers (issue "Real tenants, not our simulator"), served by
// the simulator over loopback with the simulator's answer rewrite.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../sim/index';
import { PollProgress, PostureRule, type PostureCheck } from '../../../src-shared/schemas/posture';
import { createFalconClient } from '../providers/crowdstrike/client';
import { createHttp, type HttpClient } from '../providers/http';
import { createInventory } from './current-inventory';
import { pollPosture } from './poll';

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type Json = Record<string, unknown>;

const DEVICES = 300;
const COMBINED = '/devices/combined/devices/v1';
let sim: Sim;
let http: HttpClient;

beforeAll(async () => {
  sim = await startSimulator({ devices: DEVICES, seed: 29 });
  http = createHttp({ retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 2 } });
});
afterAll(async () => {
  await http.close();
  await sim.close();
});
afterEach(() => sim.rewriteAnswers(null));

const checks: PostureCheck[] = [
  { id: 'zta-70', name: 'zta-70', providerId: 'cs', enabled: true, rule: PostureRule.parse({ attribute: 'overall', operator: '>=', value: 70 }) },
  { id: 'online', name: 'online', providerId: 'cs', enabled: true, rule: PostureRule.parse({ attribute: 'state', accepted: ['online'] }) },
];

/** A ZTA poll as the app runs it: every progress report is parsed by its contract schema, as the event emitter does. */
const poll = (inventory = createInventory()) =>
  pollPosture({
    providerId: 'cs',
    pollIntervalMs: 3_600_000,
    source: {
      kind: 'crowdstrike-zta',
      client: createFalconClient({
        baseUrl: sim.url,
        clientId: sim.credentials.falcon.clientId,
        getSecret: async () => sim.credentials.falcon.clientSecret,
        http,
      }),
    },
    checks,
    inventory,
    now: Date.now,
    onProgress: (p) => PollProgress.parse(p),
  });

describe('defects found on real tenants', () => {
  it('defect 1: a host record without last_login_user (nobody has logged in) is read; the ZTA poll succeeds', async () => {
    const loginless = new Set(sim.fleet.deviceIds.slice(0, 40));
    sim.rewriteAnswers((answer) => {
      if (answer.path !== COMBINED) return undefined;
      const body = answer.body as { resources: Json[] };
      const resources = body.resources.map((r) => {
        if (!loginless.has(r.device_id as string)) return r;
        const { last_login_user: _, ...rest } = r;
        return rest;
      });
      return { json: { ...body, resources } };
    });
    const inventory = createInventory();

    const { summary, evaluations } = await poll(inventory);

    expect(summary.devices).toBe(DEVICES);
    expect(evaluations.rows).toHaveLength(2 * DEVICES);
    const observations = inventory.snapshot('cs')?.observations ?? [];
    for (const o of observations) if (loginless.has(o.recordId)) expect(o.user).toBeNull();
    expect(observations.some((o) => !loginless.has(o.recordId) && o.user)).toBe(true);
  });

  it('defect 2: a negative meta.pagination.total is judged, not trusted; progress stays valid and every host is read', async () => {
    sim.rewriteAnswers((answer) => {
      if (answer.path !== COMBINED) return undefined;
      const body = answer.body as { meta: { pagination: Json } };
      return { json: { ...body, meta: { ...body.meta, pagination: { ...body.meta.pagination, total: -9_007_199_254_740_991 } } } };
    });

    const { summary } = await poll();

    expect(summary.devices).toBe(DEVICES);
    expect(summary.warnings).toEqual([]);
  });

  it('defect 2: a total beyond any fleet is ignored too, rather than failing the poll as cut short', async () => {
    sim.rewriteAnswers((answer) => {
      if (answer.path !== COMBINED) return undefined;
      const body = answer.body as { meta: { pagination: Json } };
      return { json: { ...body, meta: { ...body.meta, pagination: { ...body.meta.pagination, total: 2 ** 53 - 1 } } } };
    });
    const { summary } = await poll();
    expect(summary.devices).toBe(DEVICES);
  });
});
