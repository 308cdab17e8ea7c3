// One driver per endpoint the product calls: it puts a generated answer where the product's own client reads
// that endpoint (through a scripted HttpClient), runs the product's code for the flow (a posture poll, alert
// routing, a Test probe, an IOC push...), and reports what broke. For unmutated answers the posture and alert
// drivers also compare the product's pass/fail (or matched rule) with an oracle read from the raw instance.
import { Random } from '../../../sim/prng';
import { ContractError } from '../../../src-shared/errors';
import type { PostureCheck } from '../../../src-shared/schemas/posture';
import { defaultRuleSet } from '../../core/incidents/default-rules';
import { routeAlert } from '../../core/incidents/poller';
import { compileRuleSet, type CompiledRuleSet } from '../../core/incidents/rules';
import { createInventory } from '../../core/posture/current-inventory';
import { pollPosture, type PosturePollOutcome } from '../../core/posture/poll';
import { createFalconClient, type FalconClient } from '../../core/providers/crowdstrike/client';
import { createIntuneClient } from '../../core/providers/intune/client';
import { createSentinelOneClient, type SentinelOneClient } from '../../core/providers/sentinelone/client';
import { endpointSchema, instanceStream, mutate, readableId, type Mutation } from './instances';
import type { HttpRequest } from '../../core/providers/http';
import { SCRIPTED_BASE, scriptedHttp, type EndpointKey, type ScriptedAnswer } from './scripted-http';
import { mdmDrivers } from './mdm-drivers';
import { customScoresDriver } from './custom-driver';

/** A fixed "now" inside the generator's date window. */
export const NOW = Date.parse('2026-12-01T12:00:00Z');

export interface CaseInput {
  /** Drives the linking choices (ids, realistic values) and nothing else. */
  seed: number;
  /** null: the spec-valid answer as generated (the oracle applies); otherwise the variance to apply. */
  plan: readonly Mutation[] | null;
}

export interface CaseReport {
  /** Empty when the case held every invariant (and matched the oracle). */
  violations: string[];
  /** Results the oracle was compared on (posture checks or alert rules), by outcome. */
  compared: Record<string, number>;
  /** What the mutation plan did, for failure messages. */
  applied: string[];
  /** The answer the product was fed (for failure messages). */
  answer: unknown;
}

export interface Driver {
  endpoint: EndpointKey;
  /** The success status generated (the one the product got in its flows). */
  status: number;
  /** Compares with an oracle on unmutated answers. */
  oracle: boolean;
  /** Oracle results spec-valid answers must give at least once each (a threshold check must both pass and fail). */
  outcomes?: readonly string[];
  run(input: CaseInput): Promise<CaseReport>;
}

type Json = Record<string, unknown>;

const FALCON = { clientId: 'a'.repeat(32), getSecret: async () => 'scripted-secret' };
const emptyFalconPage = () => ({ meta: { query_time: 0.001, trace_id: 'scripted' }, resources: [], errors: [] });

/** No fleet is larger; a count beyond it is nonsense the product must not act on. */
const PLAUSIBLE_MAX = 50_000_000;

/**
 * A poll may refuse an answer that reports more records than it holds, after reading the list twice: that is how
 * a cut-short answer looks, and the product keeps the previous results on purpose. Only for a plausible total.
 */
function refusedAsCutShort(error: unknown, total: unknown, held: number): boolean {
  const plausible = typeof total === 'number' && Number.isSafeInteger(total) && total >= 0 && total <= PLAUSIBLE_MAX;
  return error instanceof ContractError && error.code === 'poll.incomplete' && plausible && total > held;
}

/** An error the product raises on purpose: a code, a message and a fix (a diagnosis), not a crash. */
function isDiagnosed(error: unknown): boolean {
  return error instanceof ContractError && typeof error.code === 'string' && error.message.length > 0;
}

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** A client of its own (a token call first): for the token endpoint, whose answer a cached token would skip. */
function freshFalconClient(answer: (endpoint: EndpointKey, n: number) => ScriptedAnswer | undefined): FalconClient {
  const http = scriptedHttp(
    (endpoint, n) => answer(endpoint, n),
    () => NOW,
  );
  return createFalconClient({ ...FALCON, region: 'custom', baseUrl: SCRIPTED_BASE, http });
}

