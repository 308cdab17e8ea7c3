import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator, type ZtaAssessment } from './index';
import { bearer, call, falconToken, type FalconBody } from './wire-client.testkit';

describe('Falcon Zero Trust Assessment API', () => {
  let sim: Simulator;
  let token: string;
  const get = <T>(path: string) => call<FalconBody<T>>(`${sim.url}${path}`, { headers: bearer(token) });

  beforeAll(async () => {
    sim = await startSimulator({ devices: 400, seed: 12 });
    token = await falconToken(sim.url, sim.credentials.falcon);
  });
  afterAll(() => sim.close());

  it('returns assessments by AID and silently leaves out unknown AIDs', async () => {
    const ids = sim.fleet.deviceIds.slice(0, 5);
    const res = await get<ZtaAssessment>(`/zero-trust-assessment/entities/assessments/v1?${[...ids, 'f'.repeat(32)].map((id) => `ids=${id}`).join('&')}`);
    expect(res.status).toBe(200);
    expect(res.json.errors).toEqual([]);
    expect(res.json.resources?.map((r) => r.aid)).toEqual(ids);
    const record = res.json.resources?.find((r) => r.assessment && 'overall' in r.assessment);
    expect(record).toMatchObject({
      cid: sim.fleet.cid,
      event_platform: expect.stringMatching(/^(Win|Mac|Lin)$/),
      assessment: { overall: expect.any(Number), os: expect.any(Number), sensor_config: expect.any(Number), version: '3.6.1' },
    });
    expect(record?.assessment_items.os_signals[0]?.meets_criteria).toMatch(/^(yes|no|unknown)$/);
    expect(record?.system_serial_number).toBe(sim.fleet.device(record?.aid ?? '')?.serial_number ?? '');
  });

  it('answers with the same bytes on every read, from a prebuilt fleet too', async () => {
    const ids = sim.fleet.deviceIds.slice(20, 30);
    const path = `/zero-trust-assessment/entities/assessments/v1?${ids.map((id) => `ids=${id}`).join('&')}`;
    const first = await get<ZtaAssessment>(path);
    const second = await get<ZtaAssessment>(path);
    expect(first.text).toBe(JSON.stringify({ meta: first.json.meta, resources: ids.map((id) => sim.fleet.zta(id)), errors: [] }));
    expect(second.json.resources).toEqual(first.json.resources);
    const prebuilt = await startSimulator({ devices: 400, seed: 12, prebuild: true });
    try {
      const res = await call<FalconBody<ZtaAssessment>>(`${prebuilt.url}${path}`, {
        headers: bearer(await falconToken(prebuilt.url, prebuilt.credentials.falcon)),
      });
      expect(res.text).toBe(JSON.stringify({ meta: res.json.meta, resources: ids.map((id) => prebuilt.fleet.zta(id)), errors: [] }));
    } finally {
      await prebuilt.close();
    }
  });

  it('returns unscored hosts with the assessment absent or empty', async () => {
    const unscored = sim.fleet.deviceIds.filter((id) => {
      const a = sim.fleet.zta(id)?.assessment;
      return !a || !('overall' in a);
    });
    expect(unscored.length).toBeGreaterThan(0);
    const res = await get<ZtaAssessment>(`/zero-trust-assessment/entities/assessments/v1?${unscored.map((id) => `ids=${id}`).join('&')}`);
    for (const r of res.json.resources ?? []) {
      expect(r.assessment === undefined || Object.keys(r.assessment).length === 0).toBe(true);
      expect(r.assessment_items).toEqual({ os_signals: [], sensor_signals: [] });
    }
  });

  it('caps entity requests at 100 AIDs', async () => {
    const ids = sim.fleet.deviceIds
      .slice(0, 101)
      .map((id) => `ids=${id}`)
      .join('&');
    expect((await get(`/zero-trust-assessment/entities/assessments/v1?${ids}`)).status).toBe(400);
  });

  it('pages scores with `after` until it comes back empty, with errors: null', async () => {
    const rows: { aid: string; score: number }[] = [];
    let after = '';
    for (let page = 0; page < 20; page++) {
      const res = await get<{ aid: string; score: number }>(
        `/zero-trust-assessment/queries/assessments/v1?filter=${encodeURIComponent('score:<=100')}&limit=150${after ? `&after=${after}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.json.errors).toBeNull();
      rows.push(...(res.json.resources ?? []));
      after = String(res.json.meta.pagination?.after ?? '');
      if (!after) break;
    }
    const scored = sim.fleet.deviceIds.filter((id) => {
      const a = sim.fleet.zta(id)?.assessment;
      return a && 'overall' in a;
    });
    expect(rows.map((r) => r.aid)).toEqual(scored);
  });

  it('filters and sorts by score', async () => {
    const res = await get<{ aid: string; score: number }>(
      `/zero-trust-assessment/queries/assessments/v1?filter=${encodeURIComponent('score:<50')}&sort=score|desc&limit=1000`,
    );
    const scores = (res.json.resources ?? []).map((r) => r.score);
    expect(scores.length).toBeGreaterThan(0);
    expect(scores.every((s) => s < 50)).toBe(true);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(res.json.meta.pagination).toEqual({ limit: 1000, total: scores.length, after: '' });
  });

  it('requires a filter and a limit of at most 1000', async () => {
    const missing = await get('/zero-trust-assessment/queries/assessments/v1');
    expect(missing.status).toBe(400);
    expect(missing.json.errors?.[0]?.message).toMatch(/filter is required/);
    expect((await get('/zero-trust-assessment/queries/assessments/v1?filter=score:>0&limit=1001')).status).toBe(400);
  });
});
