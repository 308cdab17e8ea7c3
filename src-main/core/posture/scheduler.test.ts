import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PollProgress, PollStatus } from '../../../src-shared/schemas/posture';
import { createPollScheduler, type PollFunction, type ScheduledProvider, type SchedulerOptions } from './scheduler';

const MIN = 60_000;
const INTERVAL = 10 * MIN;

type Call = {
  id: string;
  signal: AbortSignal;
  onProgress: (p: PollProgress) => void;
  resolve: (info?: { requestsUsed?: number }) => void;
  reject: (error: unknown) => void;
};

/** A scheduler whose polls wait until the test settles them; a poll rejects when aborted, as a real one does. */
function harness(options: Partial<SchedulerOptions> = {}, providers: ScheduledProvider[] = [{ id: 'cs', intervalMs: INTERVAL }]) {
  const calls: Call[] = [];
  const statuses: PollStatus[] = [];
  const resumeListeners: (() => void)[] = [];
  const poll: PollFunction = (id, signal, onProgress) =>
    new Promise((resolve, reject) => {
      calls.push({ id, signal, onProgress, resolve: (info) => resolve(info), reject });
      signal.addEventListener('abort', () => reject(signal.reason));
    });
  const scheduler = createPollScheduler({
    poll,
    random: () => 0.5,
    wakeDelayMs: 0,
    power: {
      onResume: (listener) => {
        resumeListeners.push(listener);
        return () => resumeListeners.splice(resumeListeners.indexOf(listener), 1);
      },
    },
    onStatus: (s) => statuses.push(s),
    ...options,
  });
  scheduler.setProviders(providers);
  const last = () => calls[calls.length - 1] as Call;
  const wake = () => resumeListeners.forEach((l) => l());
  return { scheduler, calls, statuses, last, wake, resumeListeners };
}

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-25T12:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('timers', () => {
  it('polls a new provider at once, then once per interval', async () => {
    const { scheduler, calls, last } = harness();
    await tick();
    expect(calls.map((c) => c.id)).toEqual(['cs']);
    last().resolve();
    await tick();
    expect(scheduler.status('cs')).toMatchObject({ state: 'idle', nextPollAt: Date.now() + INTERVAL, lastSuccessAt: Date.now() });
    await tick(INTERVAL - 1);
    expect(calls).toHaveLength(1);
    await tick(1);
    expect(calls).toHaveLength(2);
  });

  it('waits out the interval after a restart instead of polling at once', async () => {
    const lastSuccessAt = Date.now() - 4 * MIN;
    const { scheduler, calls } = harness({}, [{ id: 'cs', intervalMs: INTERVAL, lastSuccessAt }]);
    expect(scheduler.status('cs').nextPollAt).toBe(lastSuccessAt + INTERVAL);
    await tick(6 * MIN - 1);
    expect(calls).toHaveLength(0);
    await tick(1);
    expect(calls).toHaveLength(1);
  });

  it.each([0, 0.25, 0.5, 0.75, 0.999999])('keeps the wait within ±10%% of the interval (random %f)', async (r) => {
    const { scheduler, last } = harness({ random: () => r });
    await tick();
    last().resolve();
    await tick();
    const wait = (scheduler.status('cs').nextPollAt ?? 0) - Date.now();
    expect(wait).toBeGreaterThanOrEqual(0.9 * INTERVAL);
    expect(wait).toBeLessThanOrEqual(1.1 * INTERVAL);
    expect(wait).toBeCloseTo(INTERVAL * (0.9 + 0.2 * r), 0);
  });

  it('never runs two polls of one provider at once', async () => {
    const { scheduler, calls, statuses } = harness();
    await tick();
    await tick(5 * INTERVAL);
    expect(calls).toHaveLength(1);
    expect(scheduler.status('cs')).toMatchObject({ state: 'polling', nextPollAt: null });
    expect(statuses.at(-1)?.state).toBe('polling');
  });

  it('runs providers independently', async () => {
    const { calls } = harness({}, [
      { id: 'cs', intervalMs: INTERVAL },
      { id: 's1', intervalMs: 5 * MIN },
    ]);
    await tick();
    expect(calls.map((c) => c.id)).toEqual(['cs', 's1']);
    calls[1]?.resolve();
    await tick(5 * MIN);
    expect(calls.map((c) => c.id)).toEqual(['cs', 's1', 's1']);
  });
});

