// Spec-generated answers for the custom HTTPS posture source (shared/reference/custom-posture-source.md §2). Its
// spec is our own zod contract (custom/wire.ts), turned into JSON Schema with z.toJSONSchema; entries are generated
// as a list (so the shared mutation plans reach them) and keyed at request time by the device ids the poll sent:
// some ids left out, some nobody asked for, some given twice (the last wins, as JSON.parse reads it). A real poll
// runs against an inventory another source filled; the oracle reads the score check from the raw body.
import { z } from 'zod';
import { Random } from '../../../sim/prng';
import type { JsonSchema } from '../../../sim/spec/load';
import type { PostureCheck } from '../../../src-shared/schemas/posture';
import { createInventory } from '../../core/posture/current-inventory';
import { pollPosture, type PosturePollOutcome } from '../../core/posture/poll';
import { createCustomClient } from '../../core/providers/custom/client';
import { CustomEntry, type CustomDevice } from '../../core/providers/custom/wire';
import { isProviderError } from '../../core/providers/diagnosis';
import type { CaseReport, Driver } from './drivers';
import { instanceStream, mutate, type EndpointSchema } from './instances';
import { SCRIPTED_BASE, scriptedHttp } from './scripted-http';

type Json = Record<string, unknown>;
type Result = 'pass' | 'fail' | 'unknown';
const NOW = Date.parse('2026-12-01T12:00:00Z');
export const CUSTOM_ENDPOINT = 'custom POST /posture';
/** The whole answer may nest this deep (root, result, then 4 levels per entry, §2.3); deeper is malformed. */
const MAX_BODY_DEPTH = 6;

const depthOf = (value: unknown): number => (value === null || typeof value !== 'object' ? 0 : 1 + Math.max(0, ...Object.values(value as Json).map(depthOf)));
const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * The §2.3 entries as a list under `data`. The loose objects' open extras are closed for generation: an unknown
 * field is the `extra_field` mutation's job, and random nested extras would make most answers too deep.
 */
export function customEntriesSchema(): Pick<EndpointSchema, 'schema' | 'listKey'> {
  const schema = z.toJSONSchema(z.object({ data: z.array(CustomEntry) }), { io: 'input' }) as JsonSchema;
  const close = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const n = node as JsonSchema;
    if (n.type === 'object' && n.properties && typeof n.additionalProperties === 'object' && Object.keys(n.additionalProperties as object).length === 0)
      n.additionalProperties = false;
    for (const v of Object.values(n)) close(v);
  };
  close(schema);
  return { schema, listKey: 'data' };
}

/** How entry i is keyed: the i-th device sent, an id nobody asked for, or the previous entry's id again. */
type Slot = 'sent' | 'unknown' | 'repeat';

/** The score check as the contract states it, from the raw entry (spec-valid: no entry → the default, §2.3). */
function scoreOracle(entry: unknown, threshold: number, failClosed: boolean): Result {
  const closed: Result = failClosed ? 'fail' : 'unknown';
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return closed;
  const score = (entry as Json).score;
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 100) return closed;
  return score >= threshold ? 'pass' : 'fail';
}

const isReadable = (entry: unknown) => scoreOracle(entry, 0, true) === 'pass';

/** Kandji devices with valid serials: the inventory the custom source is asked about. */
function knownDevices(r: Random, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    providerId: 'kandji',
    recordId: `k-${i}`,
    hostname: `host-${i}`,
    serial: `CZ${r.hex(6).toUpperCase()}Q${i}R`,
    macs: [],
    platform: 'macOS',
    lastActivityAt: NOW - 3_600_000,
    retired: false,
    posture: { kind: 'kandji' as const, mdmEnabled: true, agentInstalled: true, osVersion: '15.1', lastCheckIn: NOW - 3_600_000, blueprintName: 'Default' },
  }));
}