/** A serial the matcher treats as valid and unique, already in its normal form (upper-case alphanumerics). */
const serialOf = (seed: number, i: number) => `FZ${(seed >>> 0).toString(36).toUpperCase()}Q${i}R`;

/** Records of a list answer (an empty list when the answer has none). */
const recordsOf = (answer: Json, key: string): unknown[] => (Array.isArray(answer[key]) ? (answer[key] as unknown[]) : []);

/** The answer's records, grown to `n` with copies of spec-valid records from a pool when it has fewer. */
function fill(answer: Json, key: string, n: number, pool: (r: Random) => Json, r: Random): Json[] {
  const records = recordsOf(answer, key).filter((x): x is Json => x !== null && typeof x === 'object');
  while (records.length < n) {
    const more = recordsOf(pool(r), key).filter((x): x is Json => x !== null && typeof x === 'object');
    if (more.length > 0) records.push(structuredClone(r.pick(more)));
  }
  answer[key] = records.slice(0, n);
  return answer[key] as Json[];
}

function stream(provider: 'falcon' | 'sentinelone' | 'intune', method: string, path: string, status: number, seed: number) {
  const schema = endpointSchema(provider, method, path, status);
  const next = instanceStream(schema, seed);
  const pool: Json[] = [];
  return {
    schema,
    /** A fresh instance: the endpoint under test gets one per case. */
    next,
    /** A copy of one of POOL_SIZE instances: the other calls of a flow need spec-valid answers, not new ones. */
    pooled(r: Random): Json {
      if (pool.length < POOL_SIZE) pool.push(next());
      return structuredClone(r.pick(pool));
    },
  };
}

const POOL_SIZE = 48;

/** A scripted client per driver, reused across cases (its token stays cached); each case swaps the answers. */
function scriptedClients() {
  let answer: (endpoint: EndpointKey, n: number, req: HttpRequest) => ScriptedAnswer | undefined = () => undefined;
  let counts = new Map<EndpointKey, number>();
  const http = scriptedHttp(
    (endpoint, _, req) => {
      const n = counts.get(endpoint) ?? 0;
      counts.set(endpoint, n + 1);
      return answer(endpoint, n, req);
    },
    () => NOW,
  );
  const falcon = createFalconClient({ ...FALCON, region: 'custom', baseUrl: SCRIPTED_BASE, http });
  const s1 = createSentinelOneClient({ apiUrl: SCRIPTED_BASE, getToken: async () => 'scripted-s1-token', http, clock: http.clock });
  const intune = createIntuneClient({
    tenantId: 'contoso.onmicrosoft.com',
    clientId: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
    cloud: 'custom',
    loginUrl: SCRIPTED_BASE,
    graphUrl: SCRIPTED_BASE,
    getSecret: async () => 'scripted-intune-secret',
    http,
    clock: http.clock,
    backoffBaseMs: 0,
  });
  return {
    falcon,
    s1,
    intune,
    /** Answers for the next case; call counts start again. */
    script(next: (endpoint: EndpointKey, n: number, req: HttpRequest) => ScriptedAnswer | undefined) {
      answer = next;
      counts = new Map();
    },
  };
}

// ---- Falcon posture: combined hosts (or scroll + details), ZTA assessments, online state -----------------

type FalconPostureTarget = 'combined' | 'scroll' | 'details' | 'zta' | 'online';

const FALCON_CHECKS: PostureCheck[] = [
  { id: 'zta-overall', name: 'ZTA overall at least 60', providerId: 'falcon', enabled: true, rule: { attribute: 'overall', operator: '>=', value: 60 } },
  { id: 'online', name: 'Online', providerId: 'falcon', enabled: true, rule: { attribute: 'state', accepted: ['online'] } },
];

/** Oracle, read from the raw records: ZTA scores are 0-100 (the documented range), anything else is no score. */
function ztaOracle(zta: Json | undefined): 'pass' | 'fail' | 'unknown' {
  const assessment = zta?.assessment as Json | undefined | null;
  const overall = assessment && typeof assessment === 'object' ? assessment.overall : undefined;
  if (typeof overall !== 'number' || !Number.isInteger(overall) || overall < 0 || overall > 100) return 'unknown';
  return overall >= 60 ? 'pass' : 'fail';
}

