// The vendors' response schemas, per endpoint and status, as self-contained JSON Schemas (refs into `$defs`)
// that ajv validates with and json-schema-faker generates from. Read from sim/spec/specs.subset.json (cut from
// shared/specs by scripts/extract-spec-schemas.ts); where the 2026 Falcon supplement defines a path it wins.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type SpecProvider = 'falcon' | 'sentinelone' | 'intune' | 'jamf' | 'kandji';

/** Graph's spec paths sit under its /v1.0 server URL; the simulator and clients route with it. */
export const GRAPH_SPEC_PREFIX = '/v1.0';

/** A JSON Schema object; kept loose on purpose, the specs use whatever keywords they like. */
export type JsonSchema = Record<string, unknown>;

export interface ResponseSpec {
  provider: SpecProvider;
  method: string;
  /** The path as the spec spells it (S1: with `/web/api/v2.1`). */
  specPath: string;
  status: number;
  /** The spec file the schema comes from. */
  source: string;
  /** Self-contained: every reference points into its own `$defs`. Undefined when the spec declares no body. */
  schema: JsonSchema | undefined;
}

interface SubsetSource {
  file: string;
  provider: SpecProvider;
  role: 'base' | 'supplement';
  format: 'swagger-2.0' | 'openapi-3';
  title: string;
  version: string;
  paths: Record<string, Record<string, { responses?: Record<string, Record<string, unknown>> }>>;
  schemas: Record<string, JsonSchema>;
}

/** SentinelOne's paths in its spec carry the API prefix; the simulator and clients route without it. */
export const S1_SPEC_PREFIX = '/web/api/v2.1';

let cached: SubsetSource[] | undefined;
function sources(): SubsetSource[] {
  if (!cached) {
    const file = join(dirname(fileURLToPath(import.meta.url)), 'specs.subset.json');
    cached = (JSON.parse(readFileSync(file, 'utf8')) as { sources: SubsetSource[] }).sources;
  }
  return cached;
}

/** Where the schemas come from, for messages and the README. */
export function specSources(): { file: string; title: string; version: string }[] {
  return sources().map(({ file, title, version }) => ({ file, title, version }));
}

const REF_PREFIX = { 'swagger-2.0': '#/definitions/', 'openapi-3': '#/components/schemas/' } as const;

/**
 * Rewrites references to `#/$defs/…` and turns `nullable` / `x-nullable` into a `null` type, so the schema means
 * the same to a draft-2020 tool as to an OpenAPI reader. `example(s)` are dropped: generators would copy them.
 */
function normalize(node: unknown, refPrefix: string): unknown {
  if (Array.isArray(node)) return node.map((n) => normalize(n, refPrefix));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith(refPrefix)) out.$ref = `#/$defs/${value.slice(refPrefix.length)}`;
    else if (key === 'example' || key === 'examples' || key === 'nullable' || key === 'x-nullable') continue;
    else if (key === 'properties' && value && typeof value === 'object')
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v, refPrefix)]));
    else out[key] = normalize(value, refPrefix);
  }
  const nullable = (node as Record<string, unknown>).nullable === true || (node as Record<string, unknown>)['x-nullable'] === true;
  if (nullable) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.$ref) return { anyOf: [{ $ref: out.$ref }, { type: 'null' }] };
  }
  return out;
}

function bodySchema(source: SubsetSource, response: Record<string, unknown>): unknown {
  if (source.format === 'swagger-2.0') return response.schema;
  const content = response.content as Record<string, { schema?: unknown }> | undefined;
  return content?.['application/json']?.schema;
}

const byKey = new Map<string, ResponseSpec | null>();

/** Jamf's spec paths are relative to its `/api` server; the simulator and clients route with it. */
export const JAMF_SPEC_PREFIX = '/api';

function specPathOf(provider: SpecProvider, apiPath: string): string {
  if (provider === 'intune') return apiPath.startsWith(GRAPH_SPEC_PREFIX) ? apiPath.slice(GRAPH_SPEC_PREFIX.length) : apiPath;
  if (provider === 'sentinelone') return `${S1_SPEC_PREFIX}${apiPath}`;
  if (provider === 'jamf') return apiPath.startsWith(`${JAMF_SPEC_PREFIX}/`) ? apiPath.slice(JAMF_SPEC_PREFIX.length) : apiPath;
  return apiPath;
}

/** The sources defining this path, the supplement first (it wins where both define a path). */
function definingSources(provider: SpecProvider, specPath: string, method: string): SubsetSource[] {
  return sources()
    .filter((s) => s.provider === provider && s.paths[specPath]?.[method.toLowerCase()] !== undefined)
    .sort((a, b) => (a.role === b.role ? 0 : a.role === 'supplement' ? -1 : 1));
}

/** Does the spec define this operation at all? */
export function specDefines(provider: SpecProvider, method: string, apiPath: string): boolean {
  return definingSources(provider, specPathOf(provider, apiPath), method).length > 0;
}

/** The statuses the spec documents for an operation. */
export function documentedStatuses(provider: SpecProvider, method: string, apiPath: string): number[] {
  const source = definingSources(provider, specPathOf(provider, apiPath), method)[0];
  const op = source?.paths[specPathOf(provider, apiPath)]?.[method.toLowerCase()];
  return Object.keys(op?.responses ?? {})
    .map(Number)
    .filter(Number.isInteger);
}

/**
 * The response schema for `method apiPath` answering `status`, or undefined when the spec does not document that
 * status for the operation. `apiPath` is the path inside the API (Falcon: as sent; S1: without `/web/api/v2.1`).
 */
export function responseSpec(provider: SpecProvider, method: string, apiPath: string, status: number): ResponseSpec | undefined {
  const key = `${provider} ${method.toUpperCase()} ${apiPath} ${status}`;
  const hit = byKey.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const specPath = specPathOf(provider, apiPath);
  const source = definingSources(provider, specPath, method)[0];
  const responses = source?.paths[specPath]?.[method.toLowerCase()]?.responses;
  // OpenAPI 3 may document a range (Graph: 2XX, 4XX, 5XX) instead of each status.
  const response = responses?.[String(status)] ?? responses?.[`${Math.floor(status / 100)}XX`];
  const found = source && response ? { source, response } : undefined;
  const spec: ResponseSpec | undefined = found && {
    provider,
    method: method.toUpperCase(),
    specPath,
    status,
    source: found.source.file,
    schema: selfContained(found.source, bodySchema(found.source, found.response)),
  };
  byKey.set(key, spec ?? null);
  return spec;
}

/** A component schema by name (S1's `ErrorEnvelope`, say), self-contained. */
export function namedSchema(provider: SpecProvider, name: string): JsonSchema | undefined {
  const source = sources().find((s) => s.provider === provider && s.role === 'base' && name in s.schemas);
  return source && selfContained(source, { $ref: `${REF_PREFIX[source.format]}${name}` });
}

function selfContained(source: SubsetSource, root: unknown): JsonSchema | undefined {
  if (root === undefined) return undefined;
  const prefix = REF_PREFIX[source.format];
  const defs: Record<string, unknown> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(prefix)) {
        const name = value.slice(prefix.length);
        if (name in defs) continue;
        const target = source.schemas[name];
        if (target === undefined) throw new Error(`${source.file}: unresolved reference ${value}`);
        defs[name] = normalize(target, prefix);
        visit(target);
      } else visit(value);
    }
  };
  visit(root);
  return { ...(normalize(root, prefix) as JsonSchema), $defs: defs };
}