describe('backoff', () => {
  it('doubles the wait after each failure, caps it at the interval, and resets on success', async () => {
    const { scheduler, calls, last } = harness({ backoffBaseMs: 30_000 });
    const waits: number[] = [];
    await tick();
    for (let i = 0; i < 7; i++) {
      last().reject(new Error('Falcon answered 503'));
      await tick();
      const status = scheduler.status('cs');
      expect(status).toMatchObject({ state: 'backing_off', failures: i + 1, lastError: 'Falcon answered 503' });
      waits.push((status.nextPollAt ?? 0) - Date.now());
      await tick(waits[i]);
    }
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, INTERVAL, INTERVAL]);
    expect(calls).toHaveLength(8);

    last().resolve();
    await tick();
    expect(scheduler.status('cs')).toMatchObject({ state: 'idle', failures: 0, lastError: null, nextPollAt: Date.now() + INTERVAL });
  });

  it('tells pollNow callers how the poll ended', async () => {
    const { scheduler, last } = harness();
    await tick();
    last().resolve();
    await tick();
    const failing = scheduler.pollNow('cs');
    last().reject(new Error('token expired'));
    await expect(failing).resolves.toEqual({ outcome: 'failed', error: 'token expired' });
  });
});

describe('poll now', () => {
  it("queues one more poll behind a running one and returns its result, not the running poll's", async () => {
    const { scheduler, calls } = harness();
    await tick();
    const a = scheduler.pollNow('cs');
    const b = scheduler.pollNow('cs');
    expect(calls).toHaveLength(1);
    calls[0]?.reject(new Error('started before the request'));
    await tick();
    // The queued poll starts as soon as the running one ends; both callers wait for it.
    expect(calls).toHaveLength(2);
    expect(scheduler.status('cs').state).toBe('polling');
    calls[1]?.resolve();
    await expect(a).resolves.toEqual({ outcome: 'succeeded' });
    await expect(b).resolves.toEqual({ outcome: 'succeeded' });
    await tick(INTERVAL - 1);
    expect(calls).toHaveLength(2);
    expect(scheduler.status('cs')).toMatchObject({ state: 'idle', failures: 0 });
  });

  it('queues at most one poll however many are asked for while one runs', async () => {
    const { scheduler, calls } = harness();
    await tick();
    const asked = [scheduler.pollNow('cs'), scheduler.pollNow('cs'), scheduler.pollNow('cs')];
    calls[0]?.resolve();
    await tick();
    expect(calls).toHaveLength(2);
    const later = scheduler.pollNow('cs');
    calls[1]?.resolve();
    await tick();
    expect(calls).toHaveLength(3);
    calls[2]?.resolve();
    await expect(Promise.all(asked)).resolves.toEqual([{ outcome: 'succeeded' }, { outcome: 'succeeded' }, { outcome: 'succeeded' }]);
    await expect(later).resolves.toEqual({ outcome: 'succeeded' });
    await tick();
    expect(calls).toHaveLength(3);
  });

  it('cancel drops the queued poll with the running one', async () => {
    const { scheduler, calls } = harness();
    await tick();
    const queued = scheduler.pollNow('cs');
    expect(scheduler.cancel('cs')).toBe(true);
    await expect(queued).resolves.toEqual({ outcome: 'cancelled' });
    await tick();
    expect(calls).toHaveLength(1);
  });

  it('a stop settles the queued poll as cancelled without starting it', async () => {
    const { scheduler, calls, last } = harness();
    await tick();
    const queued = scheduler.pollNow('cs');
    const stopping = scheduler.stop({ abort: false });
    last().resolve();
    await stopping;
    await expect(queued).resolves.toEqual({ outcome: 'cancelled' });
    expect(calls).toHaveLength(1);
  });

  it('removing the provider settles its queued poll as cancelled', async () => {
    const { scheduler, calls } = harness();
    await tick();
    const queued = scheduler.pollNow('cs');
    scheduler.setProviders([]);
    await expect(queued).resolves.toEqual({ outcome: 'cancelled' });
    await tick();
    expect(calls).toHaveLength(1);
  });

  it('starts a poll at once and moves the next timed poll out by an interval', async () => {
    const { scheduler, calls, last } = harness();
    await tick();
    last().resolve();
    await tick(3 * MIN);
    const run = scheduler.pollNow('cs');
    expect(calls).toHaveLength(2);
    last().resolve();
    await run;
    expect(scheduler.status('cs').nextPollAt).toBe(Date.now() + INTERVAL);
  });

  it('refuses a provider it does not schedule', async () => {
    const { scheduler } = harness();
    await expect(scheduler.pollNow('nope')).rejects.toThrow('Provider nope is not a scheduled posture provider.');
  });
});

