// The simulator speaks the vendors' specs: every answer it gives during the product's real flows, and every
// error kind it can send, validates against the spec's response schema (ajv), excusing only the written
// exceptions in sim/spec/exceptions.ts. Unscripted answers (the real-world variance fault) are held to the same.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { startSimulator, type SimExchange, type Simulator } from '../../sim';
import { specExceptions } from '../../sim/spec/exceptions';
import { specDefines } from '../../sim/spec/load';
import { checkResponse } from '../../sim/spec/validate';
import { apiToken, bearer, call as wire, falconToken } from '../../sim/wire-client.testkit';
import { recordProductFlows } from './spec/product-flows';

const S1 = '/web/api/v2.1';

interface Failure {
  answer: string;
  schema: string;
  problems: string[];
}

/** Every answer with a JSON body, checked; bodies a fault cut in half or empty redirects are not answers to check. */
function check(exchanges: readonly SimExchange[]): { failures: Failure[]; kinds: Set<string>; excused: Set<string> } {
  const failures = new Map<string, Failure>();
  const kinds = new Set<string>();
  const excused = new Set<string>();
  for (const e of exchanges) {
    if (e.faults.includes('malformed_json') || e.body === '') continue;
    const result = checkResponse(e.provider, e.method, e.apiPath, e.status, JSON.parse(e.body));
    kinds.add(`${e.provider} ${e.method} ${e.apiPath} ${e.status}`);
    for (const id of result.excused) excused.add(id);
    const answer = `${e.provider} ${e.method} ${e.apiPath} ${e.status}`;
    // One entry per answer kind and problem set keeps a failure report readable.
    if (!result.ok)
      failures.set(`${answer} ${result.problems.slice(0, 3).join('|')}`, { answer, schema: result.schema, problems: result.problems.slice(0, 6) });
  }
  return { failures: [...failures.values()], kinds, excused };
}

