// Long CPU work on the main thread in slices: the work calls `due()` often (cheap) and, when it says so, awaits
// `pause()`, which lets timers, I/O and requests run before the next slice. A poll of a 100k-device fleet then
// never holds the event loop for more than about one slice.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Slice length: well under the 100 ms an admin notices, long enough that the pauses cost little. */
export const SLICE_MS = 20;

export interface TimeSlicer {
  /** True when the current slice has run its time (checks the clock every `every` calls). */
  due(): boolean;
  /** Yields to the event loop and starts a new slice. */
  pause(): Promise<void>;
}

export function createTimeSlicer(sliceMs = SLICE_MS, every = 256): TimeSlicer {
  let started = performance.now();
  let calls = 0;
  return {
    due() {
      if (++calls < every) return false;
      calls = 0;
      return performance.now() - started >= sliceMs;
    },
    async pause() {
      await nextTurn();
      started = performance.now();
      calls = 0;
    },
  };
}

/** Runs a generator of steps to its end at once (tests and small inputs); it yields where a slice may end. */
export function runToEnd<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs a generator of steps in slices, pausing for the event loop whenever a slice has run its time. */
export async function runSliced<T>(steps: Generator<unknown, T>, slicer: TimeSlicer = createTimeSlicer()): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (slicer.due()) await slicer.pause();
  }
}
