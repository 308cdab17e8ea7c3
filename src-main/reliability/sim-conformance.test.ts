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
import { createHttp } from '../core/providers/http';
import { createJamfClient } from '../core/providers/jamf/client';
import { createKandjiClient } from '../core/providers/kandji/client';
import { createCustomClient } from '../core/providers/custom/client';
import { CustomEntry, CustomResponse } from '../core/providers/custom/wire';
import type { SpecProvider } from '../../sim/spec/load';

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
    // The custom endpoint has no OpenAPI: its contract is judged by zod below.
    if (e.provider === 'custom') continue;
    // Jamf's Tomcat and Kandji's gateway answer some 404s and 429s with HTML pages (each reference, errors).
    if ((e.provider === 'jamf' || e.provider === 'kandji') && /^\s*</.test(e.body)) continue;
    const result = checkResponse(e.provider as SpecProvider, e.method, e.apiPath, e.status, JSON.parse(e.body));
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

/** The Jamf Pro, Kandji and custom clients' flows, and each error kind those APIs send, recorded. */
async function recordMdmFlows(): Promise<SimExchange[]> {
  const exchanges: SimExchange[] = [];
  const sim = await startSimulator({ devices: 300, seed: 7, onExchange: (e) => exchanges.push(e) });
  const http = createHttp({ retry: { baseDelayMs: 1, maxDelayMs: 5 } });
  try {
    const { jamf, kandji, custom } = sim.credentials;
    const jamfClient = (clientId = jamf.clientId, secret = jamf.clientSecret) =>
      createJamfClient({ serverUrl: sim.jamfUrl, clientId, getSecret: async () => secret, http, pageSize: 100 });
    await jamfClient().computers();
    for (const newest of [3, 2, 1]) {
      sim.setFaults(`jamf_old_server:${newest}`);
      await jamfClient().computers();
    }
    sim.clearFaults();
    const kandjiClient = createKandjiClient({ apiUrl: sim.kandjiUrl(), getToken: async () => kandji.apiToken, http });
    await kandjiClient.devices();
    await kandjiClient.enrolledCount();
    const customClient = createCustomClient({ url: sim.customUrl, getAuth: async () => ({ mode: 'bearer', token: custom.bearerToken }), http });
    await customClient.scores(
      sim.fleet.devices.map((d, i) => ({
        device_id: `pc-${i}`,
        serial_number: d.serial_number ?? '',
        hostname: d.hostname,
        mac_address: '',
        email: '',
        virtual_ipv4: '',
      })),
    );
    // Errors: Jamf 400/401 token, 401 INVALID_TOKEN, 403 role, 404 version; Kandji 400, 401 token and permission, 429.
    const base = sim.jamfUrl;
    await wire(`${base}/api/oauth/token`, { form: { grant_type: 'password' } });
    await wire(`${base}/api/v1/oauth/token`, { form: { grant_type: 'client_credentials', client_id: jamf.clientId, client_secret: 'wrong' } });
    await wire(`${base}/api/v4/computers-inventory`, { headers: bearer('expired') });
    await wire(`${base}/api/v1/jamf-pro-version`, { headers: bearer('expired') });
    sim.addJamfClient({ clientId: 'roleless', clientSecret: 'roleless', privileges: [] });
    const roleless = await wire<{ access_token: string }>(`${base}/api/oauth/token`, {
      form: { grant_type: 'client_credentials', client_id: 'roleless', client_secret: 'roleless' },
    });
    await wire(`${base}/api/v1/jamf-pro-version`, { headers: bearer(roleless.json.access_token) });
    await wire(`${base}/api/v4/computers-inventory`, { headers: bearer(roleless.json.access_token) });
    await wire(`${base}/api/v4/computers-inventory?page-size=99999`, { headers: bearer(roleless.json.access_token) });
    sim.setFaults('jamf_old_server:3,server_error:/api/v3:count=1');
    const token = await wire<{ access_token: string }>(`${base}/api/oauth/token`, {
      form: { grant_type: 'client_credentials', client_id: jamf.clientId, client_secret: jamf.clientSecret },
    });
    await wire(`${base}/api/v4/computers-inventory`, { headers: bearer(token.json.access_token) });
    await wire(`${base}/api/v3/computers-inventory?page-size=0`, { headers: bearer(token.json.access_token) });
    await wire(`${base}/api/v3/computers-inventory`, { headers: bearer(token.json.access_token) });
    sim.clearFaults();
    const k = sim.kandjiUrl();
    await wire(`${k}/api/v1/devices?limit=abc`, { headers: bearer(kandji.apiToken) });
    await wire(`${k}/api/v1/devices?limit=1`, { headers: bearer('nope') });
    sim.addKandjiToken('licence-only', ['licensing']);
    await wire(`${k}/api/v1/devices?limit=1`, { headers: bearer('licence-only') });
    await wire(`${k}/api/v1/devices`, { method: 'POST', headers: bearer(kandji.apiToken), json: {} });
    sim.setFaults('rate_limit:/api/v1/devices:count=1,server_error:/api/v1/settings:count=1');
    await wire(`${k}/api/v1/devices?limit=1`, { headers: bearer(kandji.apiToken) });
    await wire(`${k}/api/v1/settings/licensing`, { headers: bearer(kandji.apiToken) });
    sim.setFaults('custom_bad_scores,custom_extra_ids');
    await wire(sim.customUrl, { headers: bearer(custom.bearerToken), json: { devices: [] } });
  } finally {
    await http.close();
    await sim.close();
  }
  return exchanges;
}

