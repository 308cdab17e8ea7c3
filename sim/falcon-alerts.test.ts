import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalTime } from './time';
import { startSimulator, type FalconAlert, type Simulator } from './index';
import { bearer, call, falconToken, type FalconBody } from './wire-client.testkit';

const byCreated = (a: FalconAlert, b: FalconAlert) => {
  const x = canonicalTime(a.created_timestamp) ?? '';
  const y = canonicalTime(b.created_timestamp) ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
};

describe('Falcon Alerts API', () => {
  let sim: Simulator;
  let token: string;
  let clock = Date.parse('2026-11-25T12:00:00Z');
  const query = (params: Record<string, string>) =>
    call<FalconBody<string>>(`${sim.url}/alerts/queries/alerts/v2?${new URLSearchParams(params)}`, { headers: bearer(token) });
  const entities = (ids: string[]) =>
    call<FalconBody<FalconAlert>>(`${sim.url}/alerts/entities/alerts/v2`, { headers: bearer(token), json: { composite_ids: ids } });

  beforeAll(async () => {
    sim = await startSimulator({ devices: 800, seed: 21, now: () => clock });
    token = await falconToken(sim.url, sim.credentials.falcon);
  });
  afterAll(() => sim.close());

  it('queries composite ids with an FQL filter and ascending sort', async () => {
    const res = await query({ filter: "product:'epp'+severity:>=60", sort: 'created_timestamp|asc', limit: '10000' });
    expect(res.status).toBe(200);
    const want = sim.fleet.alerts
      .filter((a) => a.severity >= 60)
      .sort(byCreated)
      .map((a) => a.composite_id);
    expect(res.json.resources).toEqual(want);
    expect(res.json.meta.pagination).toEqual({ offset: 0, limit: 10000, total: want.length });
  });

  it('compares created_timestamp at nanosecond precision for > and >=', async () => {
    clock += 60_000;
    const [first, second] = [
      ...sim.addAlerts(1, { createdAt: '2026-11-25T12:01:00.000000100Z' }),
      ...sim.addAlerts(1, { createdAt: '2026-11-25T12:01:00.000000200Z' }),
    ];
    const after = await query({ filter: "created_timestamp:>'2026-11-25T12:01:00.000000100Z'" });
    expect(after.json.resources).toEqual([second?.composite_id]);
    const from = await query({ filter: "created_timestamp:>='2026-11-25T12:01:00.0000001Z'", sort: 'created_timestamp|asc' });
    expect(from.json.resources).toEqual([first?.composite_id, second?.composite_id]);
  });

  it('returns full EPP records for composite ids and leaves out unknown ones', async () => {
    const ids = sim.fleet.alerts.slice(0, 3).map((a) => a.composite_id);
    const res = await entities([...ids, 'cid:ind:nope:1-2-3']);
    expect(res.json.resources?.map((a) => a.composite_id)).toEqual(ids);
    const alert = res.json.resources?.[0];
    expect(alert).toMatchObject({
      product: 'epp',
      cid: sim.fleet.cid,
      severity_name: expect.stringMatching(/^(Informational|Low|Medium|High|Critical)$/),
      tactic_id: expect.stringMatching(/^C?STA?\d{4}$|^TA\d{4}$/),
      device: { device_id: alert?.agent_id, hostname: sim.fleet.device(alert?.agent_id ?? '')?.hostname },
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      falcon_host_link: expect.stringMatching(/^https:\/\/falcon\.crowdstrike\.com\/activity-v2\/detections\//),
    });
    expect((await entities(Array.from({ length: 1001 }, () => 'x'))).status).toBe(400);
  });

  it('delivers alerts that arrive later to a poller using a created_timestamp cursor', async () => {
    const latest = [...sim.fleet.alerts].sort(byCreated).at(-1)?.created_timestamp ?? '';
    clock += 5 * 60_000;
    const arrived = sim.addAlerts(4, { severity: 85 });
    expect(arrived.every((a) => a.status === 'new' && a.severity_name === 'Critical')).toBe(true);
    const res = await query({ filter: `created_timestamp:>'${latest}'+severity:>=80`, sort: 'created_timestamp|asc' });
    // Same-millisecond arrivals order by their (mixed-precision) timestamps, not by arrival.
    expect(new Set(res.json.resources)).toEqual(new Set(arrived.map((a) => a.composite_id)));
    expect(() => sim.addAlerts(1, { createdAt: 'last tuesday' })).toThrow(/ISO-8601/);
    expect(() => sim.addAlerts(1, { severity: 101 })).toThrow(/1-100/);
  });

  it('enforces limit ≤ 10000 and offset + limit ≤ 10000', async () => {
    expect((await query({ limit: '10001' })).status).toBe(400);
    expect((await query({ limit: '5000', offset: '6000' })).status).toBe(400);
    const bad = await query({ filter: 'severity:>=' });
    expect(bad.status).toBe(400);
  });

  it('pages full records with the combined endpoint until `after` is missing', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = await call<FalconBody<FalconAlert>>(`${sim.url}/alerts/combined/alerts/v1`, {
        headers: bearer(token),
        json: { filter: "product:'epp'", sort: 'created_timestamp|desc', limit: 50, ...(after ? { after } : {}) },
      });
      seen.push(...(res.json.resources ?? []).map((a) => a.composite_id));
      after = res.json.meta.pagination?.after as string | undefined;
      if (!after) break;
    }
    expect(seen).toEqual([...sim.fleet.alerts].sort((a, b) => byCreated(b, a)).map((a) => a.composite_id));
  });

  it('updates status with PATCH v3 (alerts:write)', async () => {
    const id = sim.fleet.alerts[0]?.composite_id ?? '';
    const patch = await call<FalconBody>(`${sim.url}/alerts/entities/alerts/v3`, {
      method: 'PATCH',
      headers: bearer(token),
      json: { composite_ids: [id], action_parameters: [{ name: 'update_status', value: 'in_progress' }] },
    });
    expect(patch.status).toBe(200);
    expect(sim.fleet.alert(id)?.status).toBe('in_progress');
    const reader = { clientId: 'd'.repeat(32), clientSecret: 'alerts-reader' };
    sim.addFalconClient({ ...reader, scopes: ['alerts:read'] });
    const readToken = await falconToken(sim.url, reader);
    const denied = await call(`${sim.url}/alerts/entities/alerts/v3`, {
      method: 'PATCH',
      headers: bearer(readToken),
      json: { composite_ids: [id], action_parameters: [{ name: 'update_status', value: 'closed' }] },
    });
    expect(denied.status).toBe(403);
  });
});