function onlineOracle(online: Json | undefined): 'pass' | 'fail' | 'unknown' {
  if (!online || typeof online.state !== 'string') return 'unknown';
  return online.state === 'online' ? 'pass' : 'fail';
}

const normalized = (serial: unknown) => (typeof serial === 'string' ? serial.toUpperCase().replace(/[^0-9A-Z]/g, '') : '');

function rowsBySerial(outcome: PosturePollOutcome): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const row of outcome.evaluations.rows) {
    const key = normalized(row.serial);
    const checks = out.get(key) ?? new Map<string, string>();
    checks.set(row.checkId, row.result);
    out.set(key, checks);
  }
  return out;
}

/** Every unknown says why; every result is one of the three. */
function rowViolations(outcome: PosturePollOutcome): string[] {
  const violations: string[] = [];
  for (const row of outcome.evaluations.rows) {
    if (!['pass', 'fail', 'unknown'].includes(row.result)) violations.push(`row ${row.deviceName}: result ${String(row.result)}`);
    if (row.result === 'unknown' && !(typeof row.reason === 'string' && row.reason.trim().length > 0))
      violations.push(`row ${row.deviceName} ${row.checkId}: unknown without a reason`);
  }
  return violations;
}

/** Records without a readable id the poll reports as set aside. */
const setAsideOf = (outcome: PosturePollOutcome): number => outcome.summary.setAside;