/** Error answers of every kind each surface sends, requested directly on the wire. */
async function provokeErrors(sim: Simulator): Promise<void> {
  const base = sim.url;
  const { falcon, sentinelOne } = sim.credentials;
  const token = await falconToken(base, falcon);
  const auth = bearer(token);
  const s1 = apiToken(sentinelOne.apiToken);
  // Successes of the routes the product's flows do not call.
  const someId = sim.fleet.deviceIds[0] ?? '';
  await wire(`${base}/devices/queries/devices/v1?limit=5`, { headers: auth });
  await wire(`${base}/devices/entities/devices/v2?ids=${someId}`, { headers: auth });
  await wire(`${base}/alerts/combined/alerts/v1`, { headers: auth, json: { limit: 5 } });
  const alertId = sim.fleet.alerts[0]?.composite_id ?? '';
  await wire(`${base}/alerts/entities/alerts/v3`, {
    method: 'PATCH',
    headers: auth,
    json: { composite_ids: [alertId], action_parameters: [{ name: 'add_tag', value: 'conformance' }] },
  });
  await wire(`${base}/iocs/combined/indicator/v1?limit=5`, { headers: auth });
  for (const vocabulary of ['ioc-types', 'platforms', 'severities', 'actions']) await wire(`${base}/iocs/queries/${vocabulary}/v1`, { headers: auth });
  await wire(`${base}/zero-trust-assessment/entities/assessments/v1?ids=${'f'.repeat(32)}`, { headers: auth });
  const created = await wire<{ resources: { id: string }[] }>(`${base}/iocs/entities/indicators/v1`, {
    headers: auth,
    json: { indicators: [{ type: 'domain', value: 'conformance.example', action: 'detect', severity: 'low', platforms: ['linux'], applied_globally: true }] },
  });
  await wire(`${base}/iocs/entities/indicators/v1?ids=${created.json.resources[0]?.id ?? ''}`, { headers: auth });
  // 400s: the token call with a malformed client id, paging out of range, invalid IOCs, a bad FQL filter, bad ids.
  await wire(`${base}/oauth2/token`, { form: { client_id: 'short', client_secret: 'x' } });
  await wire(`${base}/oauth2/revoke`, {
    headers: { authorization: `Basic ${Buffer.from(`${falcon.clientId}:${falcon.clientSecret}`).toString('base64')}` },
    form: {},
  });
  await wire(`${base}/devices/queries/devices/v1?offset=9999&limit=10`, { headers: auth });
  await wire(`${base}/devices/queries/devices-scroll/v1?filter=${encodeURIComponent("hostname:'")}`, { headers: auth });
  await wire(`${base}/devices/combined/devices/v1?limit=0`, { headers: auth });
  await wire(`${base}/alerts/queries/alerts/v2?filter=${encodeURIComponent('(((')}`, { headers: auth });
  await wire(`${base}/alerts/entities/alerts/v2`, { headers: auth, json: { composite_ids: 'nope' } });
  await wire(`${base}/alerts/combined/alerts/v1`, { headers: auth, json: { limit: 5000 } });
  await wire(`${base}/alerts/entities/alerts/v3`, { method: 'PATCH', headers: auth, json: { composite_ids: [], action_parameters: [] } });
  await wire(`${base}/iocs/entities/indicators/v1`, { headers: auth, json: { indicators: [{ type: 'sha256', value: 'nothex', action: 'prevent' }] } });
  await wire(`${base}/devices/entities/devices-actions/v2?action_name=contain`, { headers: auth, json: { ids: ['0'.repeat(32)] } });
  await wire(`${base}/zero-trust-assessment/queries/assessments/v1`, { headers: auth });
  // 401, 403 (bad credentials, missing scope), 404 (an unknown path, a missing route), 405 (Detects), 429, 5xx.
  await wire(`${base}/devices/queries/devices-scroll/v1`, { headers: bearer('x'.repeat(40)) });
  await wire(`${base}/oauth2/token`, { form: { client_id: falcon.clientId, client_secret: 'wrong' } });
  const narrow = { clientId: 'b'.repeat(32), clientSecret: 'narrow-secret' };
  sim.addFalconClient({ ...narrow, scopes: ['zero-trust-assessment:read'] });
  await wire(`${base}/devices/queries/devices-scroll/v1`, { headers: bearer(await falconToken(base, narrow)) });
  await wire(`${base}/devices/queries/nothing/v1`, { headers: auth });
  await wire(`${base}/detects/queries/detects/v1`, { headers: auth });
  await wire(`${base}/oauth2/token`, { method: 'GET' });
  await wire(`${base}/region/nowhere/oauth2/token`, { form: { client_id: falcon.clientId, client_secret: falcon.clientSecret } });
  sim.setFaults(
    'route_missing:/devices/combined,rate_limit:/devices/queries,server_error:/devices/entities/online-state,server_error:/alerts/queries:value=503',
  );
  await wire(`${base}/devices/combined/devices/v1`, { headers: auth });
  await wire(`${base}/devices/queries/devices-scroll/v1`, { headers: auth });
  await wire(`${base}/devices/entities/online-state/v1?ids=a`, { headers: auth });
  await wire(`${base}/alerts/queries/alerts/v2`, { headers: auth });
  sim.clearFaults();
  // SentinelOne: 400 (limit out of range, unknown token details), 401, 403 (site-scoped), 404, 405, 429, 500.
  await wire(`${base}${S1}/agents?limit=5000`, { headers: s1 });
  await wire(`${base}${S1}/users/api-token-details`, { headers: s1, json: { data: { apiToken: 'unknown' } } });
  await wire(`${base}${S1}/agents`, { headers: apiToken('nope') });
  await wire(`${base}${S1}/system/info`, { headers: apiToken('nope') });
  sim.addSentinelOneToken({ token: 'site-scoped-token', siteScoped: true });
  await wire(`${base}${S1}/agents`, { headers: apiToken('site-scoped-token') });
  await wire(`${base}${S1}/system/info`, { headers: apiToken('site-scoped-token') });
  await wire(`${base}${S1}/nothing`, { headers: s1 });
  await wire(`${base}${S1}/agents`, { method: 'DELETE', headers: s1 });
  await wire(`${base}${S1}/system/info`, { headers: s1 });
  await wire(`${base}${S1}/agents/count`, { headers: s1 });
  sim.setFaults('rate_limit:/agents:count=1,server_error:/system/status:count=1');
  await wire(`${base}${S1}/agents`, { headers: s1 });
  await wire(`${base}${S1}/system/status`);
  sim.clearFaults();
}

