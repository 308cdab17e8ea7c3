// Timestamp formats the providers use, and a comparison that survives nanosecond precision.

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `2026-05-22T17:20:01Z` — Falcon device and ZTA style. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** ISO with a fraction of the given digits (3 = ms, 6 = µs as S1 sends, 9 = ns as Falcon alerts sometimes do). */
export function isoFraction(ms: number, digits: 3 | 6 | 9, extra = 0): string {
  const whole = Math.floor(ms);
  const base = new Date(whole).toISOString().slice(0, 19);
  const millis = String(whole % 1000).padStart(3, '0');
  const rest = String(Math.floor(Math.abs(extra)) % 1_000_000).padStart(6, '0');
  return `${base}.${(millis + rest).slice(0, digits)}Z`;
}

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Canonical form `YYYY-MM-DDTHH:MM:SS.fffffffffZ` (UTC, 9 fraction digits) so timestamps of any
 * precision compare correctly as strings; JS Date alone would drop the nanoseconds.
 */
export function canonicalTime(value: string): string | undefined {
  const m = ISO.exec(value.trim());
  if (!m) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : `${new Date(ms).toISOString().slice(0, 19)}.${String(ms % 1000).padStart(3, '0')}000000Z`;
  }
  const [, head, frac = '', zone] = m;
  const fraction = frac.padEnd(9, '0');
  if (zone === 'Z') return `${head}.${fraction}Z`;
  const ms = Date.parse(`${head}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}Z`;
}

/** Resolves FQL relative times such as `now`, `now-24h`, `now-7d`, `now-30m`. */
export function relativeTime(value: string, nowMs: number): string | undefined {
  const m = /^now(?:([+-])(\d+)([smhdw]))?$/.exec(value.trim());
  if (!m) return undefined;
  const [, sign, amount, unit] = m;
  const unitMs = { s: 1000, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY }[unit ?? 's'] ?? 1000;
  const delta = sign ? Number(amount) * unitMs * (sign === '-' ? -1 : 1) : 0;
  return new Date(nowMs + delta).toISOString();
}
