// Spec-generated answers for the Jamf Pro and Kandji endpoints the product calls: the inventory and device list
// feed a real posture poll (with an oracle on unmutated answers: FileVault/firewall for Jamf, agent/MDM for
// Kandji); the token, version and licence answers are read into a result or a diagnosis, never a crash.
import { Random } from '../../../sim/prng';
import type { JsonSchema } from '../../../sim/spec/load';
import { ContractError } from '../../../src-shared/errors';
import type { PostureCheck } from '../../../src-shared/schemas/posture';
import { createInventory } from '../../core/posture/current-inventory';
import { pollPosture, type PosturePollOutcome } from '../../core/posture/poll';
import type { HttpRequest } from '../../core/providers/http';
import { createJamfClient } from '../../core/providers/jamf/client';
import { createKandjiClient } from '../../core/providers/kandji/client';
import type { CaseReport, Driver } from './drivers';
import { endpointSchema, instanceStream, mutate, readableId, type EndpointSchema } from './instances';
import { SCRIPTED_BASE, scriptedHttp, type EndpointKey, type ScriptedAnswer } from './scripted-http';

type Json = Record<string, unknown>;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const JAMF_TOKEN: ScriptedAnswer = { status: 200, body: { access_token: 'scripted-jamf', expires_in: 600, scope: 'api-role:1', token_type: 'Bearer' } };
const serialOf = (seed: number, i: number) => `JZ${(seed >>> 0).toString(36).toUpperCase()}Q${i}R`;
const normalized = (serial: unknown) => (typeof serial === 'string' ? serial.toUpperCase().replace(/[^0-9A-Z]/g, '') : '');
const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
const isDiagnosed = (error: unknown) => error instanceof ContractError && typeof error.code === 'string' && error.message.length > 0;

function clientsFor(answer: () => (key: EndpointKey, n: number, req: HttpRequest) => ScriptedAnswer | undefined) {
  let counts = new Map<EndpointKey, number>();
  const http = scriptedHttp(
    (key, _, req) => {
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      return answer()(key, n, req) ?? (key === 'jamf POST /api/oauth/token' ? JAMF_TOKEN : undefined);
    },
    () => NOW,
  );
  return {
    reset: () => (counts = new Map()),
    jamf: () =>
      createJamfClient({ serverUrl: `${SCRIPTED_BASE}/jamf`, clientId: 'scripted', getSecret: async () => 'scripted-secret', http, clock: http.clock }),
    kandji: () =>
      createKandjiClient({ apiUrl: `${SCRIPTED_BASE}/kandji`, getToken: async () => 'scripted-token', http, clock: http.clock, requestsPerHour: 10_000_000 }),
  };
}

function rowsBySerial(outcome: PosturePollOutcome): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const row of outcome.evaluations.rows) {
    const checks = out.get(normalized(row.serial)) ?? new Map<string, string>();
    checks.set(row.checkId, row.result);
    out.set(normalized(row.serial), checks);
  }
  return out;
}

function rowViolations(outcome: PosturePollOutcome): string[] {
  return outcome.evaluations.rows
    .filter((row) => !['pass', 'fail', 'unknown'].includes(row.result) || (row.result === 'unknown' && !row.reason?.trim()))
    .map((row) => `row ${row.deviceName} ${row.checkId}: ${row.result} without a reason`);
}

const boolOracle = (value: unknown, want: boolean): 'pass' | 'fail' | 'unknown' =>
  typeof value === 'boolean' ? (value === want ? 'pass' : 'fail') : 'unknown';

// ---- Jamf Pro: computers-inventory v4 -----------------------------------------------------------------

const JAMF_CHECKS: PostureCheck[] = [
  { id: 'filevault', name: 'FileVault', providerId: 'jamf', enabled: true, rule: { attribute: 'fileVault2Status', accepted: ['ALL_ENCRYPTED'] } },
  { id: 'firewall', name: 'Firewall', providerId: 'jamf', enabled: true, rule: { attribute: 'firewallEnabled', expected: true } },
];

function jamfOracle(c: Json): Record<string, 'pass' | 'fail' | 'unknown'> {
  const os = (c.operatingSystem ?? null) as Json | null;
  const security = (c.security ?? null) as Json | null;
  const fv = os?.fileVault2Status;
  return {
    filevault: typeof fv === 'string' && fv !== '' ? (fv === 'ALL_ENCRYPTED' ? 'pass' : 'fail') : 'unknown',
    firewall: boolOracle(security?.firewallEnabled, true),
  };
}