describe('pause and resume', () => {
  it('stops scheduling a paused provider and polls an overdue one on resume', async () => {
    const { scheduler, calls, last } = harness();
    await tick();
    last().resolve();
    await tick();
    scheduler.pause('cs');
    expect(scheduler.status('cs')).toMatchObject({ state: 'paused', nextPollAt: null });
    await tick(3 * INTERVAL);
    expect(calls).toHaveLength(1);
    scheduler.resume('cs');
    await tick();
    expect(calls).toHaveLength(2);
  });

  it('resumes a provider that is not yet due at its old due time', async () => {
    const { scheduler, calls, last } = harness();
    await tick();
    last().resolve();
    await tick();
    const due = scheduler.status('cs').nextPollAt;
    scheduler.pause('cs');
    await tick(2 * MIN);
    scheduler.resume('cs');
    expect(scheduler.status('cs').nextPollAt).toBe(due);
    expect(calls).toHaveLength(1);
  });

  it('lets a running poll finish when paused, then stays paused', async () => {
    const { scheduler, calls, last } = harness();
    await tick();
    scheduler.pause('cs');
    expect(scheduler.status('cs').state).toBe('polling');
    expect(last().signal.aborted).toBe(false);
    last().resolve();
    await tick(3 * INTERVAL);
    expect(scheduler.status('cs')).toMatchObject({ state: 'paused', nextPollAt: null });
    expect(calls).toHaveLength(1);
  });

  it('pauses everything globally; resuming globally keeps a provider paused on its own', async () => {
    const { scheduler, calls } = harness({}, [
      { id: 'cs', intervalMs: INTERVAL, lastSuccessAt: Date.now() },
      { id: 's1', intervalMs: INTERVAL, lastSuccessAt: Date.now() },
    ]);
    scheduler.pause('s1');
    scheduler.pauseAll();
    expect(scheduler.statuses().map((s) => s.state)).toEqual(['paused', 'paused']);
    await tick(2 * INTERVAL);
    expect(calls).toHaveLength(0);
    scheduler.resumeAll();
    expect(scheduler.globallyPaused).toBe(false);
    await tick();
    expect(calls.map((c) => c.id)).toEqual(['cs']);
    expect(scheduler.status('s1').state).toBe('paused');
  });

  it('still polls a paused provider on demand, and it stays paused', async () => {
    const { scheduler, calls, last } = harness({}, [{ id: 'cs', intervalMs: INTERVAL, lastSuccessAt: Date.now() }]);
    scheduler.pause('cs');
    const run = scheduler.pollNow('cs');
    expect(calls).toHaveLength(1);
    last().resolve();
    await run;
    expect(scheduler.status('cs')).toMatchObject({ state: 'paused', nextPollAt: null });
  });
});

