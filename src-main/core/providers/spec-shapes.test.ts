// The clients' response schemas accept what the vendors' specs allow: for every endpoint the product reads, a record
// with only the required fields, one with null in every other field, one with every field set, and one with unknown
// enum values and fields the spec never named, built from the spec files themselves, are all read, none set aside.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OnlineState, FalconHost, HOST_RECORD, InventoryHost } from './crowdstrike/hosts';
import { ALERT_RECORD, FalconAlert } from './crowdstrike/alerts';
import { readFalcon } from './crowdstrike/envelope';
import { FalconIoc } from './crowdstrike/iocs';
import { ZTA_RECORD, ZtaAssessment } from './crowdstrike/zta';
import type { HttpResponse } from './http';
import { readRecords, type RecordKind } from './records';
import { AGENT_RECORD, decodeAgentsPage, S1Agent } from './sentinelone/agents';

type Node = { $ref?: string; type?: string; format?: string; enum?: unknown[]; items?: Node; properties?: Record<string, Node>; required?: string[] };
type Spec = { definitions?: Record<string, Node>; components?: { schemas: Record<string, Node> } };

const load = (file: string): Spec => JSON.parse(readFileSync(new URL(`../../../../shared/specs/${file}`, import.meta.url), 'utf8')) as Spec;
const falcon2023 = load('falcon-swagger-2023-05-30.json');
const supplement = load('falcon-swagger-supplement-alerts-hosts-2026.json');
const s1 = load('sentinelone-mgmt-v2.1-subset.json');

type Mode = 'required' | 'nulls' | 'full' | 'odd';

function resolve(spec: Spec, node: Node): Node {
  let current = node;
  for (let hops = 0; current.$ref && hops < 20; hops++) {
    const name = current.$ref.replace(/^#\/(definitions|components\/schemas)\//, '');
    current = spec.definitions?.[name] ?? spec.components?.schemas[name] ?? {};
  }
  return current;
}

/**
 * An instance of a spec schema: `required` sets only required fields; `nulls` sets the others to null; `full` sets
 * every field; `odd` is `full` with an enum value the spec does not list and a field it never named on every object.
 */
function instance(spec: Spec, raw: Node, mode: Mode, depth = 0): unknown {
  const node = resolve(spec, raw);
  if (node.enum) return mode === 'odd' && typeof node.enum[0] === 'string' ? 'a_value_added_later' : node.enum[0];
  if (node.properties || node.type === 'object') {
    const out: Record<string, unknown> = {};
    const required = new Set(node.required ?? []);
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (required.has(key)) out[key] = instance(spec, child, mode, depth + 1);
      else if (mode === 'nulls') out[key] = null;
      else if ((mode === 'full' || mode === 'odd') && depth < 6) out[key] = instance(spec, child, mode, depth + 1);
    }
    if (mode === 'odd') out.field_added_later = { nested: [1, 'two', null] };
    return out;
  }
  switch (node.type) {
    case 'string':
      return node.format === 'date-time' ? '2026-12-06T10:00:00.123456789Z' : 'x';
    case 'integer':
      return 42;
    case 'number':
      return 4.2;
    case 'boolean':
      return true;
    case 'array':
      return (mode === 'full' || mode === 'odd') && node.items && depth < 6 ? [instance(spec, node.items, mode, depth + 1)] : [];
    default:
      return mode === 'nulls' ? null : 'x';
  }
}

interface Endpoint {
  name: string;
  spec: Spec;
  definition: string;
  schema: z.ZodType;
  kind?: RecordKind<unknown>;
}

// The record kind of every endpoint whose records the product reads (ids-only answers are strings).
const endpoints: Endpoint[] = [
  {
    name: 'GET /devices/combined/devices/v1 (2026)',
    spec: supplement,
    definition: 'DeviceapiDeviceSwagger',
    schema: InventoryHost,
    kind: HOST_RECORD as RecordKind<unknown>,
  },
  {
    name: 'POST /devices/entities/devices/v2 (as an inventory reads it)',
    spec: falcon2023,
    definition: 'deviceapi.DeviceSwagger',
    schema: InventoryHost,
    kind: HOST_RECORD as RecordKind<unknown>,
  },
  { name: 'POST /devices/entities/devices/v2 (full record)', spec: falcon2023, definition: 'deviceapi.DeviceSwagger', schema: FalconHost },
  { name: 'GET /devices/entities/online-state/v1', spec: falcon2023, definition: 'state.OnlineStateResultV1', schema: OnlineState },
  {
    name: 'GET /zero-trust-assessment/entities/assessments/v1',
    spec: falcon2023,
    definition: 'domain.SignalProperties',
    schema: ZtaAssessment,
    kind: ZTA_RECORD as RecordKind<unknown>,
  },
  {
    name: 'POST /alerts/entities/alerts/v2 (2026)',
    spec: supplement,
    definition: 'DetectsAlert',
    schema: FalconAlert,
    kind: ALERT_RECORD as RecordKind<unknown>,
  },
  { name: 'GET /iocs/entities/indicators/v1', spec: falcon2023, definition: 'api.IndicatorV1', schema: FalconIoc },
  { name: 'GET /web/api/v2.1/agents', spec: s1, definition: 'Agent', schema: S1Agent, kind: AGENT_RECORD as RecordKind<unknown> },
];