export function falconPostureDriver(target: FalconPostureTarget): Driver {
  const combined = stream('falcon', 'GET', '/devices/combined/devices/v1', 200, 101);
  const scroll = stream('falcon', 'GET', '/devices/queries/devices-scroll/v1', 200, 102);
  const details = stream('falcon', 'POST', '/devices/entities/devices/v2', 200, 103);
  const zta = stream('falcon', 'GET', '/zero-trust-assessment/entities/assessments/v1', 200, 104);
  const online = stream('falcon', 'GET', '/devices/entities/online-state/v1', 200, 105);
  const streams = { combined, scroll, details, zta, online };
  const endpoint: Record<FalconPostureTarget, EndpointKey> = {
    combined: 'falcon GET /devices/combined/devices/v1',
    scroll: 'falcon GET /devices/queries/devices-scroll/v1',
    details: 'falcon POST /devices/entities/devices/v2',
    zta: 'falcon GET /zero-trust-assessment/entities/assessments/v1',
    online: 'falcon GET /devices/entities/online-state/v1',
  };
  const fallback = target === 'scroll' || target === 'details';
  const clients = scriptedClients();

  return {
    endpoint: endpoint[target],
    status: 200,
    oracle: true,
    async run({ seed, plan }) {
      const r = new Random(seed);
      // A fresh instance for the endpoint under test; pooled spec-valid answers for the rest of the flow.
      const answers = Object.fromEntries(
        (Object.keys(streams) as FalconPostureTarget[]).map((k) => [k, k === target ? streams[k].next() : streams[k].pooled(r)]),
      ) as Record<FalconPostureTarget, Json>;
      // The target's generated list decides how many hosts this case has (0-3 as generated).
      const n = recordsOf(answers[target], 'resources').length;
      const hostSource = fallback ? answers.details : answers.combined;
      const hosts = fill(hostSource, 'resources', n, combined.pooled, r);
      hosts.forEach((host, i) => {
        host.device_id = `fz${seed >>> 0}h${i}`;
        host.serial_number = serialOf(seed, i);
      });
      (answers.combined.meta as Json).pagination = { total: n, offset: '' };
      answers.scroll.resources = hosts.map((h) => h.device_id);
      (answers.scroll.meta as Json).pagination = { total: n, offset: '' };
      // Each host has an assessment and an online state in most cases; realistic scores most of the time.
      const assessments = fill(answers.zta, 'resources', n, zta.pooled, r);
      assessments.forEach((a, i) => {
        a.aid = hosts[i]?.device_id;
        if (r.chance(0.8)) a.assessment = { overall: r.int(0, 100), os: r.int(0, 100), sensor_config: r.int(0, 100), version: '3.6.1' };
      });
      if (target !== 'zta') answers.zta.resources = assessments.filter(() => r.chance(0.85));
      const states = fill(answers.online, 'resources', n, online.pooled, r);
      states.forEach((s, i) => {
        s.id = hosts[i]?.device_id;
        if (r.chance(0.8)) s.state = r.pick(['online', 'offline', 'unknown']);
      });
      if (target !== 'online') answers.online.resources = states.filter(() => r.chance(0.85));

      const raw = structuredClone(answers);
      const { answer: fed, applied } = plan ? mutate(answers[target], streams[target].schema, plan) : { answer: answers[target], applied: [] };
      answers[target] = fed;

      const client = clients.falcon;
      clients.script((key, call, req) => {
        if (key === endpoint.combined) return fallback ? undefined : { status: 200, body: call === 0 ? answers.combined : emptyFalconPage() };
        if (key === endpoint.scroll) return { status: 200, body: call === 0 ? answers.scroll : emptyFalconPage() };
        if (key === endpoint.details) {
          if (target === 'details') return { status: 200, body: answers.details };
          // Details of the hosts asked for, as the API answers them.
          const asked = new Set((req.json as { ids?: unknown[] } | undefined)?.ids ?? []);
          return { status: 200, body: { ...answers.details, resources: hosts.filter((h) => asked.has(h.device_id)) } };
        }
        if (key === endpoint.zta) return { status: 200, body: answers.zta };
        if (key === endpoint.online) return { status: 200, body: answers.online };
        return undefined;
      });
      const report: CaseReport = { violations: [], compared: {}, applied, answer: fed };
      let outcome: PosturePollOutcome;
      try {
        outcome = await pollPosture({
          providerId: 'falcon',
          pollIntervalMs: 3_600_000,
          source: { kind: 'crowdstrike-zta', client },
          checks: FALCON_CHECKS,
          inventory: createInventory(),
          now: () => NOW,
        });
      } catch (error) {
        const page = answers[fallback ? 'scroll' : 'combined'];
        const total = ((page.meta as Json | undefined)?.pagination as Json | undefined)?.total;
        const listed = fallback
          ? recordsOf(answers.scroll, 'resources').filter((id) => typeof id === 'string' && id !== '')
          : recordsOf(answers.combined, 'resources').map((h) => readableId(h, 'device_id'));
        const held = new Set(listed.filter((id) => id !== null)).size;
        if (!(plan && refusedAsCutShort(error, total, held))) report.violations.push(`the poll failed: ${describeError(error)}`);
        return report;
      }
      report.violations.push(...rowViolations(outcome));
      if (plan === null) {
        const results = rowsBySerial(outcome);
        const byAid = new Map(recordsOf(raw.zta, 'resources').map((a) => [(a as Json).aid, a as Json]));
        const byId = new Map(recordsOf(raw.online, 'resources').map((s) => [(s as Json).id, s as Json]));
        for (const host of recordsOf(raw[fallback ? 'details' : 'combined'], 'resources') as Json[]) {
          const got = results.get(normalized(host.serial_number));
          const expected = { 'zta-overall': ztaOracle(byAid.get(host.device_id)), online: onlineOracle(byId.get(host.device_id)) };
          for (const [check, want] of Object.entries(expected)) {
            const have = got?.get(check);
            report.compared[want] = (report.compared[want] ?? 0) + 1;
            if (have !== want) report.violations.push(`host ${String(host.device_id)} check ${check}: product ${have ?? 'no row'}, oracle ${want}`);
          }
        }
      } else if (target === 'combined' || target === 'details') {
        const records = recordsOf(fed, 'resources');
        const ids = new Set(records.map((h) => readableId(h, 'device_id')).filter((id) => id !== null));
        const aside = records.filter((h) => readableId(h, 'device_id') === null).length;
        if (outcome.summary.records !== ids.size)
          report.violations.push(`${records.length} host records with ${ids.size} readable ids became ${outcome.summary.records} devices`);
        const counted = setAsideOf(outcome);
        if (counted !== aside) report.violations.push(`${aside} records without a readable id, ${counted} counted as set aside`);
      } else {
        // Variant ZTA or online-state answers never cost a host; a variant scroll answer names the hosts read.
        const linked = new Set(hosts.map((h) => h.device_id));
        const named = target === 'scroll' ? new Set(recordsOf(fed, 'resources').filter((id) => linked.has(id))).size : n;
        if (outcome.summary.records !== named)
          report.violations.push(`${named} hosts became ${outcome.summary.records} devices after a variant ${target} answer`);
      }
      return report;
    },
  };
}

