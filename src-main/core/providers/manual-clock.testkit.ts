// A clock for tests: sleeping advances time at once and is recorded, so backoff and Retry-After
// can be checked without waiting.
import type { Clock } from './clock';

export interface ManualClock extends Clock {
  /** Every sleep asked for, in ms, in order. */
  readonly sleeps: number[];
  advance(ms: number): void;
}

export function createManualClock(start = Date.parse('2026-11-25T12:00:00Z')): ManualClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += Math.max(0, ms);
      // Let I/O run between retries, as a real sleep would.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}
