// Answers generated from the vendors' response schemas (json-schema-faker, seeded), and the real-world variance
// applied to them as fast-check mutation plans: optional fields absent, nulls, integer extremes, empty arrays and
// strings, 10 kB strings, Unicode controls, unknown enum values, wrong types, extra fields, duplicated records.
import fc from 'fast-check';
import { createGeneratorSync } from 'json-schema-faker';
import { responseSpec, type JsonSchema, type SpecProvider } from '../../../sim/spec/load';

export interface EndpointSchema {
  provider: SpecProvider;
  method: string;
  apiPath: string;
  status: number;
  /** The whole answer's schema (self-contained). */
  schema: JsonSchema;
  /** Where the records are: `resources` (Falcon), `data` (S1), `results` (Jamf Pro) or `value` (Graph), when the answer is a list. */
  listKey: 'resources' | 'data' | 'results' | 'value' | undefined;
}

export function endpointSchema(provider: SpecProvider, method: string, apiPath: string, status: number): EndpointSchema {
  const spec = responseSpec(provider, method, apiPath, status);
  const schema = spec?.schema;
  if (!schema) throw new Error(`The spec has no ${status} response schema for ${provider} ${method} ${apiPath}`);
  const root = resolve(schema, schema);
  // OpenAPI 3 collections (Graph) put their list in an allOf branch.
  const branches = [root, ...((root.allOf as JsonSchema[] | undefined) ?? []).map((b) => resolve(b, schema))];
  const props = Object.assign({}, ...branches.map((b) => b.properties ?? {})) as Record<string, JsonSchema>;
  const listKey = (['resources', 'data', 'results', 'value'] as const).find((k) => resolve(props[k], schema).type === 'array');
  return { provider, method, apiPath, status, schema, listKey };
}

/** Follows `$ref` into the root's `$defs` and unwraps the `anyOf [x, null]` that `nullable` became. */
export function resolve(node: unknown, root: JsonSchema): JsonSchema {
  let current = (node ?? {}) as JsonSchema;
  for (let hops = 0; hops < 20; hops++) {
    const ref = current.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
      current = ((root.$defs as Record<string, JsonSchema>)[ref.slice('#/$defs/'.length)] ?? {}) as JsonSchema;
      continue;
    }
    const branches = current.anyOf as JsonSchema[] | undefined;
    const inner = branches?.find((b) => b.type !== 'null');
    if (branches && inner) {
      current = inner;
      continue;
    }
    return current;
  }
  return current;
}

/** Generation window for `date-time` fields: around "now" so time-based checks see recent and old values. */
const DATE_WINDOW = { minDateTime: '2026-10-01T00:00:00Z', maxDateTime: '2027-01-31T00:00:00Z' };

/** A seeded stream of spec-valid answers for one endpoint (each call a new instance). */
export function instanceStream(endpoint: Pick<EndpointSchema, 'schema'>, seed: number): () => Record<string, unknown> {
  const generator = createGeneratorSync({ seed, maxDefaultItems: 3, optionalsProbability: 0.5, ...DATE_WINDOW });
  return () => generator.generate(endpoint.schema as never) as Record<string, unknown>;
}

// ---- mutations ----------------------------------------------------------------------------------

export const mutationKinds = [
  'drop',
  'null',
  'int_extreme',
  'empty_string',
  'empty_array',
  'long_string',
  'unicode_controls',
  'unknown_enum',
  'extra_field',
  'wrong_type',
  'duplicate_record',
  'list_null',
] as const;
export type MutationKind = (typeof mutationKinds)[number];

export interface Mutation {
  kind: MutationKind;
  /** Picks the slot among those the kind applies to. */
  target: number;
  /** Picks the value among the kind's variants. */
  variant: number;
}

/** One to six mutations per answer. */
export const mutationPlan = fc.array(fc.record({ kind: fc.constantFrom(...mutationKinds), target: fc.nat(), variant: fc.nat() }), {
  minLength: 1,
  maxLength: 6,
});

