// Poll timers: one per provider at its interval (±10% jitter), never two polls of one provider at once, backoff after
// failures, pause/resume, poll-now (queued behind a running poll), a poll after wake from sleep, cancellation and a
// graceful stop.
import { ContractError } from '../../../src-shared/errors';
import type { PollProgress, PollStatus, PollTally } from '../../../src-shared/schemas/posture';

export interface SchedulerTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Looked up at call time, so vitest fake timers replace them. */
export const systemTimers: SchedulerTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The platform's power notifications (Electron powerMonitor in the shell). */
export interface PowerEvents {
  /** Returns the unsubscribe function. */
  onResume(listener: () => void): () => void;
}

export type PollFunction = (
  providerId: string,
  signal: AbortSignal,
  onProgress: (progress: PollProgress) => void,
) => Promise<{ requestsUsed?: number; tally?: PollTally } | void>;

export type PollRun = { outcome: 'succeeded'; tally?: PollTally } | { outcome: 'failed'; error: string } | { outcome: 'cancelled' };

export interface ScheduledProvider {
  id: string;
  intervalMs: number;
  /** The last successful poll before a restart, so a restart does not poll everything at once. */
  lastSuccessAt?: number | null;
}

export interface SchedulerOptions {
  poll: PollFunction;
  timers?: SchedulerTimers;
  random?: () => number;
  power?: PowerEvents;
  /** Fraction of the interval each wait may vary by (default 0.1). */
  jitter?: number;
  /** First retry delay after a failure; doubles per failure, capped at the interval (default 30 s). */
  backoffBaseMs?: number;
  /** Wait after wake, because the network usually comes back a few seconds after resume (default 5 s). */
  wakeDelayMs?: number;
  onStatus?: (status: PollStatus) => void;
  describeError?: (error: unknown) => string;
}

type Running = { controller: AbortController; promise: Promise<PollRun> };

/** A poll asked for while one runs: it starts when the running one ends, and every caller since gets its result. */
type Queued = { promise: Promise<PollRun>; settle: (run: PollRun) => void };

function queuedPoll(): Queued {
  let settle!: (run: PollRun) => void;
  const promise = new Promise<PollRun>((resolve) => (settle = resolve));
  return { promise, settle };
}

type Slot = {
  id: string;
  intervalMs: number;
  paused: boolean;
  removed: boolean;
  timer: unknown;
  /** When the next poll is due; kept while paused so resume knows whether it is overdue. */
  dueAt: number;
  nextPollAt: number | null;
  running: Running | null;
  /** At most one poll waits behind the running one: what changed since it started (a saved check) is seen then. */
  queued: Queued | null;
  failures: number;
  lastSuccessAt: number | null;
  lastFinishedAt: number | null;
  lastError: string | null;
  progress: PollProgress | undefined;
  requestsUsed: number | undefined;
  lastPoll: PollTally | undefined;
};