// ---- SentinelOne posture: agents --------------------------------------------------------------------

const S1_CHECKS: PostureCheck[] = [
  { id: 'infected', name: 'Not infected', providerId: 's1', enabled: true, rule: { attribute: 'infected', expected: false } },
  { id: 'network', name: 'Connected', providerId: 's1', enabled: true, rule: { attribute: 'network_status', accepted: ['connected'] } },
  { id: 'threats', name: 'No threats', providerId: 's1', enabled: true, rule: { attribute: 'active_threats', operator: '<=', value: 0 } },
];

function s1Oracle(agent: Json): Record<string, 'pass' | 'fail' | 'unknown'> {
  return {
    infected: typeof agent.infected === 'boolean' ? (agent.infected ? 'fail' : 'pass') : 'unknown',
    network: typeof agent.networkStatus === 'string' ? (agent.networkStatus === 'connected' ? 'pass' : 'fail') : 'unknown',
    threats: typeof agent.activeThreats === 'number' && Number.isFinite(agent.activeThreats) ? (agent.activeThreats <= 0 ? 'pass' : 'fail') : 'unknown',
  };
}

export function s1AgentsDriver(): Driver {
  const agents = stream('sentinelone', 'GET', '/agents', 200, 201);
  const clients = scriptedClients();
  return {
    endpoint: 'sentinelone GET /agents',
    status: 200,
    oracle: true,
    async run({ seed, plan }) {
      const r = new Random(seed);
      const answer = agents.next();
      const n = recordsOf(answer, 'data').length;
      const records = fill(answer, 'data', n, agents.pooled, r);
      records.forEach((a, i) => {
        a.id = String(900_000 + i);
        a.serialNumber = serialOf(seed, i);
        if (r.chance(0.7)) a.activeThreats = r.int(0, 3);
      });
      answer.pagination = { totalItems: n, nextCursor: null };
      const raw = structuredClone(answer);
      const { answer: fed, applied } = plan ? mutate(answer, agents.schema, plan) : { answer, applied: [] };
      const client = clients.s1;
      clients.script((key, call) =>
        key === 'sentinelone GET /agents' ? { status: 200, body: call === 0 ? fed : { data: [], pagination: { totalItems: 0, nextCursor: null } } } : undefined,
      );
      const report: CaseReport = { violations: [], compared: {}, applied, answer: fed };
      let outcome: PosturePollOutcome;
      try {
        outcome = await pollPosture({
          providerId: 's1',
          pollIntervalMs: 3_600_000,
          source: { kind: 'sentinelone', client },
          checks: S1_CHECKS,
          inventory: createInventory(),
          now: () => NOW,
        });
      } catch (error) {
        const total = (fed.pagination as Json | undefined)?.totalItems;
        const held = new Set(recordsOf(fed, 'data').map((a) => readableId(a, 'id', { numbers: true }))).size;
        if (!(plan && refusedAsCutShort(error, total, held))) report.violations.push(`the poll failed: ${describeError(error)}`);
        return report;
      }
      report.violations.push(...rowViolations(outcome));
      if (plan === null) {
        const results = rowsBySerial(outcome);
        for (const agent of recordsOf(raw, 'data') as Json[]) {
          const got = results.get(normalized(agent.serialNumber));
          for (const [check, want] of Object.entries(s1Oracle(agent))) {
            const have = got?.get(check);
            report.compared[want] = (report.compared[want] ?? 0) + 1;
            if (have !== want) report.violations.push(`agent ${String(agent.id)} check ${check}: product ${have ?? 'no row'}, oracle ${want}`);
          }
        }
      } else {
        const list = recordsOf(fed, 'data');
        const ids = new Set(list.map((a) => readableId(a, 'id', { numbers: true })).filter((id) => id !== null));
        const aside = list.filter((a) => readableId(a, 'id', { numbers: true }) === null).length;
        if (outcome.summary.records !== ids.size)
          report.violations.push(`${list.length} agents with ${ids.size} readable ids became ${outcome.summary.records} devices`);
        const counted = setAsideOf(outcome);
        if (counted !== aside) report.violations.push(`${aside} agents without a readable id, ${counted} counted as set aside`);
      }
      return report;
    },
  };
}