export function jamfInventoryDriver(): Driver {
  const schema = endpointSchema('jamf', 'GET', '/api/v4/computers-inventory', 200);
  const next = instanceStream(schema, 601);
  let fed: Json = {};
  const clients = clientsFor(
    () => (key, n) => (key === 'jamf GET /api/v4/computers-inventory' ? { status: 200, body: n === 0 ? fed : { totalCount: 0, results: [] } } : undefined),
  );
  return {
    endpoint: 'jamf GET /api/v4/computers-inventory',
    status: 200,
    oracle: true,
    async run({ seed, plan }) {
      const r = new Random(seed);
      const answer = next();
      const results = (Array.isArray(answer.results) ? answer.results : []).filter((x): x is Json => x !== null && typeof x === 'object');
      results.forEach((c, i) => {
        c.id = String(1000 + i);
        c.hardware = { ...((c.hardware as Json | undefined) ?? {}), serialNumber: serialOf(seed, i) };
        if (r.chance(0.5)) c.security = { ...((c.security as Json | undefined) ?? {}), firewallEnabled: r.chance(0.5) };
      });
      answer.results = results;
      answer.totalCount = results.length;
      const raw = structuredClone(answer);
      const mutated = plan ? mutate(answer, schema, plan) : { answer, applied: [] };
      fed = mutated.answer;
      clients.reset();
      const report: CaseReport = { violations: [], compared: {}, applied: mutated.applied, answer: fed };
      let outcome: PosturePollOutcome;
      try {
        outcome = await pollPosture({
          providerId: 'jamf',
          pollIntervalMs: 3_600_000,
          source: { kind: 'jamf', client: clients.jamf() },
          checks: JAMF_CHECKS,
          inventory: createInventory(),
          now: () => NOW,
        });
      } catch (error) {
        // A variant answer may be refused with a diagnosis (a page cut short, an envelope that is not Jamf's).
        if (!(plan && isDiagnosed(error))) report.violations.push(`the poll failed: ${describeError(error)}`);
        return report;
      }
      report.violations.push(...rowViolations(outcome));
      if (plan === null) {
        const rows = rowsBySerial(outcome);
        for (const c of raw.results as Json[]) {
          const got = rows.get(normalized((c.hardware as Json).serialNumber));
          for (const [check, want] of Object.entries(jamfOracle(c))) {
            report.compared[want] = (report.compared[want] ?? 0) + 1;
            if (got?.get(check) !== want)
              report.violations.push(`computer ${String(c.id)} check ${check}: product ${got?.get(check) ?? 'no row'}, oracle ${want}`);
          }
        }
      } else {
        const list = Array.isArray(fed.results) ? fed.results : [];
        const ids = new Set(list.map((c) => readableId(c, 'id', { numbers: true })).filter((id) => id !== null));
        if (outcome.summary.records !== ids.size)
          report.violations.push(`${list.length} computers with ${ids.size} readable ids became ${outcome.summary.records} devices`);
      }
      return report;
    },
  };
}

// ---- Kandji: the device list (a bare array) ----------------------------------------------------------

const KANDJI_CHECKS: PostureCheck[] = [
  { id: 'agent', name: 'Agent', providerId: 'kandji', enabled: true, rule: { attribute: 'agent_installed', expected: true } },
  { id: 'mdm', name: 'MDM', providerId: 'kandji', enabled: true, rule: { attribute: 'mdm_enabled', expected: true } },
];

/** The bare array wrapped as {data: [...]}, so the generator and the mutations see one list of records. */
function kandjiSchema(): EndpointSchema {
  const list = endpointSchema('kandji', 'GET', '/api/v1/devices', 200);
  const { $defs, ...array } = list.schema as JsonSchema & { $defs?: unknown };
  return { ...list, schema: { type: 'object', required: ['data'], properties: { data: array }, $defs }, listKey: 'data' };
}

