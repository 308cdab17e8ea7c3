import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FalconDevice, OnlineStateRecord } from './index';
import { startSimulator, type Simulator } from './index';
import { bearer, call, falconToken, type FalconBody } from './wire-client.testkit';

describe('Falcon hosts API', () => {
  let sim: Simulator;
  let token: string;
  let clock = Date.parse('2026-11-25T12:00:00Z');
  const get = <T = string>(path: string) => call<FalconBody<T>>(`${sim.url}${path}`, { headers: bearer(token) });
  const post = <T = FalconDevice>(path: string, json: unknown) => call<FalconBody<T>>(`${sim.url}${path}`, { headers: bearer(token), json });

  beforeAll(async () => {
    sim = await startSimulator({ devices: 300, seed: 9, now: () => clock });
    token = await falconToken(sim.url, sim.credentials.falcon);
  });
  afterAll(() => sim.close());

  it('scrolls through every host, then answers an empty page with total 0 and an empty offset', async () => {
    const seen: string[] = [];
    let offset = '';
    for (let page = 0; page < 20; page++) {
      const res = await get(`/devices/queries/devices-scroll/v1?limit=37${offset ? `&offset=${encodeURIComponent(offset)}` : ''}`);
      expect(res.status).toBe(200);
      const pagination = res.json.meta.pagination ?? {};
      if ((res.json.resources ?? []).length === 0) {
        expect(pagination).toEqual({ total: 0, offset: '' });
        break;
      }
      expect(pagination.total).toBe(300);
      expect(pagination.expires_at).toBe((clock + 120_000) * 1e6);
      expect(res.json.meta.powered_by).toBe('device-api');
      seen.push(...(res.json.resources ?? []));
      offset = String(pagination.offset);
    }
    expect(seen).toEqual(sim.fleet.deviceIds);
  });

  it('rejects scroll limits outside 1-10000 and offsets that expired after two minutes', async () => {
    expect((await get('/devices/queries/devices-scroll/v1?limit=10001')).status).toBe(400);
    expect((await get('/devices/queries/devices-scroll/v1?limit=0')).status).toBe(400);
    const first = await get('/devices/queries/devices-scroll/v1?limit=10');
    const offset = encodeURIComponent(String(first.json.meta.pagination?.offset));
    clock += 121_000;
    const expired = await get(`/devices/queries/devices-scroll/v1?offset=${offset}`);
    expect(expired.status).toBe(400);
    expect(expired.json.errors?.[0]?.message).toMatch(/expired/);
    expect((await get('/devices/queries/devices-scroll/v1?offset=garbage')).status).toBe(400);
  });

  it('pages by integer offset below 10000 and reports where the next page starts', async () => {
    const page = await get('/devices/queries/devices/v1?limit=100&offset=200');
    expect(page.json.resources).toEqual(sim.fleet.deviceIds.slice(200, 300));
    expect(page.json.meta.pagination).toEqual({ offset: 300, limit: 100, total: 300 });
    const tooFar = await get('/devices/queries/devices/v1?limit=5000&offset=5000');
    expect(tooFar.status).toBe(400);
    expect(tooFar.json.errors).toEqual([{ code: 400, message: 'limit + offset must be less than 10000' }]);
    expect((await get('/devices/queries/devices/v1?limit=5001')).status).toBe(400);
  });

  it('filters and sorts hosts with FQL', async () => {
    const macs = sim.fleet.devices.filter((d) => d.platform_name === 'Mac');
    const res = await get(`/devices/queries/devices/v1?limit=500&filter=${encodeURIComponent("platform_name:'Mac'")}&sort=hostname.desc`);
    expect(res.json.meta.pagination?.total).toBe(macs.length);
    const expected = [...macs].sort((a, b) => (a.hostname < b.hostname ? 1 : -1)).map((d) => d.device_id);
    expect(res.json.resources).toEqual(expected);
    const recent = await get(`/devices/queries/devices/v1?limit=500&filter=${encodeURIComponent("last_seen:>='now-1h'+platform_name:'Windows'")}`);
    const cutoff = clock - 3_600_000;
    const want = sim.fleet.devices.filter((d) => Date.parse(d.last_seen) >= cutoff && d.platform_name === 'Windows').map((d) => d.device_id);
    expect(recent.json.resources).toEqual(want);
    const bad = await get(`/devices/queries/devices/v1?filter=${encodeURIComponent("hostname:'unterminated")}`);
    expect(bad.status).toBe(400);
    expect(bad.json.errors?.[0]?.message).toMatch(/Invalid filter/);
  });

  it('returns full records by GET (max 100 ids, repeated or comma-joined) and by POST (max 5000)', async () => {
    const [a = '', b = '', c = ''] = sim.fleet.deviceIds;
    const byGet = await get<FalconDevice>(`/devices/entities/devices/v2?ids=${a}&ids=${b},${c}&ids=ffffffffffffffffffffffffffffffff`);
    expect(byGet.status).toBe(200);
    expect(byGet.json.resources?.map((d) => d.device_id)).toEqual([a, b, c]);
    expect(byGet.json.resources?.[0]).toEqual(JSON.parse(JSON.stringify(sim.fleet.device(a))));
    const many = sim.fleet.deviceIds
      .slice(0, 101)
      .map((id) => `ids=${id}`)
      .join('&');
    expect((await get(`/devices/entities/devices/v2?${many}`)).status).toBe(400);
    const byPost = await post('/devices/entities/devices/v2', { ids: [...sim.fleet.deviceIds] });
    expect(byPost.json.resources).toHaveLength(300);
    const record = byPost.json.resources?.find((d) => d.device_id === a);
    expect(record).toMatchObject({ cid: sim.fleet.cid, hostname: expect.any(String), mac_address: expect.stringMatching(/^([0-9a-f]{2}-){5}[0-9a-f]{2}$/) });
    expect((await post('/devices/entities/devices/v2', { ids: Array.from({ length: 5001 }, () => a) })).status).toBe(400);
    const malformed = await call<FalconBody>(`${sim.url}/devices/entities/devices/v2`, {
      headers: { ...bearer(token), 'content-type': 'application/json' },
      method: 'POST',
      body: '{"ids": ["abc",',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors?.[0]?.message).toBe('request body is not valid JSON');
  });

  it('reports online state per host', async () => {
    const ids = sim.fleet.deviceIds.slice(0, 40);
    const res = await get<OnlineStateRecord>(`/devices/entities/online-state/v1?${ids.map((id) => `ids=${id}`).join('&')}`);
    expect(res.json.resources).toHaveLength(40);
    for (const row of res.json.resources ?? []) {
      expect(row).toEqual({
        id: row.id,
        cid: sim.fleet.cid,
        last_seen: sim.fleet.device(row.id)?.last_seen,
        state: expect.stringMatching(/^(online|offline|unknown)$/),
      });
    }
    const tooMany = sim.fleet.deviceIds
      .slice(0, 101)
      .map((id) => `ids=${id}`)
      .join('&');
    expect((await get(`/devices/entities/online-state/v1?${tooMany}`)).status).toBe(400);
  });

  it('contains a host asynchronously: 202, then containment_pending, then contained; and lifts it the same way', async () => {
    const id = sim.fleet.devices.find((d) => d.status === 'normal')?.device_id ?? '';
    const status = async () => (await get<FalconDevice>(`/devices/entities/devices/v2?ids=${id}`)).json.resources?.[0]?.status;
    const contain = await post<{ id: string; path: string }>('/devices/entities/devices-actions/v2?action_name=contain', { ids: [id] });
    expect(contain.status).toBe(202);
    expect(contain.json.resources).toEqual([{ id, path: '' }]);
    expect(await status()).toBe('containment_pending');
    expect(await status()).toBe('contained');
    await post('/devices/entities/devices-actions/v2?action_name=lift_containment', { ids: [id] });
    expect(await status()).toBe('lift_containment_pending');
    expect(await status()).toBe('normal');
    expect((await post('/devices/entities/devices-actions/v2?action_name=explode', { ids: [id] })).status).toBe(400);
    const unknown = await post('/devices/entities/devices-actions/v2?action_name=contain', { ids: ['0'.repeat(32)] });
    expect(unknown.status).toBe(400);

    const readOnly = { clientId: 'c'.repeat(32), clientSecret: 'hosts-read-only' };
    sim.addFalconClient({ ...readOnly, scopes: ['devices:read'] });
    const readToken = await falconToken(sim.url, readOnly);
    const denied = await call(`${sim.url}/devices/entities/devices-actions/v2?action_name=contain`, { headers: bearer(readToken), json: { ids: [id] } });
    expect(denied.status).toBe(403);
  });

  it('answers entity reads with the same bytes as serialising the records, and a contained host with its new status', async () => {
    const ids = sim.fleet.deviceIds.slice(10, 14);
    const body = (res: { text: string }) => JSON.parse(res.text) as FalconBody<FalconDevice>;
    // The records' JSON is rendered once and reused: the text must be exactly what JSON.stringify gives.
    for (let read = 0; read < 2; read++) {
      const res = await post('/devices/entities/devices/v2', { ids });
      const { meta } = body(res);
      expect(res.text).toBe(JSON.stringify({ meta, resources: ids.map((id) => sim.fleet.device(id)), errors: [] }));
    }
    const id = ids.find((i) => sim.fleet.device(i)?.status === 'normal') ?? '';
    await post('/devices/entities/devices-actions/v2?action_name=contain', { ids: [id] });
    const pending = await post('/devices/entities/devices/v2', { ids: [id] });
    expect(body(pending).resources?.[0]).toMatchObject({ device_id: id, status: 'containment_pending' });
    const contained = await post('/devices/entities/devices/v2', { ids: [id] });
    expect(body(contained).resources?.[0]).toEqual(JSON.parse(JSON.stringify(sim.fleet.device(id))));
    expect(body(contained).resources?.[0]?.status).toBe('contained');
    await post('/devices/entities/devices-actions/v2?action_name=lift_containment', { ids: [id] });
    await post('/devices/entities/devices/v2', { ids: [id] });
    expect(body(await post('/devices/entities/devices/v2', { ids: [id] })).resources?.[0]?.status).toBe('normal');
  });

  it('pages full records through the combined endpoint until `next` disappears', async () => {
    const seen: string[] = [];
    let next = '';
    for (let page = 0; page < 10; page++) {
      const res = await get<Partial<FalconDevice>>(
        `/devices/combined/devices/v1?limit=128&fields=hostname,serial_number${next ? `&offset=${encodeURIComponent(next)}` : ''}`,
      );
      seen.push(...(res.json.resources ?? []).map((d) => d.device_id ?? ''));
      expect(Object.keys(res.json.resources?.[0] ?? {}).every((k) => ['device_id', 'hostname', 'serial_number'].includes(k))).toBe(true);
      const pagination = res.json.meta.pagination ?? {};
      if (!pagination.next) break;
      next = String(pagination.next);
    }
    expect(seen).toEqual(sim.fleet.deviceIds);
  });
  it('takes combined limits of 1-10000 and reads filter and sort from every call, not from the token', async () => {
    expect((await get('/devices/combined/devices/v1?limit=10001')).status).toBe(400);
    expect((await get('/devices/combined/devices/v1?limit=0')).status).toBe(400);
    const filter = encodeURIComponent("platform_name:'Mac'");
    const macs = sim.fleet.devices.filter((d) => d.platform_name === 'Mac').map((d) => d.device_id);
    const first = await get<Partial<FalconDevice>>(`/devices/combined/devices/v1?limit=5&fields=platform_name&filter=${filter}`);
    expect(first.json.resources?.map((d) => d.device_id)).toEqual(macs.slice(0, 5));
    expect(first.json.meta.pagination).toMatchObject({ offset: '', limit: 5, total: macs.length, next: expect.any(String) });
    const next = encodeURIComponent(String(first.json.meta.pagination?.next));
    const repeated = await get<Partial<FalconDevice>>(`/devices/combined/devices/v1?limit=5&fields=platform_name&filter=${filter}&offset=${next}`);
    expect(repeated.json.resources?.map((d) => d.device_id)).toEqual(macs.slice(5, 10));
    // A caller that drops the filter after the first call pages the whole fleet from there.
    const dropped = await get<Partial<FalconDevice>>(`/devices/combined/devices/v1?limit=5&fields=platform_name&offset=${next}`);
    expect(dropped.json.meta.pagination?.total).toBe(300);
    expect(dropped.json.resources?.map((d) => d.device_id)).toEqual(sim.fleet.deviceIds.slice(5, 10));
  });

  it('answers 404 on the combined route when a route_missing fault hides it, and keeps serving the rest', async () => {
    sim.setFaults('route_missing:/devices/combined');
    try {
      const missing = await get('/devices/combined/devices/v1?limit=10');
      expect(missing.status).toBe(404);
      expect(missing.json.errors?.[0]?.message).toBe('Not Found');
      expect((await get('/devices/queries/devices-scroll/v1?limit=10')).status).toBe(200);
    } finally {
      sim.clearFaults();
    }
  });
});