// ---- Falcon alerts: records routed through the rule set -------------------------------------------------

const TACTICS = ['Execution', 'Persistence', 'Exfiltration', 'Impact', 'Discovery', 'Defense Evasion'];

/** The seed rules, read from the raw alert: which rule (0, 1, 2) matches first, or none. */
function ruleOracle(alert: Json): number | null {
  const severity = typeof alert.severity === 'number' && Number.isFinite(alert.severity) ? alert.severity : undefined;
  if ((severity !== undefined && severity >= 80) || ['Execution', 'Exfiltration', 'Impact'].includes(alert.tactic as string)) return 0;
  if (severity !== undefined && severity >= 50) return 1;
  if (severity !== undefined && severity < 50) return 2;
  return null;
}

let rules: CompiledRuleSet | undefined;
function seedRules(): CompiledRuleSet {
  if (!rules) {
    const compiled = compileRuleSet(defaultRuleSet());
    if (!compiled.ok) throw new Error('the seed rules do not compile');
    rules = compiled.compiled;
  }
  return rules;
}

export function alertEntitiesDriver(): Driver {
  const entities = stream('falcon', 'POST', '/alerts/entities/alerts/v2', 200, 301);
  const clients = scriptedClients();
  return {
    endpoint: 'falcon POST /alerts/entities/alerts/v2',
    status: 200,
    oracle: true,
    async run({ seed, plan }) {
      const r = new Random(seed);
      const answer = entities.next();
      const alerts = fill(answer, 'resources', recordsOf(answer, 'resources').length, entities.pooled, r);
      alerts.forEach((a, i) => {
        a.composite_id = `fz${seed >>> 0}:ind:a${i}`;
        if (r.chance(0.7)) a.severity = r.int(1, 100);
        if (r.chance(0.5)) a.tactic = r.pick(TACTICS);
      });
      const raw = structuredClone(answer);
      const { answer: fed, applied } = plan ? mutate(answer, entities.schema, plan) : { answer, applied: [] };
      const client = clients.falcon;
      clients.script((key) => (key === 'falcon POST /alerts/entities/alerts/v2' ? { status: 200, body: fed } : undefined));
      const report: CaseReport = { violations: [], compared: {}, applied, answer: fed };
      const ids = alerts.map((a) => a.composite_id as string);
      let routed: ReturnType<typeof routeAlert>[];
      try {
        const records = await client.alerts.get(ids.length > 0 ? ids : ['fz:none']);
        routed = records.map((alert) => routeAlert(seedRules(), alert as Record<string, unknown>, NOW));
      } catch (error) {
        report.violations.push(`reading alerts failed: ${describeError(error)}`);
        return report;
      }
      if (plan === null) {
        const byId = new Map(routed.map((x) => [x.summary.compositeId, x]));
        for (const alert of recordsOf(raw, 'resources') as Json[]) {
          const want = ruleOracle(alert);
          const got = byId.get(alert.composite_id as string);
          const label = want === null ? 'no_match' : `rule ${want}`;
          report.compared[label] = (report.compared[label] ?? 0) + 1;
          const have = got ? (got.rule ? `rule ${got.rule.index}` : 'no_match') : 'not returned';
          if (have !== label)
            report.violations.push(
              `alert ${String(alert.composite_id)} (severity ${String(alert.severity)}, tactic ${String(alert.tactic)}): product ${have}, oracle ${label}`,
            );
        }
      } else {
        const readable = new Set(
          recordsOf(fed, 'resources')
            .map((a) => readableId(a, 'composite_id'))
            .filter((id) => id !== null),
        );
        for (const x of routed)
          if (!readable.has(x.summary.compositeId)) report.violations.push(`routed an alert with no readable composite_id (${x.summary.compositeId})`);
      }
      return report;
    },
  };
}

// ---- everything else the product calls: the answer is read into a result or a diagnosis, never a crash ----

