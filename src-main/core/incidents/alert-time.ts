// Falcon alert timestamps (ISO with 0–9 fraction digits) as canonical text that sorts correctly and keeps
// nanoseconds, and the millisecond instants FQL filters are written with.
const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/** `YYYY-MM-DDTHH:MM:SS.fffffffffZ` in UTC, or null when the text is not a timestamp. */
export function canonicalTimestamp(value: string): string | null {
  const m = ISO.exec(value.trim());
  if (!m) return null;
  const [, head = '', fraction = '', zone = 'Z'] = m;
  const whole = Date.parse(`${head}${zone === 'Z' ? 'Z' : zone}`);
  if (Number.isNaN(whole)) return null;
  return `${new Date(whole).toISOString().slice(0, 19)}.${fraction.padEnd(9, '0')}Z`;
}

/** Epoch milliseconds of a timestamp (the sub-millisecond part dropped). */
export function timestampMs(value: string): number {
  const canonical = canonicalTimestamp(value);
  if (!canonical) return Number.NaN;
  return Date.parse(`${canonical.slice(0, 23)}Z`);
}

/** The canonical form of an instant given in epoch milliseconds. */
export function canonicalOfMs(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000000Z`;
}

/** The later of two timestamps (either may be missing). */
export function laterTimestamp(a: string | null, b: string | null): string | null {
  if (!a || !b) return a ?? b;
  return (canonicalTimestamp(a) ?? '') >= (canonicalTimestamp(b) ?? '') ? a : b;
}
