// Turns a LogFilter into SQL conditions over runs (r), series (s) and devices (d).
import type { SQLInputValue } from 'node:sqlite';
import { searchNeedles, type LogFilter } from '../../../src-shared/schemas/posture-log';
import type { Connection } from './connection';
import { resultCode } from './rows';

/** Up to this many matching series, a text search drives the query from the series index. */
const NARROW_SERIES = 256;

export type Conditions = { where: string[]; params: SQLInputValue[] };

/**
 * The filter with names resolved to ids. `text` is `narrow` (the matching series, few enough to seek one
 * by one) or `broad` (test each device's search text while scanning).
 */
export type ResolvedFilter = {
  providers: number[] | null;
  checks: number[] | null;
  results: number[] | null;
  text: { kind: 'narrow'; series: number[] } | { kind: 'broad'; needles: string[] } | null;
};

export function resolveFilter({ statement }: Connection, filter: LogFilter): ResolvedFilter {
  const ids = (sql: string, ...params: SQLInputValue[]) => (statement(sql).all(...params) as { id: number }[]).map((r) => r.id);
  const providers = filter.providerIds
    ? ids('SELECT id FROM providers WHERE key IN (SELECT value FROM json_each(?))', JSON.stringify(filter.providerIds))
    : null;
  const checks = filter.checkIds
    ? ids(
        `SELECT id FROM checks WHERE key IN (SELECT value FROM json_each(?))
           AND (? IS NULL OR provider_id IN (SELECT value FROM json_each(?)))`,
        JSON.stringify(filter.checkIds),
        providers && JSON.stringify(providers),
        providers && JSON.stringify(providers),
      )
    : null;
  const results = filter.results ? [...new Set(filter.results.map(resultCode))].sort((a, b) => a - b) : null;
  let text: ResolvedFilter['text'] = null;
  if (filter.text) {
    const needles = searchNeedles(filter.text);
    const series = ids(
      `SELECT s.id FROM devices d JOIN series s ON s.device_id = d.id WHERE ${searchCondition(needles)} LIMIT ?`,
      ...needles,
      NARROW_SERIES + 1,
    );
    text = series.length <= NARROW_SERIES ? { kind: 'narrow', series } : { kind: 'broad', needles };
  }
  return { providers, checks, results, text };
}

/**
 * True when the filter names providers, checks, results or a search that match nothing stored (yet): its
 * answer is empty without asking SQLite, whose planner refuses a forced index under an empty `IN ()`.
 */
export function selectsNothing(f: ResolvedFilter): boolean {
  return f.providers?.length === 0 || f.checks?.length === 0 || f.results?.length === 0 || (f.text?.kind === 'narrow' && f.text.series.length === 0);
}

/** The device's search text holds one of the needles (one `?` each). */
function searchCondition(needles: readonly string[]): string {
  return `(${needles.map(() => 'instr(d.search, ?) > 0').join(' OR ')})`;
}

/** `expr IN (ids)`, or a false condition for no ids (an empty list is not valid everywhere SQL is). */
function inList(expr: string, ids: readonly number[]): string {
  return ids.length === 0 ? '0' : `${expr} IN (${ids.join(',')})`;
}

/** Conditions on the series and its device; `seriesId` is the expression holding the series id. */
export function seriesConditions(f: ResolvedFilter, seriesId: string): Conditions {
  const c: Conditions = { where: [], params: [] };
  if (f.checks) c.where.push(inList('s.check_id', f.checks));
  else if (f.providers) c.where.push(inList('s.provider_id', f.providers));
  if (f.text?.kind === 'narrow') {
    c.where.push(`${seriesId} IN (SELECT value FROM json_each(?))`);
    c.params.push(JSON.stringify(f.text.series));
  } else if (f.text?.kind === 'broad') {
    c.where.push(searchCondition(f.text.needles));
    c.params.push(...f.text.needles);
  }
  return c;
}

export function resultConditions(f: ResolvedFilter): Conditions {
  return { where: f.results ? [inList('r.result', f.results)] : [], params: [] };
}

/** Inclusive bounds on a time expression. */
export function timeConditions(filter: LogFilter, expr: string): Conditions {
  const c: Conditions = { where: [], params: [] };
  if (filter.from !== undefined) {
    c.where.push(`${expr} >= ?`);
    c.params.push(filter.from);
  }
  if (filter.to !== undefined) {
    c.where.push(`${expr} <= ?`);
    c.params.push(filter.to);
  }
  return c;
}

export function allOf(...parts: Conditions[]): Conditions {
  return { where: parts.flatMap((p) => p.where), params: parts.flatMap((p) => p.params) };
}

export function whereClause(c: Conditions): string {
  return c.where.length ? `WHERE ${c.where.join(' AND ')}` : '';
}