interface SimpleSpec {
  endpoint: EndpointKey;
  status: number;
  /** Runs the product's call that reads this endpoint (the clients' answers are scripted for the case). */
  call: (clients: { falcon: FalconClient; s1: SentinelOneClient }, answer: (key: EndpointKey, n: number) => ScriptedAnswer | undefined) => Promise<unknown>;
  /** A spec-valid answer the product may still refuse with a diagnosis (e.g. a token answer without a token). */
  mayRefuse?: (answer: Json) => boolean;
  /** The other calls of the flow, answered plainly (an empty page), e.g. the duplicate search before an IOC push. */
  support?: readonly EndpointKey[];
}

function simpleDriver(spec: SimpleSpec): Driver {
  const [provider = 'falcon', method = 'GET', path = '/'] = spec.endpoint.split(' ');
  const source = stream(provider as 'falcon' | 'sentinelone', method, path, spec.status, 400 + spec.endpoint.length);
  const clients = scriptedClients();
  return {
    endpoint: spec.endpoint,
    status: spec.status,
    oracle: false,
    async run({ plan }) {
      const generated = source.next();
      const { answer, applied } = plan ? mutate(generated, source.schema, plan) : { answer: generated, applied: [] };
      const report: CaseReport = { violations: [], compared: {}, applied, answer };
      try {
        const script = (key: EndpointKey, n: number): ScriptedAnswer | undefined => {
          // Later calls (the next page) find the end of the list.
          if (key === spec.endpoint) return { status: spec.status, body: n === 0 ? answer : emptyFalconPage() };
          return spec.support?.includes(key) ? { status: 200, body: emptyFalconPage() } : undefined;
        };
        clients.script(script);
        await spec.call(clients, script);
      } catch (error) {
        const allowed = isDiagnosed(error) && (plan !== null || (spec.mayRefuse?.(generated) ?? false));
        if (!allowed) report.violations.push(`${isDiagnosed(error) ? 'refused a spec-valid answer' : 'uncaught error'}: ${describeError(error)}`);
      }
      return report;
    },
  };
}

const IOC_INPUT = { type: 'domain', value: 'fuzz.example', action: 'detect', severity: 'high', platforms: ['windows'] } as const;
const hasToken = (a: Json) => typeof a.access_token === 'string' && a.access_token !== '' && typeof a.expires_in === 'number' && a.expires_in > 0;

export function simpleDrivers(): Driver[] {
  return [
    simpleDriver({ endpoint: 'falcon POST /oauth2/token', status: 201, call: (_, a) => freshFalconClient(a).authenticate(), mayRefuse: (x) => !hasToken(x) }),
    simpleDriver({
      endpoint: 'falcon POST /oauth2/revoke',
      status: 200,
      call: async ({ falcon }) => {
        await falcon.authenticate();
        await falcon.revokeToken();
      },
    }),
    simpleDriver({ endpoint: 'falcon GET /zero-trust-assessment/queries/assessments/v1', status: 200, call: ({ falcon }) => falcon.zta.queryAids() }),
    simpleDriver({
      endpoint: 'falcon GET /alerts/queries/alerts/v2',
      status: 200,
      call: ({ falcon }) => falcon.alerts.poll({ createdAfter: '2026-11-30T00:00:00Z' }),
      support: ['falcon POST /alerts/entities/alerts/v2'],
    }),
    simpleDriver({ endpoint: 'falcon GET /iocs/queries/indicators/v1', status: 200, call: ({ falcon }) => falcon.iocs.search({ filter: "type:'domain'" }) }),
    simpleDriver({ endpoint: 'falcon GET /iocs/entities/indicators/v1', status: 200, call: ({ falcon }) => falcon.iocs.get(['fz-ioc']) }),
    simpleDriver({
      endpoint: 'falcon POST /iocs/entities/indicators/v1',
      status: 201,
      call: ({ falcon }) => falcon.iocs.create({ ...IOC_INPUT, platforms: ['windows'] }),
      support: ['falcon GET /iocs/queries/indicators/v1', 'falcon GET /iocs/entities/indicators/v1'],
    }),
    simpleDriver({ endpoint: 'falcon DELETE /iocs/entities/indicators/v1', status: 200, call: ({ falcon }) => falcon.iocs.delete(['fz-ioc']) }),
    simpleDriver({ endpoint: 'falcon POST /devices/entities/devices-actions/v2', status: 202, call: ({ falcon }) => falcon.containment.contain(['fz-host']) }),
    simpleDriver({ endpoint: 'sentinelone GET /system/status', status: 200, call: ({ s1 }) => s1.systemStatus() }),
    simpleDriver({ endpoint: 'sentinelone POST /users/api-token-details', status: 200, call: ({ s1 }) => s1.tokenExpiry() }),
  ];
}

