import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type FalconIoc, type Simulator } from './index';
import { bearer, call, falconToken, type FalconBody } from './wire-client.testkit';

const SHA = '8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4';
const valid = {
  sha256: { type: 'sha256', value: SHA, action: 'prevent', severity: 'high', platforms: ['windows', 'mac'], applied_globally: true, source: 'posture-app' },
  domain: {
    type: 'domain',
    value: 'update-check.example-bad.net',
    action: 'detect',
    severity: 'medium',
    platforms: ['windows', 'mac', 'linux'],
    applied_globally: false,
    host_groups: ['1f7c0d3e2b9a4c6d8e0f1a2b3c4d5e6f'],
  },
};

describe('Falcon IOC Management API', () => {
  let sim: Simulator;
  let token: string;
  const create = (indicators: unknown[]) =>
    call<FalconBody<FalconIoc>>(`${sim.url}/iocs/entities/indicators/v1?ignore_warnings=false`, {
      headers: bearer(token),
      json: { comment: 'case 4411', indicators },
    });
  const get = <T>(path: string) => call<FalconBody<T>>(`${sim.url}${path}`, { headers: bearer(token) });

  beforeAll(async () => {
    sim = await startSimulator({ devices: 10 });
    token = await falconToken(sim.url, sim.credentials.falcon);
  });
  afterAll(() => sim.close());

  it('creates indicators with 201 and 64-hex ids; the create response leaves out severity', async () => {
    const res = await create([valid.sha256, valid.domain]);
    expect(res.status).toBe(201);
    expect(res.json.resources).toHaveLength(2);
    for (const ioc of res.json.resources ?? []) {
      expect(ioc.id).toMatch(/^[0-9a-f]{64}$/);
      expect(ioc).not.toHaveProperty('severity');
      expect(ioc.created_by).toBe(sim.credentials.falcon.clientId);
    }
    expect(sim.iocs().map((i) => [i.type, i.value, i.severity])).toEqual([
      ['sha256', SHA, 'high'],
      ['domain', 'update-check.example-bad.net', 'medium'],
    ]);
    const fetched = await get<FalconIoc>(`/iocs/entities/indicators/v1?ids=${res.json.resources?.[0]?.id}`);
    expect(fetched.json.resources?.[0]).toMatchObject({ type: 'sha256', action: 'prevent', severity: 'high', deleted: false });
  });

  it.each([
    ['sha1 type', { ...valid.sha256, type: 'sha1' }, /type must be one of: sha256, md5, domain, ipv4, ipv6/],
    ['non-hex sha256', { ...valid.sha256, value: 'z'.repeat(64) }, /value is not valid for type 'sha256'/],
    ['short md5', { ...valid.sha256, type: 'md5', value: 'abc' }, /value is not valid for type 'md5'/],
    ['bad ipv4', { ...valid.domain, type: 'ipv4', value: '999.1.1.1' }, /value is not valid for type 'ipv4'/],
    ['bad domain', { ...valid.domain, value: 'not a domain' }, /value is not valid for type 'domain'/],
    ['unknown action', { ...valid.sha256, action: 'block' }, /action must be one of/],
    ['allow on a domain', { ...valid.domain, action: 'allow', severity: undefined }, /'allow' applies to hashes/],
    ['detect without severity', { ...valid.domain, severity: undefined }, /severity cannot be empty/],
    ['upper-case severity', { ...valid.domain, severity: 'HIGH' }, /severity must be one of/],
    ['no platforms', { ...valid.sha256, platforms: [] }, /platforms is required/],
    ['neither global nor groups', { ...valid.domain, host_groups: [] }, /applied_globally to true or give host_groups/],
  ])('rejects %s with a 400 that names the field', async (_name, indicator, message) => {
    const before = sim.iocs().length;
    const res = await create([indicator]);
    expect(res.status).toBe(400);
    expect(res.json.errors?.some((e) => e.code === 400 && message.test(e.message))).toBe(true);
    expect(sim.iocs()).toHaveLength(before);
  });

  it('accepts ipv4 and ipv6 values, and stores nothing when any indicator in the request is invalid', async () => {
    const before = sim.iocs().length;
    const mixed = await create([
      { ...valid.domain, type: 'ipv4', value: '203.0.113.99' },
      { ...valid.sha256, action: 'block' },
    ]);
    expect(mixed.status).toBe(400);
    expect(sim.iocs()).toHaveLength(before);
    const ok = await create([
      { ...valid.domain, type: 'ipv4', value: '203.0.113.99' },
      { ...valid.domain, type: 'ipv6', value: '2001:db8::99' },
    ]);
    expect(ok.status).toBe(201);
  });

  it('refuses a live duplicate type + value, also within one request, but allows it again after deletion', async () => {
    const dup = await create([{ ...valid.sha256, value: SHA.toUpperCase() }]);
    expect(dup.status).toBe(400);
    expect(dup.json.errors?.[0]?.message).toMatch(/Duplicate type: 'sha256'/);
    const twice = await create([
      { ...valid.domain, value: 'twice.example-bad.net' },
      { ...valid.domain, value: 'twice.example-bad.net' },
    ]);
    expect(twice.status).toBe(400);

    const search = await get<string>(`/iocs/queries/indicators/v1?filter=${encodeURIComponent(`type:'sha256'+value:'${SHA}'`)}`);
    expect(search.json.resources).toHaveLength(1);
    const id = search.json.resources?.[0] ?? '';
    const deleted = await call<FalconBody<string>>(`${sim.url}/iocs/entities/indicators/v1?ids=${id}&comment=cleanup`, {
      method: 'DELETE',
      headers: bearer(token),
    });
    expect(deleted.status).toBe(200);
    expect(deleted.json.resources).toEqual([id]);
    expect(sim.iocs().some((i) => i.id === id)).toBe(false);
    const gone = await get<string>(`/iocs/queries/indicators/v1?filter=${encodeURIComponent(`type:'sha256'+value:'${SHA}'`)}`);
    expect(gone.json.resources).toEqual([]);
    const withDeleted = await get<string>(`/iocs/queries/indicators/v1?filter=${encodeURIComponent(`value:'${SHA}'+deleted:true`)}`);
    expect(withDeleted.json.resources).toEqual([id]);
    expect((await create([valid.sha256])).status).toBe(201);
  });

  it('lists full records from the combined endpoint and the vocabularies', async () => {
    const combined = await get<FalconIoc>(`/iocs/combined/indicator/v1?filter=${encodeURIComponent("type:'domain'")}&limit=10`);
    expect(combined.json.resources?.map((i) => i.value)).toEqual(['update-check.example-bad.net']);
    expect(combined.json.meta.pagination).toEqual({ offset: 0, limit: 10, total: 1 });
    expect((await get<string>('/iocs/queries/actions/v1')).json.resources).toContain('none');
  });

  it('needs ioc:write to create and ioc:read to search', async () => {
    const reader = { clientId: 'e'.repeat(32), clientSecret: 'ioc-reader' };
    sim.addFalconClient({ ...reader, scopes: ['ioc:read'] });
    const readToken = await falconToken(sim.url, reader);
    const denied = await call(`${sim.url}/iocs/entities/indicators/v1`, {
      headers: bearer(readToken),
      json: { indicators: [{ ...valid.domain, value: 'reader.example-bad.net' }] },
    });
    expect(denied.status).toBe(403);
    expect((await call(`${sim.url}/iocs/queries/indicators/v1`, { headers: bearer(readToken) })).status).toBe(200);
  });
});
