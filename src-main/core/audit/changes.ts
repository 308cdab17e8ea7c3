// Before/after as a list of changed fields, with anything secret-shaped redacted: an audit entry says a secret
// changed, never what it was or became.
import { REDACTED, type AuditChange } from '../../../src-shared/schemas/audit';

/** Field names that hold credentials anywhere in a snapshot (clientSecret, apiToken, password, …). */
const SECRET_FIELD = /secret|token|password|passphrase|credential|api_?key|private_?key/i;

/** Past this many changed fields an entry says how many more there were instead of listing them. */
export const MAX_CHANGES = 400;

type Leaves = Map<string, unknown>;

function flatten(value: unknown, path: string, into: Leaves): Leaves {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) into.set(path, Array.isArray(value) ? [] : {});
    for (const [k, v] of entries) if (v !== undefined) flatten(v, path ? `${path}.${k}` : k, into);
    return into;
  }
  if (value !== undefined) into.set(path, value);
  return into;
}

const isSecretPath = (field: string) => field.split('.').some((segment) => SECRET_FIELD.test(segment));

/** Replaces the value of every secret-shaped field, at any depth, with the redaction marker. */
export function redact<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v) as unknown) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) && v !== null && v !== undefined ? REDACTED : redact(v)])) as T;
}

/** The fields that differ between two snapshots (dotted paths, arrays by index), secrets redacted. */
export function changedFields(before: unknown, after: unknown): AuditChange[] {
  const a = flatten(before, '', new Map());
  const b = flatten(after, '', new Map());
  const fields = [...new Set([...a.keys(), ...b.keys()])];
  const changes: AuditChange[] = [];
  for (const field of fields) {
    const was = a.get(field) ?? null;
    const now = b.get(field) ?? null;
    if (JSON.stringify(was) === JSON.stringify(now)) continue;
    const secret = isSecretPath(field);
    changes.push({ field: field || '(value)', before: secret && was !== null ? REDACTED : was, after: secret && now !== null ? REDACTED : now });
  }
  if (changes.length <= MAX_CHANGES) return changes;
  return [...changes.slice(0, MAX_CHANGES), { field: '…', before: null, after: `${changes.length - MAX_CHANGES} more changed fields not listed` }];
}

/** A secret that was replaced: recorded as a change of its field with the marker on both sides. */
export function secretReplaced(field: string, hadOne: boolean): AuditChange {
  return { field, before: hadOne ? REDACTED : null, after: REDACTED };
}