describe('Jamf Pro, Kandji and the custom endpoint conform to their specs and contract', () => {
  let exchanges: SimExchange[];
  beforeAll(async () => {
    exchanges = await recordMdmFlows();
  }, 60_000);

  test('every Jamf Pro and Kandji answer validates against its OpenAPI response schema (written exceptions only)', () => {
    const { failures, kinds } = check(exchanges);
    expect(failures).toEqual([]);
    for (const kind of [
      'jamf GET /api/v4/computers-inventory 200',
      'jamf GET /api/v3/computers-inventory 200',
      'jamf GET /api/v1/computers-inventory 200',
      'jamf POST /api/oauth/token 200',
      'jamf POST /api/oauth/token 400',
      'jamf POST /api/v1/oauth/token 401',
      'jamf GET /api/v4/computers-inventory 401',
      'jamf GET /api/v4/computers-inventory 403',
      'jamf GET /api/v4/computers-inventory 404',
      'jamf GET /api/v1/jamf-pro-version 200',
      'kandji GET /api/v1/devices 200',
      'kandji GET /api/v1/devices 400',
      'kandji GET /api/v1/devices 401',
      'kandji GET /api/v1/devices 429',
      'kandji GET /api/v1/settings/licensing 200',
    ])
      expect(kinds, kind).toContain(kind);
  });

  test('every custom endpoint answer follows §2: {result} keyed by the ids sent, entries valid unless a fault made them odd', () => {
    const answers = exchanges.filter((e) => e.provider === 'custom' && e.status === 200);
    expect(answers.length).toBeGreaterThan(0);
    for (const e of answers) {
      const body = CustomResponse.parse(JSON.parse(e.body));
      const odd = e.faults.length > 0 || Object.values(body.result).some((entry) => !CustomEntry.safeParse(entry).success);
      if (!odd) for (const entry of Object.values(body.result)) expect(CustomEntry.safeParse(entry).success).toBe(true);
    }
    const clean = answers.filter((e) => Object.keys(CustomResponse.parse(JSON.parse(e.body)).result).length > 0);
    expect(clean.every((e) => Object.values(CustomResponse.parse(JSON.parse(e.body)).result).every((x) => CustomEntry.safeParse(x).success))).toBe(true);
  });
});

describe('the simulator conforms to the vendors specs', () => {
  let flows: Awaited<ReturnType<typeof recordProductFlows>>;
  let errors: SimExchange[];
  let routes: ReturnType<Simulator['routes']>;
  let varied: Awaited<ReturnType<typeof recordProductFlows>>;
  let mdm: SimExchange[];

  beforeAll(async () => {
    mdm = await recordMdmFlows();
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
    const { excused } = check([...flows.exchanges, ...errors, ...varied.exchanges, ...mdm]);
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
