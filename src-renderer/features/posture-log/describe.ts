// How the log is put into words: result labels and colours, view names, times, counts.
import type { LogRow, LogView, PostureResult } from '../../../src-shared/schemas/posture-log';

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

const fullTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});
const shortTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const number = new Intl.NumberFormat();

export function formatTime(ms: number): string {
  return fullTime.format(ms);
}

export function formatCount(n: number): string {
  return number.format(n);
}

export function rowsLabel(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'row' : 'rows'}`;
}

/** A run in a few words: how many polls gave this result, from when to when. */
export function runSummary(row: Pick<LogRow, 'count' | 'firstEvaluatedAt' | 'lastEvaluatedAt'>): string {
  if (row.count === 1) return `once · ${shortTime.format(row.firstEvaluatedAt)}`;
  return `${formatCount(row.count)}× · ${shortTime.format(row.firstEvaluatedAt)} – ${shortTime.format(row.lastEvaluatedAt)}`;
}

/** `YYYY-MM-DDTHH:mm` in local time, the value a datetime-local input takes. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
