// Retry delays for a failing sink: exponential with jitter, never sooner than the receiver asked.
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

/** Delay before attempt `attempt` (1 = first retry): half fixed, half random, so many consoles do not retry in step. */
export function retryDelay(attempt: number, random: () => number, afterMs?: number, maxMs = BACKOFF_MAX_MS): number {
  const ceiling = Math.min(maxMs, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  const delay = ceiling / 2 + random() * (ceiling / 2);
  return Math.round(Math.max(delay, afterMs ?? 0));
}