describe('wake from sleep', () => {
  it('polls after resume without waiting out the interval', async () => {
    const { calls, last, wake } = harness({ wakeDelayMs: 5_000 });
    await tick();
    last().resolve();
    await tick(MIN);
    wake();
    await tick(4_999);
    expect(calls).toHaveLength(1);
    await tick(1);
    expect(calls).toHaveLength(2);
  });

  it('does not poll a paused provider or add a poll to a running one', async () => {
    const { scheduler, calls, wake } = harness({}, [
      { id: 'cs', intervalMs: INTERVAL },
      { id: 's1', intervalMs: INTERVAL, lastSuccessAt: Date.now() },
    ]);
    await tick();
    scheduler.pause('s1');
    wake();
    await tick();
    expect(calls.map((c) => c.id)).toEqual(['cs']);
  });
});

describe('cancel and stop', () => {
  it('aborts the running poll; a cancelled poll is not a failure', async () => {
    const { scheduler, last } = harness();
    await tick();
    const run = scheduler.pollNow('cs');
    expect(scheduler.cancel('cs')).toBe(true);
    expect(last().signal.aborted).toBe(true);
    await expect(run).resolves.toEqual({ outcome: 'cancelled' });
    expect(scheduler.status('cs')).toMatchObject({ state: 'idle', failures: 0, lastError: null, nextPollAt: Date.now() + INTERVAL });
    expect(scheduler.cancel('cs')).toBe(false);
  });

  it('stop waits for the running poll to finish when asked not to abort it', async () => {
    const { scheduler, calls, last, resumeListeners } = harness();
    await tick();
    let stopped = false;
    const stopping = scheduler.stop({ abort: false }).then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false);
    expect(last().signal.aborted).toBe(false);
    last().resolve();
    await stopping;
    expect(stopped).toBe(true);
    expect(resumeListeners).toHaveLength(0);
    await tick(5 * INTERVAL);
    expect(calls).toHaveLength(1);
    await expect(scheduler.pollNow('cs')).rejects.toThrow('Polling has been shut down.');
  });

  it('stop aborts the running poll by default and waits until it has settled', async () => {
    const { scheduler, calls, last } = harness({}, [
      { id: 'cs', intervalMs: INTERVAL },
      { id: 's1', intervalMs: INTERVAL, lastSuccessAt: Date.now() },
    ]);
    await tick();
    await scheduler.stop();
    expect(last().signal.aborted).toBe(true);
    await tick(5 * INTERVAL);
    expect(calls).toHaveLength(1);
  });

  it('removing a provider aborts its poll and forgets it', async () => {
    const { scheduler, calls, last } = harness();
    await tick();
    scheduler.setProviders([]);
    expect(last().signal.aborted).toBe(true);
    await tick(5 * INTERVAL);
    expect(calls).toHaveLength(1);
    expect(scheduler.statuses()).toEqual([]);
  });
});

describe('status', () => {
  it('reports progress while polling and requests used afterwards', async () => {
    const { scheduler, statuses, last } = harness();
    await tick();
    last().onProgress({ phase: 'hosts', done: 1200, total: 5000 });
    expect(scheduler.status('cs')).toMatchObject({ state: 'polling', progress: { phase: 'hosts', done: 1200, total: 5000 } });
    last().resolve({ requestsUsed: 57 });
    await tick();
    expect(scheduler.status('cs').progress).toBeUndefined();
    expect(scheduler.status('cs').requestsUsed).toBe(57);
    expect(statuses.map((s) => s.state)).toEqual(['idle', 'polling', 'polling', 'idle']);
  });

  it('re-times a provider whose interval changed', async () => {
    const { scheduler, last } = harness();
    await tick();
    last().resolve();
    await tick();
    scheduler.setProviders([{ id: 'cs', intervalMs: 30 * MIN }]);
    expect(scheduler.status('cs').nextPollAt).toBe(Date.now() + 30 * MIN);
  });
});