export function kandjiDevicesDriver(): Driver {
  const schema = kandjiSchema();
  const next = instanceStream(schema, 602);
  let fed: unknown[] = [];
  const clients = clientsFor(() => (key, n) => (key === 'kandji GET /api/v1/devices' ? { status: 200, body: n === 0 ? fed : [] } : undefined));
  return {
    endpoint: 'kandji GET /api/v1/devices',
    status: 200,
    oracle: true,
    async run({ seed, plan }) {
      const answer = next();
      const devices = (Array.isArray(answer.data) ? answer.data : []).filter((x): x is Json => x !== null && typeof x === 'object');
      devices.forEach((d, i) => {
        d.device_id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        d.serial_number = serialOf(seed, i);
      });
      answer.data = devices;
      const raw = structuredClone(devices);
      const mutated = plan ? mutate(answer, schema, plan) : { answer, applied: [] };
      fed = Array.isArray(mutated.answer.data) ? (mutated.answer.data as unknown[]) : [];
      clients.reset();
      const report: CaseReport = { violations: [], compared: {}, applied: mutated.applied, answer: fed };
      let outcome: PosturePollOutcome;
      try {
        outcome = await pollPosture({
          providerId: 'kandji',
          pollIntervalMs: 3_600_000,
          source: { kind: 'kandji', client: clients.kandji() },
          checks: KANDJI_CHECKS,
          inventory: createInventory(),
          now: () => NOW,
        });
      } catch (error) {
        report.violations.push(`the poll failed: ${describeError(error)}`);
        return report;
      }
      report.violations.push(...rowViolations(outcome));
      if (plan === null) {
        const rows = rowsBySerial(outcome);
        for (const d of raw) {
          const got = rows.get(normalized(d.serial_number));
          const want = { agent: boolOracle(d.agent_installed, true), mdm: boolOracle(d.mdm_enabled, true) };
          for (const [check, result] of Object.entries(want)) {
            report.compared[result] = (report.compared[result] ?? 0) + 1;
            if (got?.get(check) !== result)
              report.violations.push(`device ${String(d.device_id)} check ${check}: product ${got?.get(check) ?? 'no row'}, oracle ${result}`);
          }
        }
      } else {
        const ids = new Set(fed.map((d) => readableId(d, 'device_id')).filter((id) => id !== null));
        const aside = fed.filter((d) => readableId(d, 'device_id') === null).length;
        if (outcome.summary.records !== ids.size)
          report.violations.push(`${fed.length} devices with ${ids.size} readable ids became ${outcome.summary.records} devices`);
        if (outcome.summary.setAside !== aside)
          report.violations.push(`${aside} devices without a readable id, ${outcome.summary.setAside} counted as set aside`);
      }
      return report;
    },
  };
}

// ---- the rest: token, version, licence counts ----------------------------------------------------------

function simpleMdmDriver(
  endpoint: EndpointKey,
  call: (c: ReturnType<typeof clientsFor>) => Promise<unknown>,
  mayRefuse: (answer: Json) => boolean = () => false,
): Driver {
  const [provider = 'jamf', method = 'GET', path = '/'] = endpoint.split(' ');
  const status = 200;
  const schema = endpointSchema(provider as 'jamf' | 'kandji', method, path, status);
  const next = instanceStream(schema, 700 + endpoint.length);
  let fed: Json = {};
  const clients = clientsFor(() => (key) => (key === endpoint ? { status, body: fed } : undefined));
  return {
    endpoint,
    status,
    oracle: false,
    async run({ plan }) {
      const generated = next();
      const mutated = plan ? mutate(generated, schema, plan) : { answer: generated, applied: [] };
      fed = mutated.answer;
      clients.reset();
      const report: CaseReport = { violations: [], compared: {}, applied: mutated.applied, answer: fed };
      try {
        await call(clients);
      } catch (error) {
        const allowed = isDiagnosed(error) && (plan !== null || mayRefuse(generated));
        if (!allowed) report.violations.push(`${isDiagnosed(error) ? 'refused a spec-valid answer' : 'uncaught error'}: ${describeError(error)}`);
      }
      return report;
    },
  };
}

const hasJamfToken = (a: Json) => typeof a.access_token === 'string' && a.access_token !== '';

export function mdmDrivers(): Driver[] {
  return [
    jamfInventoryDriver(),
    kandjiDevicesDriver(),
    simpleMdmDriver(
      'jamf POST /api/oauth/token',
      (c) => c.jamf().authenticate(),
      (a) => !hasJamfToken(a),
    ),
    simpleMdmDriver('jamf GET /api/v1/jamf-pro-version', (c) => c.jamf().session.call({ path: '/v1/jamf-pro-version', what: 'read the version' })),
    simpleMdmDriver('kandji GET /api/v1/settings/licensing', (c) => c.kandji().enrolledCount()),
  ];
}