/** Every driver, by the endpoint it feeds. */
// ---- Intune posture: Graph managedDevices -----------------------------------------------------------------

const INTUNE_CHECKS: PostureCheck[] = [
  { id: 'compliant', name: 'Compliant', providerId: 'intune', enabled: true, rule: { attribute: 'complianceState', accepted: ['compliant'] } },
  { id: 'encrypted', name: 'Encrypted', providerId: 'intune', enabled: true, rule: { attribute: 'isEncrypted', expected: true } },
];

/** The oracle, from the raw device: a value of the spec's type decides, anything else is unknown. */
function intuneOracle(device: Json): Record<string, 'pass' | 'fail' | 'unknown'> {
  return {
    compliant:
      typeof device.complianceState === 'string' && device.complianceState !== '' ? (device.complianceState === 'compliant' ? 'pass' : 'fail') : 'unknown',
    encrypted: typeof device.isEncrypted === 'boolean' ? (device.isEncrypted ? 'pass' : 'fail') : 'unknown',
  };
}

export function intuneDevicesDriver(): Driver {
  const PATH = '/v1.0/deviceManagement/managedDevices';
  const devices = stream('intune', 'GET', PATH, 200, 301);
  const clients = scriptedClients();
  return {
    endpoint: `intune GET ${PATH}`,
    status: 200,
    oracle: true,
    async run({ seed, plan }) {
      const r = new Random(seed);
      const answer = devices.next();
      const n = recordsOf(answer, 'value').length;
      const records = fill(answer, 'value', n, devices.pooled, r);
      records.forEach((d, i) => {
        d.id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        d.serialNumber = serialOf(seed, i);
      });
      delete answer['@odata.nextLink'];
      answer['@odata.count'] = n;
      const raw = structuredClone(answer);
      const { answer: fed, applied } = plan ? mutate(answer, devices.schema, plan) : { answer, applied: [] };
      clients.script((key, call) => (key === `intune GET ${PATH}` ? { status: 200, body: call === 0 ? fed : { value: [] } } : undefined));
      const report: CaseReport = { violations: [], compared: {}, applied, answer: fed };
      let outcome: PosturePollOutcome;
      try {
        outcome = await pollPosture({
          providerId: 'intune',
          pollIntervalMs: 3_600_000,
          source: { kind: 'intune', client: clients.intune },
          checks: INTUNE_CHECKS,
          inventory: createInventory(),
          now: () => NOW,
        });
      } catch (error) {
        const total = fed['@odata.count'];
        const held = new Set(recordsOf(fed, 'value').map((d) => readableId(d, 'id'))).size;
        if (!(plan && refusedAsCutShort(error, typeof total === 'number' ? total : undefined, held)))
          report.violations.push(`the poll failed: ${describeError(error)}`);
        return report;
      }
      report.violations.push(...rowViolations(outcome));
      if (plan === null) {
        const results = rowsBySerial(outcome);
        for (const device of recordsOf(raw, 'value') as Json[]) {
          const got = results.get(normalized(device.serialNumber));
          for (const [check, want] of Object.entries(intuneOracle(device))) {
            const have = got?.get(check);
            report.compared[want] = (report.compared[want] ?? 0) + 1;
            if (have !== want) report.violations.push(`device ${String(device.serialNumber)} check ${check}: got ${String(have)}, oracle ${want}`);
          }
        }
      }
      return report;
    },
  };
}

export function allDrivers(): Map<EndpointKey, Driver> {
  const drivers = [
    intuneDevicesDriver(),
    falconPostureDriver('combined'),
    falconPostureDriver('scroll'),
    falconPostureDriver('details'),
    falconPostureDriver('zta'),
    falconPostureDriver('online'),
    s1AgentsDriver(),
    alertEntitiesDriver(),
    ...simpleDrivers(),
    ...mdmDrivers(),
    customScoresDriver(),
  ];
  return new Map(drivers.map((d) => [d.endpoint, d]));
}
