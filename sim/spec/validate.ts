// Checks an answer against the vendor's response schema with ajv, excusing only what sim/spec/exceptions.ts
// lists (each with its reason): the one place where "the real API differs from its spec" is written down.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { specExceptions, type SpecException } from './exceptions';
import { namedSchema, responseSpec, type SpecProvider } from './load';

export interface Conformance {
  /** True when every ajv error is excused by an exception. */
  ok: boolean;
  /** Which schema was used, e.g. `falcon-swagger-2023-05-30.json GET /devices/entities/online-state/v1 200`. */
  schema: string;
  /** Unexcused problems, `instancePath keyword message`. */
  problems: string[];
  /** The exceptions that excused something in this answer. */
  excused: string[];
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function createAjv(): Ajv {
  // strict off: the specs carry vendor keywords (x-*, discriminators) ajv does not know.
  // verbose: errors carry the offending value, so an exception can be limited to nulls.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, verbose: true });
  addFormats.default(ajv);
  // Swagger's numeric formats: int32 is a range, the rest say nothing ajv can check.
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max });
  for (const name of ['int64', 'integer', 'double', 'float']) ajv.addFormat(name, { type: 'number', validate: () => true });
  for (const name of ['byte', 'binary', 'password']) ajv.addFormat(name, { type: 'string', validate: () => true });
  return ajv;
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(key: string, schema: Record<string, unknown>): ValidateFunction {
  let fn = compiled.get(key);
  if (!fn) {
    ajv ??= createAjv();
    fn = ajv.compile(schema);
    compiled.set(key, fn);
  }
  return fn;
}

const routeOf = (method: string, apiPath: string) => `${method.toUpperCase()} ${apiPath}`;

function applies(exception: SpecException, provider: SpecProvider, route: string, status: number): boolean {
  if (exception.provider !== provider) return false;
  if (exception.routes !== '*' && !exception.routes.includes(route)) return false;
  return exception.statuses === undefined || exception.statuses.includes(status);
}

function excuses(exception: SpecException, error: ErrorObject): boolean {
  if (exception.kind !== 'field') return false;
  if (exception.keyword !== undefined && exception.keyword !== error.keyword) return false;
  if (exception.nullOnly && error.data !== null) return false;
  if (exception.schemaPath && !exception.schemaPath.test(error.schemaPath)) return false;
  // A missing required property is reported at its parent; name the property for matching.
  const at = error.keyword === 'required' ? `${error.instancePath}/${String(error.params.missingProperty)}` : error.instancePath;
  return exception.at.test(at);
}

/** Validates one answer. `body` is the parsed JSON (undefined when the body was empty). */
export function checkResponse(provider: SpecProvider, method: string, apiPath: string, status: number, body: unknown): Conformance {
  const route = routeOf(method, apiPath);
  const active = specExceptions.filter((e) => applies(e, provider, route, status));
  const spec = responseSpec(provider, method, apiPath, status);
  const undescribed = active.find((e) => e.kind === 'undescribed');
  if (undescribed) return { ok: true, schema: `${route} (not in the spec)`, problems: [], excused: [undescribed.id] };
  const substitute = active.find((e) => e.kind === 'status');
  let schema = spec?.schema;
  let label = spec ? `${spec.source} ${spec.method} ${spec.specPath} ${status}` : `${route} ${status} (undocumented)`;
  const excused: string[] = [];
  if (!schema && substitute?.kind === 'status') {
    schema = namedSchema(provider, substitute.schema);
    label = `${substitute.schema} for ${route} ${status}`;
    excused.push(substitute.id);
  }
  if (!schema) return { ok: false, schema: label, problems: [`the spec documents no body for ${route} ${status}`], excused };
  const validate = validator(label, schema);
  if (validate(body)) return { ok: true, schema: label, problems: [], excused };
  const problems: string[] = [];
  for (const error of validate.errors ?? []) {
    const by = active.find((e) => excuses(e, error));
    if (by) {
      if (!excused.includes(by.id)) excused.push(by.id);
      continue;
    }
    // anyOf/oneOf report the branch errors too; those are enough on their own.
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') continue;
    problems.push(`${error.instancePath || '/'} ${error.keyword} ${error.message ?? ''}`.trim());
  }
  return { ok: problems.length === 0, schema: label, problems, excused };
}
