// Cuts the vendors' API descriptions down to the paths the simulator serves and the product calls, with every
// definition they reference, into sim/spec/specs.subset.json (the 3 MB Falcon swagger stays out of the repo and
// out of every test's start-up). Run after the specs or the endpoint list change:
//   node scripts/extract-spec-schemas.ts [SPECS_DIR]   (default: the nearest shared/specs above the repo)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Path prefixes kept from each file (Falcon: the hosts, ZTA, alerts, IOC and auth families; S1: everything). */
const FALCON_PREFIXES = [
  '/oauth2/',
  '/devices/queries/devices',
  '/devices/combined/devices',
  '/devices/entities/devices',
  '/devices/entities/online-state',
  '/zero-trust-assessment/',
  '/alerts/',
  '/iocs/',
];

const SOURCES = [
  { file: 'falcon-swagger-2023-05-30.json', provider: 'falcon', role: 'base', prefixes: FALCON_PREFIXES },
  { file: 'falcon-swagger-supplement-alerts-hosts-2026.json', provider: 'falcon', role: 'supplement', prefixes: FALCON_PREFIXES },
  // ErrorEnvelope: no path references it, yet it is the body of every S1 error (see sim/spec/exceptions.ts).
  { file: 'sentinelone-mgmt-v2.1-subset.json', provider: 'sentinelone', role: 'base', prefixes: ['/'], extra: ['ErrorEnvelope'] },
  // Jamf Pro: the token, version and computers-inventory (v1-v4) paths; ApiError is the body of its errors.
  { file: 'jamf-pro-computers-inventory.json', provider: 'jamf', role: 'base', prefixes: ['/'], extra: ['ApiError'] },
  // Kandji: the device list and the licence counts the Test reads; ErrorDetail is its {detail} error body.
  { file: 'kandji-openapi.json', provider: 'kandji', role: 'base', prefixes: ['/api/v1/devices', '/api/v1/settings/licensing'], extra: ['ErrorDetail'] },
  // Graph's subset: statuses are ranges (2XX, 4XX) and responses are references into components.responses.
  { file: 'intune-graph-managed-devices-v1.0.json', provider: 'intune', role: 'base', prefixes: ['/deviceManagement/'] },
] as const;

/** Replaces `{$ref: '#/components/responses/X'}` by the response itself (OpenAPI 3 shares whole responses). */
function inlineResponses(paths: Json, responses: Json | undefined): Json {
  if (!responses) return paths;
  const prefix = '#/components/responses/';
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const ref = (node as Json).$ref;
    if (typeof ref === 'string' && ref.startsWith(prefix)) return responses[ref.slice(prefix.length)];
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, visit(v)]));
  };
  return visit(paths) as Json;
}

function findSpecsDir(): string {
  const given = process.argv[2] ?? process.env.POSTURE_SPECS_DIR;
  if (given) return resolve(given);
  for (let dir = repo; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'specs');
    if (existsSync(join(candidate, SOURCES[0].file))) return candidate;
  }
  throw new Error('No shared/specs directory above the repository; pass its path as the first argument.');
}

type Json = Record<string, unknown>;

/** Every `#/definitions/X` or `#/components/schemas/X` reachable from `root`, transitively. */
function closure(root: unknown, defs: Json, prefix: string): Json {
  const out: Json = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(prefix)) {
        const name = value.slice(prefix.length);
        if (!(name in out)) {
          if (!(name in defs)) throw new Error(`unresolved reference ${value}`);
          out[name] = defs[name];
          visit(defs[name]);
        }
      } else visit(value);
    }
  };
  visit(root);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const dir = findSpecsDir();
const out = SOURCES.map((source) => {
  const doc = JSON.parse(readFileSync(join(dir, source.file), 'utf8')) as Json;
  const swagger = 'definitions' in doc;
  const paths = inlineResponses(
    Object.fromEntries(Object.entries(doc.paths as Json).filter(([path]) => source.prefixes.some((p) => path.startsWith(p)))),
    swagger ? undefined : ((doc.components as Json).responses as Json | undefined),
  );
  const defs = (swagger ? doc.definitions : (doc.components as Json).schemas) as Json;
  const info = doc.info as Json;
  return {
    file: source.file,
    provider: source.provider,
    role: source.role,
    format: swagger ? 'swagger-2.0' : 'openapi-3',
    title: info.title,
    version: info.version,
    paths,
    schemas: closure(
      [paths, ...('extra' in source ? source.extra : []).map((name) => ({ $ref: `${swagger ? '#/definitions/' : '#/components/schemas/'}${name}` }))],
      defs,
      swagger ? '#/definitions/' : '#/components/schemas/',
    ),
  };
});
const target = join(repo, 'sim', 'spec', 'specs.subset.json');
writeFileSync(target, `${JSON.stringify({ generatedBy: 'scripts/extract-spec-schemas.ts', sources: out })}\n`);
for (const s of out) console.log(`${s.file}: ${Object.keys(s.paths).length} paths, ${Object.keys(s.schemas).length} schemas`);
console.log(`wrote ${target}`);