describe('the simulator conforms to the vendors specs', () => {
  let flows: Awaited<ReturnType<typeof recordProductFlows>>;
  let errors: SimExchange[];
  let routes: ReturnType<Simulator['routes']>;
  let varied: Awaited<ReturnType<typeof recordProductFlows>>;

  beforeAll(async () => {
    flows = await recordProductFlows();
    varied = await recordProductFlows({ faults: 'variance:*:value=60', seed: 12 });
    errors = [];
    const sim = await startSimulator({ devices: 20, seed: 3, onExchange: (e) => errors.push(e) });
    routes = sim.routes();
    try {
      await provokeErrors(sim);
    } finally {
      await sim.close();
    }
  }, 60_000);

  test('every answer in the product flows validates against its response schema', () => {
    const { failures, kinds } = check(flows.exchanges);
    expect(failures).toEqual([]);
    // The flows reach the posture, detections, IOC and containment endpoints of both providers.
    expect(kinds.size).toBeGreaterThanOrEqual(15);
  });

  test('answers under the real-world variance fault still validate (its nulls and unscored hosts are listed exceptions)', () => {
    const { failures } = check(varied.exchanges);
    expect(failures).toEqual([]);
    expect(varied.exchanges.filter((e) => e.faults.includes('variance')).length).toBeGreaterThan(5);
  });

  test('every error kind validates against the schema the spec gives for that status', () => {
    const { failures, kinds } = check(errors);
    expect(failures).toEqual([]);
    const statuses = (provider: string) => new Set([...kinds].filter((k) => k.startsWith(provider)).map((k) => Number(k.split(' ').at(-1))));
    for (const status of [400, 401, 403, 404, 405, 429, 500, 503]) expect(statuses('falcon'), `falcon ${status}`).toContain(status);
    for (const status of [400, 401, 403, 404, 405, 429, 500]) expect(statuses('sentinelone'), `sentinelone ${status}`).toContain(status);
  });

  test('every route the simulator serves that the spec describes answered with a validated success', () => {
    const { kinds } = check([...flows.exchanges, ...errors]);
    const succeeded = new Set([...kinds].filter((k) => Number(k.split(' ').at(-1)) < 300).map((k) => k.split(' ').slice(0, 3).join(' ')));
    const described = [
      ...routes.falcon.map((r) => ({ provider: 'falcon' as const, route: r })),
      ...routes.sentinelOne.map((r) => ({ provider: 'sentinelone' as const, route: r })),
    ].filter(({ provider, route }) => {
      const [method = '', path = ''] = route.split(' ');
      return specDefines(provider, method, path);
    });
    const missing = described.map(({ provider, route }) => `${provider} ${route}`).filter((key) => !succeeded.has(key));
    // Routes outside the product's flows get one plain request each so their success answer is checked too.
    expect(missing.filter((m) => !OUTSIDE_FLOWS.has(m))).toEqual([]);
  });

  test('each written exception names a reason, is still needed, and is in the README table', () => {
    const { excused } = check([...flows.exchanges, ...errors, ...varied.exchanges]);
    const readme = readFileSync(new URL('../../sim/README.md', import.meta.url), 'utf8');
    for (const exception of specExceptions) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${exception.id}\` |`));
      expect(row, `sim/README.md has no row for ${exception.id}`).toBeDefined();
      expect(row, `sim/README.md row of ${exception.id} states its reason`).toContain(exception.reason.replace(/\|/g, '\\|'));
      expect(exception.reason.length, exception.id).toBeGreaterThan(40);
      expect(excused, `exception ${exception.id} excused nothing: remove it or the simulator drifted`).toContain(exception.id);
    }
  });
});

/** Routes the simulator serves for other tools (the benchmark, scripts) that the product never calls. */
const OUTSIDE_FLOWS = new Set<string>();
