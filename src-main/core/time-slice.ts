// Long CPU work on the main thread in slices: the work is a generator that yields often (each step cheap), and a
// runner takes steps until a slice has run its time, then lets timers, I/O and requests run before the next slice.
// Every sliced job of the process shares one runner and one slice per turn of the event loop: a poll's evaluation,
// a Devices search index and the users directory running at once still hold the loop for one slice, not one each;
// work a screen waits on (runSlicedFirst) takes the slices before the background's.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Slice length: well under the 100 ms an admin notices, long enough that the pauses cost little. */
export const SLICE_MS = 20;

/** Steps between two looks at the clock: a step is cheap, the clock less so. */
const STEPS_PER_CLOCK = 256;

export interface TimeSlicer {
  /** True when the current slice has run its time (checks the clock every `every` calls). */
  due(): boolean;
  /** Yields to the event loop and starts a new slice. */
  pause(): Promise<void>;
}

export function createTimeSlicer(sliceMs = SLICE_MS, every = STEPS_PER_CLOCK): TimeSlicer {
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

/**
 * Runs a generator of steps in slices. Without a slicer it joins the shared runner (the usual case); with one (tests
 * counting pauses) it runs on its own, pausing whenever that slicer says so.
 */
export async function runSliced<T>(steps: Generator<unknown, T>, slicer?: TimeSlicer): Promise<T> {
  if (!slicer) return shared.run(steps);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (slicer.due()) await slicer.pause();
  }
}

/**
 * runSliced for work someone is waiting on (a screen's request: a Devices search, a sort): its slices come before
 * the background's (a poll's match and evaluation), so the answer waits for its own work, not for the poll's.
 */
export function runSlicedFirst<T>(steps: Generator<unknown, T>): Promise<T> {
  return shared.run(steps, 'first');
}

type Job = { steps: Generator<unknown, unknown>; resolve(value: unknown): void; reject(error: unknown): void };

/** The process's runner: jobs in turn, one slice per turn of the event loop for all of them together. */
export function createRunner(sliceMs = SLICE_MS) {
  /** Requests someone waits on; the background's jobs run only when none of these is left. */
  const first: Job[] = [];
  const background: Job[] = [];
  let scheduled = false;

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // The promise form, as the slicer's pause: tests that fake the global timers do not stop the runner.
    void nextTurn().then(slice);
  };

  function slice() {
    scheduled = false;
    const started = performance.now();
    let steps = 0;
    for (;;) {
      const jobs = first.length > 0 ? first : background;
      const job = jobs[0];
      if (!job) return;
      let step: IteratorResult<unknown, unknown>;
      try {
        step = job.steps.next();
      } catch (error) {
        jobs.shift();
        job.reject(error);
        continue;
      }
      if (step.done) {
        jobs.shift();
        job.resolve(step.value);
        continue;
      }
      if (++steps % STEPS_PER_CLOCK === 0 && performance.now() - started >= sliceMs) {
        // The job that used the slice goes to the back: the next slice starts with another one.
        jobs.push(jobs.shift()!);
        schedule();
        return;
      }
    }
  }

  return {
    run<T>(steps: Generator<unknown, T>, order: 'first' | 'background' = 'background'): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        (order === 'first' ? first : background).push({ steps, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
  };
}

const shared = createRunner();