const INT_EXTREMES = [0, -1, 2 ** 31 - 1, -(2 ** 31), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 63, -(2 ** 63), 1e308, 0.5, -0];
const TEN_KB = 10 * 1024;
const LONG_STRINGS = ['x'.repeat(TEN_KB), 'é✓𝄞'.repeat(TEN_KB / 4), `${'A'.repeat(TEN_KB - 1)}\n`];
const CONTROLS = [
  '\u0000',
  '\u0007bell\u001b[31mred\u001b[0m',
  'rtl\u202eoverride',
  'line\u2028sep\u2029',
  '\ufeffbom',
  'zero\u200bwidth',
  '\ud800lone',
  'tab\tcr\rlf\n',
  '=cmd|calc!A1',
];
const EXTRAS: unknown[] = ['extra', 0, true, null, [], {}, { nested: { deeper: [1, 'two', null] } }, 'x'.repeat(2048)];
const WRONG_TYPES: unknown[] = [{}, [], 'string', 42, true, -1.5, [null]];

interface Slot {
  parent: Record<string, unknown> | unknown[];
  key: string | number;
  schema: JsonSchema;
  /** The field is required by its object's schema (array items count as required). */
  required: boolean;
  /** JSON pointer, for messages. */
  path: string;
  /** Inside one of the answer's records (anything goes there); outside, only what the spec leaves open varies. */
  inRecord: boolean;
}

/** Every value in the answer with the schema that describes it (depth-limited: records and their sub-objects). */
function slotsOf(answer: Record<string, unknown>, root: JsonSchema, listKey: string | undefined): Slot[] {
  const slots: Slot[] = [];
  const records = listKey ? `/${listKey}/` : undefined;
  const inRecord = (path: string) => records !== undefined && path.startsWith(records);
  const walk = (value: unknown, schema: JsonSchema, path: string, depth: number) => {
    if (depth > 5 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      const items = resolve(schema.items, root);
      value.forEach((item, i) => {
        slots.push({ parent: value, key: i, schema: items, required: true, path: `${path}/${i}`, inRecord: inRecord(`${path}/${i}`) });
        walk(item, items, `${path}/${i}`, depth + 1);
      });
      return;
    }
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [key, child] of Object.entries(value)) {
      const childSchema = resolve(props[key], root);
      slots.push({
        parent: value as Record<string, unknown>,
        key,
        schema: childSchema,
        required: required.has(key),
        path: `${path}/${key}`,
        inRecord: inRecord(`${path}/${key}`),
      });
      walk(child, childSchema, `${path}/${key}`, depth + 1);
    }
  };
  walk(answer, resolve(root, root), '', 0);
  return slots;
}

const valueOf = (slot: Slot) => (slot.parent as Record<string | number, unknown>)[slot.key];
const typeOf = (slot: Slot) => {
  const t = slot.schema.type;
  return Array.isArray(t) ? t.find((x) => x !== 'null') : t;
};

