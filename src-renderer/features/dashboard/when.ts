// Times as an admin reads them: "3 min ago", "in 4 min", with a clock that ticks so they stay true.
import { useEffect, useState } from 'react';

/**
 * The current time, re-read every `everyMs` and whenever `refreshOn` changes (new data: a poll just ended), so a
 * time that just happened is measured against a fresh clock instead of one up to `everyMs` old.
 */
export function useNow(everyMs = 15_000, refreshOn?: unknown): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const refresh = () => setNow(Date.now());
    // New data: re-read the clock at once (from a task, so the effect itself sets no state), then tick from there.
    const first = setTimeout(refresh, 0);
    const timer = setInterval(refresh, everyMs);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [everyMs, refreshOn]);
  return now;
}

function span(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

export function fromNow(at: number | null | undefined, now: number, never = 'never'): string {
  if (at === null || at === undefined) return never;
  const delta = at - now;
  if (Math.abs(delta) < 5_000) return 'just now';
  return delta > 0 ? `in ${span(delta)}` : `${span(-delta)} ago`;
}

/**
 * A time that has already happened (a finished poll, a first evaluation): never reads as the future, which a
 * clock that ticks every few seconds would otherwise show for a time newer than its last tick.
 */
export function ago(at: number | null | undefined, now: number, never = 'never'): string {
  if (at === null || at === undefined) return never;
  return fromNow(Math.min(at, now), now, never);
}

export function clockTime(at: number): string {
  return new Date(at).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
