// Sorting records by a field path, shared by every list endpoint.
import { canonicalTime } from './time';

const ISO_PREFIX = /^\d{4}-\d{2}-\d{2}T/;

/** Reads `a.b.c` from a record. */
export function lookup(record: object, path: readonly string[]): unknown {
  let value: unknown = record;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export interface SortSpec {
  path: string[];
  descending: boolean;
}

/** `hostname.asc`, `created_timestamp|desc` or a bare field (ascending). */
export function parseSort(sort: string | null | undefined): SortSpec | undefined {
  if (!sort || !sort.trim()) return undefined;
  const m = /^([A-Za-z0-9_.]+?)(?:[.|](asc|desc))?$/.exec(sort.trim());
  if (!m) return undefined;
  return { path: (m[1] ?? '').split('.'), descending: m[2] === 'desc' };
}

/** Stable sort of records by a SortSpec; missing values sort last. */
export function sortRecords<T extends object>(records: T[], spec: SortSpec | undefined): T[] {
  if (!spec) return records;
  // Timestamps are canonicalized once so the comparator stays a plain comparison.
  const keyed = records.map((r, i) => {
    const v = lookup(r, spec.path);
    const key = typeof v === 'string' && ISO_PREFIX.test(v) ? (canonicalTime(v) ?? v) : v;
    return { r, i, key: typeof key === 'number' || typeof key === 'string' ? key : undefined };
  });
  const sign = spec.descending ? -1 : 1;
  keyed.sort((x, y) => {
    if (x.key === undefined) return y.key === undefined ? x.i - y.i : 1;
    if (y.key === undefined) return -1;
    const cmp = x.key < y.key ? -1 : x.key > y.key ? 1 : 0;
    return sign * cmp || x.i - y.i;
  });
  return keyed.map((k) => k.r);
}
