// How the log is put into words: result labels and colours, view names, times, counts.
import type { LogRow, LogView, PostureResult } from '../../../src-shared/schemas/posture-log';
import { countOf, formatCount } from '../../app/numbers';

export { formatCount };

export const resultLabel: Record<PostureResult, { label: string; color: string }> = {
  pass: { label: 'Pass', color: 'teal' },
  fail: { label: 'Fail', color: 'red' },
  unknown: { label: 'Unknown', color: 'gray' },
};

export const viewLabel: Record<LogView, { label: string; hint: string }> = {
  changes: { label: 'Changes', hint: 'One row each time a result changed; a row covers every poll that gave the same result.' },
  evaluations: { label: 'Every evaluation', hint: 'One row per check per device per poll. Sorted by time only.' },
  latest: { label: 'Latest per device', hint: 'The current result of every check on every device.' },
};

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as `YYYY-MM-DD HH:mm:ss`: unambiguous in every locale, and it lines up in a column. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function rowsLabel(n: number): string {
  return countOf(n, 'row');
}

/** A run in a few words (how many polls gave this result, until when), and in full for its tooltip. */
export function runSummary(row: Pick<LogRow, 'count' | 'firstEvaluatedAt' | 'lastEvaluatedAt'>): { text: string; full: string } {
  const full = `${formatCount(row.count)} ${row.count === 1 ? 'poll' : 'polls'}: first ${formatTime(row.firstEvaluatedAt)}, last ${formatTime(row.lastEvaluatedAt)}`;
  if (row.count === 1) return { text: '1 poll', full };
  const sameDay = new Date(row.firstEvaluatedAt).toDateString() === new Date(row.lastEvaluatedAt).toDateString();
  // In the time column's own format (`MM-DD HH:mm` across days), not a locale's: a formatter with month names costs
  // ~15 ms to make in a fresh renderer (its locale's patterns), at the start of every cold load.
  const last = formatTime(row.lastEvaluatedAt);
  const until = sameDay ? last.slice(11, 16) : last.slice(5, 16);
  return { text: `${formatCount(row.count)} polls · to ${until}`, full };
}

/**
 * The zone local times on screen are in, as their offset from UTC at that instant ("UTC", "UTC+01:00", "UTC-04:00"):
 * exact everywhere (an abbreviation such as CST names three zones), and no locale data to load for it — the first
 * Intl date formatter a fresh renderer makes costs ~15 ms, at the start of every cold load of the log.
 */
export function timeZoneLabel(at = Date.now()): string {
  const offset = -new Date(at).getTimezoneOffset();
  if (offset === 0) return 'UTC';
  const minutes = Math.abs(offset);
  return `UTC${offset > 0 ? '+' : '-'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** A local time with its zone, and the same instant in UTC as the CSV has it. */
export function timeInFull(ms: number): string {
  return `${formatTime(ms)} ${timeZoneLabel(ms)} (${new Date(ms).toISOString().replace('.000Z', 'Z')} UTC)`;
}

/** `YYYY-MM-DDTHH:mm` in local time, the value a datetime-local input takes. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