export function createPollScheduler(options: SchedulerOptions) {
  const timers = options.timers ?? systemTimers;
  const random = options.random ?? Math.random;
  const jitter = options.jitter ?? 0.1;
  const backoffBaseMs = options.backoffBaseMs ?? 30_000;
  const wakeDelayMs = options.wakeDelayMs ?? 5_000;
  const describeError = options.describeError ?? ((e: unknown) => (e instanceof Error ? e.message : String(e)));
  const slots = new Map<string, Slot>();
  let globallyPaused = false;
  let stopped = false;

  const jittered = (ms: number) => ms * (1 + jitter * (2 * random() - 1));
  const backoff = (slot: Slot) => Math.min(slot.intervalMs, backoffBaseMs * 2 ** (slot.failures - 1));
  const isPaused = (slot: Slot) => slot.paused || globallyPaused;

  const statusOf = (slot: Slot): PollStatus => ({
    providerId: slot.id,
    state: slot.running ? 'polling' : isPaused(slot) ? 'paused' : slot.failures > 0 ? 'backing_off' : 'idle',
    lastSuccessAt: slot.lastSuccessAt,
    lastError: slot.lastError,
    nextPollAt: slot.nextPollAt,
    failures: slot.failures,
    ...(slot.progress ? { progress: slot.progress } : {}),
    ...(slot.requestsUsed !== undefined ? { requestsUsed: slot.requestsUsed } : {}),
    ...(slot.lastPoll ? { lastPoll: slot.lastPoll } : {}),
  });
  const emit = (slot: Slot) => {
    if (!slot.removed) options.onStatus?.(statusOf(slot));
  };

  const disarm = (slot: Slot) => {
    if (slot.timer !== null) timers.clearTimeout(slot.timer);
    slot.timer = null;
    slot.nextPollAt = null;
  };

  /** Sets the timer for `dueAt` unless the provider is polling, paused, removed or the scheduler stopped. */
  const arm = (slot: Slot) => {
    disarm(slot);
    if (stopped || slot.removed || slot.running || isPaused(slot)) return;
    const now = timers.now();
    const at = Math.max(now, slot.dueAt);
    slot.nextPollAt = at;
    slot.timer = timers.setTimeout(() => {
      slot.timer = null;
      void run(slot);
    }, at - now);
  };

  const run = (slot: Slot): Promise<PollRun> => {
    if (slot.running) return slot.running.promise;
    disarm(slot);
    const controller = new AbortController();
    const current: Running = { controller, promise: Promise.resolve({ outcome: 'cancelled' }) };
    slot.running = current;
    slot.progress = undefined;
    emit(slot);
    current.promise = (async (): Promise<PollRun> => {
      let result: PollRun;
      try {
        const info = await options.poll(slot.id, controller.signal, (progress) => {
          if (slot.running !== current) return;
          slot.progress = progress;
          emit(slot);
        });
        slot.failures = 0;
        slot.lastError = null;
        slot.lastSuccessAt = timers.now();
        slot.requestsUsed = info?.requestsUsed ?? slot.requestsUsed;
        slot.lastPoll = info?.tally ?? slot.lastPoll;
        result = info?.tally ? { outcome: 'succeeded', tally: info.tally } : { outcome: 'succeeded' };
      } catch (error) {
        if (controller.signal.aborted) result = { outcome: 'cancelled' };
        else {
          slot.failures++;
          slot.lastError = describeError(error);
          result = { outcome: 'failed', error: slot.lastError };
        }
      }
      if (slot.running === current) slot.running = null;
      slot.progress = undefined;
      slot.lastFinishedAt = timers.now();
      slot.dueAt = slot.lastFinishedAt + (result.outcome === 'failed' ? backoff(slot) : jittered(slot.intervalMs));
      const queued = slot.queued;
      slot.queued = null;
      if (queued && !stopped && !slot.removed) {
        // The queued poll starts at once (it emits its own status); its callers get its result.
        void run(slot).then(queued.settle);
      } else {
        queued?.settle({ outcome: 'cancelled' });
        arm(slot);
        emit(slot);
      }
      return result;
    })();
    return current.promise;
  };

  const slotOf = (id: string) => {
    const slot = slots.get(id);
    if (!slot)
      throw new ContractError({
        code: 'posture.provider_not_scheduled',
        message: `Provider ${id} is not a scheduled posture provider.`,
        fix: 'Reload the providers; it may have been removed.',
      });
    return slot;
  };

  const unsubscribe = options.power?.onResume(() => {
    if (stopped) return;
    const soon = timers.now() + wakeDelayMs;
    for (const slot of slots.values()) {
      if (slot.running || isPaused(slot)) continue;
      slot.dueAt = Math.min(slot.dueAt, soon);
      arm(slot);
      emit(slot);
    }
  });

  return {
    /** The providers to poll: adds, removes (aborting a running poll) and re-times. */
    setProviders(list: readonly ScheduledProvider[]): void {
      const wanted = new Map(list.map((p) => [p.id, p]));
      for (const slot of slots.values())
        if (!wanted.has(slot.id)) {
          slot.removed = true;
          disarm(slot);
          slot.running?.controller.abort();
          slots.delete(slot.id);
        }
      const now = timers.now();
      for (const p of list) {
        const slot = slots.get(p.id);
        if (!slot) {
          const last = p.lastSuccessAt ?? null;
          const created: Slot = {
            id: p.id,
            intervalMs: p.intervalMs,
            paused: false,
            removed: false,
            timer: null,
            dueAt: last === null ? now : last + jittered(p.intervalMs),
            nextPollAt: null,
            running: null,
            queued: null,
            failures: 0,
            lastSuccessAt: last,
            lastFinishedAt: last,
            lastError: null,
            progress: undefined,
            requestsUsed: undefined,
            lastPoll: undefined,
          };
          slots.set(p.id, created);
          arm(created);
          emit(created);
        } else if (slot.intervalMs !== p.intervalMs) {
          slot.intervalMs = p.intervalMs;
          if (slot.failures === 0) slot.dueAt = (slot.lastFinishedAt ?? now) + jittered(p.intervalMs);
          else slot.dueAt = Math.min(slot.dueAt, (slot.lastFinishedAt ?? now) + p.intervalMs);
          arm(slot);
          emit(slot);
        }
      }
    },

    /**
     * Polls now, even when paused. While a poll of this provider runs, one more poll is queued after it (one at
     * most: later requests join it) and its result returned, since the running poll started before the request.
     */
    async pollNow(id: string): Promise<PollRun> {
      if (stopped) throw new ContractError({ code: 'posture.scheduler_stopped', message: 'Polling has been shut down.' });
      const slot = slotOf(id);
      if (!slot.running) return run(slot);
      slot.queued ??= queuedPoll();
      return slot.queued.promise;
    },

    /** Aborts the running poll of a provider and drops a queued one; the next is scheduled as after a success. */
    cancel(id: string): boolean {
      const slot = slotOf(id);
      const running = slot.running;
      slot.queued?.settle({ outcome: 'cancelled' });
      slot.queued = null;
      running?.controller.abort();
      return running !== null;
    },

    /** Stops scheduling a provider; a poll already running finishes. */
    pause(id: string): void {
      const slot = slotOf(id);
      slot.paused = true;
      arm(slot);
      emit(slot);
    },
    /** Schedules again; an overdue poll runs at once. */
    resume(id: string): void {
      const slot = slotOf(id);
      slot.paused = false;
      arm(slot);
      emit(slot);
    },
    pauseAll(): void {
      globallyPaused = true;
      for (const slot of slots.values()) {
        arm(slot);
        emit(slot);
      }
    },
    /** Lifts the global pause; providers paused one by one stay paused. */
    resumeAll(): void {
      globallyPaused = false;
      for (const slot of slots.values()) {
        arm(slot);
        emit(slot);
      }
    },
    get globallyPaused(): boolean {
      return globallyPaused;
    },

    status(id: string): PollStatus {
      return statusOf(slotOf(id));
    },
    statuses(): PollStatus[] {
      return [...slots.values()].map(statusOf);
    },

    /** Clears every timer, aborts running polls unless `abort: false`, and resolves when they have settled. */
    async stop(stopOptions: { abort?: boolean } = {}): Promise<void> {
      stopped = true;
      unsubscribe?.();
      const running: Promise<PollRun>[] = [];
      for (const slot of slots.values()) {
        disarm(slot);
        if (!slot.running) continue;
        if (stopOptions.abort ?? true) slot.running.controller.abort();
        running.push(slot.running.promise);
      }
      await Promise.all(running);
    },
  };
}

export type PollScheduler = ReturnType<typeof createPollScheduler>;