/** Applies a plan to a copy of the answer; returns the copy and what was done (for failure messages). */
export function mutate(
  answer: Record<string, unknown>,
  endpoint: Pick<EndpointSchema, 'schema' | 'listKey'>,
  plan: readonly Mutation[],
): { answer: Record<string, unknown>; applied: string[] } {
  const copy = structuredClone(answer);
  const applied: string[] = [];
  for (const m of plan) {
    const slots = slotsOf(copy, endpoint.schema, endpoint.listKey);
    // The envelope keeps its documented shape: only fields it does not require go absent or null, and no field
    // changes type (an answer that is not the envelope is refused by design, with a diagnosis).
    const open = slots.filter((s) => s.inRecord || !s.required);
    const list = endpoint.listKey ? (copy[endpoint.listKey] as unknown) : undefined;
    const pick = <T>(xs: readonly T[]): T | undefined => (xs.length === 0 ? undefined : xs[m.target % xs.length]);
    const variant = <T>(xs: readonly T[]): T => xs[m.variant % xs.length] as T;
    const set = (slot: Slot, value: unknown, what: string) => {
      (slot.parent as Record<string | number, unknown>)[slot.key] = value;
      applied.push(`${what} at ${slot.path}`);
    };
    switch (m.kind) {
      case 'drop': {
        const slot = pick(open.filter((s) => !Array.isArray(s.parent)));
        if (slot) {
          delete (slot.parent as Record<string, unknown>)[slot.key as string];
          applied.push(`dropped ${slot.required ? 'required' : 'optional'} ${slot.path}`);
        }
        break;
      }
      case 'null': {
        const slot = pick(open);
        if (slot) set(slot, null, 'null');
        break;
      }
      case 'int_extreme': {
        const slot = pick(slots.filter((s) => typeOf(s) === 'integer' || typeOf(s) === 'number' || typeof valueOf(s) === 'number'));
        if (slot) set(slot, variant(INT_EXTREMES), `integer extreme ${String(variant(INT_EXTREMES))}`);
        break;
      }
      case 'empty_string': {
        const slot = pick(slots.filter((s) => typeof valueOf(s) === 'string'));
        if (slot) set(slot, '', 'empty string');
        break;
      }
      case 'empty_array': {
        const slot = pick(slots.filter((s) => Array.isArray(valueOf(s))));
        if (slot) set(slot, [], 'empty array');
        break;
      }
      case 'long_string': {
        const slot = pick(slots.filter((s) => typeof valueOf(s) === 'string'));
        if (slot) set(slot, variant(LONG_STRINGS), '10 kB string');
        break;
      }
      case 'unicode_controls': {
        const slot = pick(slots.filter((s) => typeof valueOf(s) === 'string'));
        if (slot) set(slot, `${String(valueOf(slot))}${variant(CONTROLS)}`, 'Unicode controls');
        break;
      }
      case 'unknown_enum': {
        // The S1 enums are open sets, Falcon adds states over time: a value nobody has seen yet.
        const slot = pick(slots.filter((s) => Array.isArray(s.schema.enum)));
        if (slot) set(slot, `zz_unknown_${m.variant % 7}`, 'unknown enum value');
        break;
      }
      case 'extra_field': {
        const objects = slots.filter((s) => {
          const v = valueOf(s);
          return v !== null && typeof v === 'object' && !Array.isArray(v);
        });
        const slot = pick(objects);
        const target = (slot ? valueOf(slot) : copy) as Record<string, unknown>;
        target[`x_fuzz_extra_${m.variant % 5}`] = structuredClone(variant(EXTRAS));
        applied.push(`extra field at ${slot?.path ?? '/'}`);
        break;
      }
      case 'wrong_type': {
        const slot = pick(slots.filter((s) => s.inRecord));
        if (slot) set(slot, structuredClone(variant(WRONG_TYPES)), 'wrong type');
        break;
      }
      case 'duplicate_record': {
        if (Array.isArray(list) && list.length > 0) {
          list.push(structuredClone(list[m.target % list.length]));
          applied.push(`duplicated a record of /${endpoint.listKey}`);
        }
        break;
      }
      case 'list_null': {
        if (endpoint.listKey) {
          copy[endpoint.listKey] = m.variant % 2 === 0 ? null : [];
          applied.push(`/${endpoint.listKey} ${m.variant % 2 === 0 ? 'null' : 'empty'}`);
        }
        break;
      }
    }
  }
  return { answer: copy, applied };
}

/** A record's id as a device can be tied to it: a non-blank string, or (SentinelOne) a safe integer — the product's rule. */
export function readableId(record: unknown, field: string, options: { numbers?: boolean } = {}): string | null {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return null;
  const value = (record as Record<string, unknown>)[field];
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  // Falcon's ids are strings (a number is not one); SentinelOne's are integers, sent as strings or numbers.
  if (options.numbers && typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}