export function customScoresDriver(): Driver {
  const endpoint = customEntriesSchema();
  const next = instanceStream(endpoint, 603);
  let entries: unknown[] = [];
  let slots: Slot[] = [];
  let body: Json = {};
  let sent: CustomDevice[] = [];
  const http = scriptedHttp(
    (key, _, req) => {
      if (key !== CUSTOM_ENDPOINT) return undefined;
      sent = ((req.json as { devices?: CustomDevice[] } | undefined)?.devices ?? []).slice();
      const result: Json = {};
      let previous: string | undefined;
      entries.forEach((entry, i) => {
        const slot = slots[i] ?? 'unknown';
        const id = slot === 'sent' && sent[i] ? sent[i].device_id : slot === 'repeat' && previous ? previous : `nobody-asked-${i}`;
        result[id] = entry;
        previous = id;
      });
      body = { result };
      return { status: 200, body };
    },
    () => NOW,
  );
  return {
    endpoint: CUSTOM_ENDPOINT,
    status: 200,
    oracle: true,
    outcomes: ['pass', 'fail'],
    async run({ seed, plan }) {
      const r = new Random(seed);
      const devices = r.int(1, 8);
      const answer = next();
      const generated = (Array.isArray(answer.data) ? answer.data : []).filter((x): x is Json => x !== null && typeof x === 'object');
      // As many entries as devices, give or take two; more come from further instances.
      const want = Math.max(0, devices + r.int(-2, 2));
      while (generated.length < want) generated.push(...((next().data as Json[] | undefined) ?? []));
      answer.data = generated.slice(0, want);
      slots = (answer.data as Json[]).map((_, i) => (i >= devices || r.chance(0.1) ? 'unknown' : i > 0 && r.chance(0.1) ? 'repeat' : 'sent'));
      const mutated = plan ? mutate(answer, endpoint, plan) : { answer, applied: [] };
      entries = Array.isArray(mutated.answer.data) ? (mutated.answer.data as unknown[]) : [];
      body = {};
      sent = [];
      const threshold = r.int(0, 100);
      const failClosed = r.chance(0.75);
      const checks: PostureCheck[] = [
        { id: 'score', name: 'Score', providerId: 'custom', enabled: true, rule: { attribute: 'score', operator: '>=', value: threshold } },
      ];
      const inventory = createInventory();
      inventory.put({
        providerId: 'kandji',
        kind: 'kandji',
        fetchedAt: NOW,
        evaluatedAt: NOW,
        pollIntervalMs: 3_600_000,
        observations: knownDevices(r, devices),
      });
      const client = createCustomClient({ url: `${SCRIPTED_BASE}/custom/posture`, getAuth: async () => ({ mode: 'bearer', token: 'scripted' }), http });
      const report: CaseReport = { violations: [], compared: {}, applied: mutated.applied, answer: entries };
      let outcome: PosturePollOutcome;
      try {
        outcome = await pollPosture({
          providerId: 'custom',
          pollIntervalMs: 3_600_000,
          source: { kind: 'custom', client: { client, failClosed, staleAfterMs: 3 * 3_600_000, now: () => NOW, last: new Map() } },
          checks,
          inventory,
          now: () => NOW,
        });
      } catch (error) {
        // The one whole-answer refusal a varied body may earn: nested deeper than §2.3 allows (the batch is malformed).
        const tooDeep = isProviderError(error) && error.diagnosis.code === 'custom.malformed_response' && depthOf(body) > MAX_BODY_DEPTH;
        if (!(plan && tooDeep)) report.violations.push(`the poll failed: ${describeError(error)}`);
        return report;
      }
      report.answer = body;
      if (sent.length !== devices) report.violations.push(`${devices} known devices, ${sent.length} sent to the endpoint`);
      if (outcome.summary.records !== sent.length) report.violations.push(`${sent.length} devices sent became ${outcome.summary.records} records`);
      const result = (body.result ?? {}) as Json;
      const asked = new Set(sent.map((d) => d.device_id));
      const strangers = Object.keys(result).filter((id) => !asked.has(id)).length;
      if (strangers > 0 && !outcome.summary.warnings.some((w) => w.includes(`answered for ${strangers} device id`)))
        report.violations.push(`${strangers} ids nobody asked for, not counted in the warnings ${JSON.stringify(outcome.summary.warnings)}`);
      const rows = new Map(outcome.evaluations.rows.map((row) => [row.serial, row]));
      const tooDeep = depthOf(body) > MAX_BODY_DEPTH;
      for (const d of sent) {
        const row = rows.get(d.serial_number);
        if (!row) {
          report.violations.push(`device ${d.serial_number}: no row`);
          continue;
        }
        if (row.result === 'unknown' && !row.reason?.trim()) report.violations.push(`device ${d.serial_number}: unknown without a reason`);
        const want = tooDeep ? (failClosed ? 'fail' : 'unknown') : scoreOracle(result[d.device_id], threshold, failClosed);
        if (plan === null) {
          report.compared[want] = (report.compared[want] ?? 0) + 1;
          if (row.result !== want) report.violations.push(`device ${d.device_id} score >= ${threshold}: product ${row.result}, oracle ${want}`);
        } else {
          // No entry: the default (fail closed or unknown). An entry the product cannot read (no readable score, or
          // a bad extension: a long reason, a nested attribute) is invalid: the default or unknown with its reason,
          // never a pass; a readable one may also give the oracle's result.
          const entry = result[d.device_id];
          const closed = failClosed ? 'fail' : 'unknown';
          const allowed = tooDeep || entry === undefined ? [closed] : isReadable(entry) ? [want, closed, 'unknown'] : [closed, 'unknown'];
          if (!allowed.includes(row.result))
            report.violations.push(
              `device ${d.device_id} (entry ${JSON.stringify(entry)?.slice(0, 200)}): product ${row.result}, allowed ${[...new Set(allowed)].join(' or ')}`,
            );
        }
      }
      return report;
    },
  };
}