const anyKind: RecordKind<unknown> = { label: 'unreadable', idOf: () => null };

describe.each(endpoints)('$name', ({ spec, definition, schema, kind }) => {
  const node = { $ref: `#/${spec.definitions ? 'definitions' : 'components/schemas'}/${definition}` };
  it.each<Mode>(['required', 'nulls', 'full', 'odd'])('reads a record with %s fields', (mode) => {
    const record = instance(spec, node, mode);
    // The S1 spec requires nothing, not even the id; a record without one is set aside, so give it one.
    if (spec === s1 && typeof record === 'object' && record !== null) (record as Record<string, unknown>).id ??= '1234567890';
    const read = readRecords([record], schema, kind ?? anyKind);
    expect(read.unreadable).toEqual([]);
    expect(read.records).toHaveLength(1);
  });
});

describe('GET /web/api/v2.1/agents read from its bytes', () => {
  // The page reader cuts each agent to S1Agent's members before it is parsed: for every shape the spec allows, the
  // agents read are the ones the schema reads from the whole record.
  it.each<Mode>(['required', 'nulls', 'full', 'odd'])('reads the same agent with %s fields', (mode) => {
    const agent = { ...(instance(s1, { $ref: '#/components/schemas/Agent' }, mode) as object), id: '1234567890' };
    const body = Buffer.from(JSON.stringify({ data: [agent], pagination: { totalItems: 1, nextCursor: null } }), 'utf8');
    const page = decodeAgentsPage(body) as { data: unknown[] } | undefined;
    expect(page).toBeDefined();
    expect(readRecords(page!.data, S1Agent, AGENT_RECORD)).toEqual(readRecords([agent], S1Agent, AGENT_RECORD));
  });
});

describe('what is kept of values the spec leaves open', () => {
  it('an online state outside online, offline and unknown is kept as reported', () => {
    expect(OnlineState.parse({ id: 'a', state: 'hibernating' }).state).toBe('hibernating');
  });

  it('an S1 network status outside the spec’s enum is kept as reported', () => {
    expect(S1Agent.parse({ id: '1', networkStatus: 'quarantined' }).networkStatus).toBe('quarantined');
  });
});

const response = (body: unknown, url = 'https://api.crowdstrike.com/devices/combined/devices/v1'): HttpResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body,
  text: JSON.stringify(body),
  url,
  serverDate: undefined,
  receivedAt: 0,
  elapsedMs: 0,
  attempts: 1,
  redact: (t) => t,
});

describe.each([
  ['GET /devices/combined/devices/v1', supplement, 'DeviceapiDeviceCombinedResponseSwagger', InventoryHost],
  ['GET /devices/queries/devices-scroll/v1', falcon2023, 'deviceapi.DeviceResponse', null],
  ['GET /zero-trust-assessment/entities/assessments/v1', falcon2023, 'domain.AssessmentsResponse', ZtaAssessment],
  ['GET /zero-trust-assessment/queries/assessments/v1', falcon2023, 'domain.AssessmentsByScoreResponse', null],
  ['GET /alerts/queries/alerts/v2', supplement, 'DetectsapiAlertQueryResponse', null],
  ['POST /alerts/entities/alerts/v2', supplement, 'DetectsapiPostEntitiesAlertsV2Response', FalconAlert],
  ['GET /iocs/queries/indicators/v1', falcon2023, 'api.IndicatorQueryRespV1', null],
  ['POST /devices/entities/devices-actions/v2', falcon2023, 'msa.ReplyAffectedEntities', null],
] as const)('the envelope of %s', (_name, spec, definition, resource) => {
  it.each<Mode>(['required', 'nulls', 'full', 'odd'])('is read with %s fields', (mode) => {
    const body = instance(spec, { $ref: `#/definitions/${definition}` }, mode) as { resources?: unknown[] };
    const page = readFalcon((resource ?? z.unknown()) as z.ZodType, response(body));
    expect(page.unreadable).toEqual([]);
    expect(page.resources).toHaveLength(body.resources?.length ?? 0);
  });
});
