// Shared by the reliability suites: a real app over a temp directory with short HTTP timeouts, a
// dispatcher that throws the envelope's error, and scheduler timers the test fires by hand.
import type { Channel, Req, Res } from '../../src-shared/contract';
import { dispatch } from '../../src-shared/dispatch';
import type { App, AppDeps } from '../core/app';
import type { SchedulerTimers } from '../core/posture/scheduler';
import type { Clock } from '../core/providers/clock';
import { createHttp, type HttpClient } from '../core/providers/http';
import { createTestApp } from '../core/test-app.testkit';

/**
 * Real time, except that waiting is skipped: a backoff or a server's Retry-After moves this clock forward
 * at once. Retries, rate budgets and token lifetimes behave as they would, without the test sleeping.
 */
export function fastForwardClock(): Clock {
  let skipped = 0;
  return {
    now: () => Date.now() + skipped,
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      skipped += Math.max(0, ms);
      // Let I/O run between retries, as a real sleep would.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}

/**
 * Outgoing HTTP tuned for tests: a hung server is given up on after 300 ms (a loopback simulator answers
 * in a few), waits are skipped, and a server asking for more than 1.5 s of patience is reported, not obeyed.
 */
export function fastHttp(overrides: Parameters<typeof createHttp>[0] = {}): HttpClient {
  return createHttp({
    clock: fastForwardClock(),
    headersTimeoutMs: 300,
    bodyTimeoutMs: 300,
    connectTimeoutMs: 300,
    retry: { maxAttempts: 3, maxTimeoutAttempts: 2, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1_500 },
    ...overrides,
  });
}

/** Scheduler timers that never fire on their own: the test fires the armed ones, as time passing would. */
export function manualTimers(): SchedulerTimers & { fireAll(): number; armed(): number } {
  const pending = new Map<number, () => void>();
  let next = 1;
  return {
    now: () => Date.now(),
    setTimeout(callback) {
      const id = next++;
      pending.set(id, callback);
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
    fireAll() {
      const due = [...pending.values()];
      pending.clear();
      for (const callback of due) callback();
      return due.length;
    },
    armed: () => pending.size,
  };
}

export class CallError extends Error {
  readonly channel: string;
  readonly body: { code: string; message: string; fix?: string };

  constructor(channel: string, body: { code: string; message: string; fix?: string }) {
    super(`${channel}: ${body.code}: ${body.message}`);
    this.channel = channel;
    this.body = body;
  }
}

/** Calls a channel the way both transports do (schema parse, handler, envelope) and unwraps it. */
export async function call<C extends Channel>(app: App, channel: C, req: Req<C>): Promise<Res<C>> {
  const res = await dispatch(app.handlers, channel, req);
  if (!res.ok) throw new CallError(channel, res.error);
  return res.value as Res<C>;
}

export async function startApp(overrides: Partial<AppDeps> = {}) {
  const http = overrides.http ?? fastHttp();
  const { app, dir } = await createTestApp({ schedule: false, http, ...overrides });
  return {
    app,
    dir,
    async close() {
      await app.close();
      if (!overrides.http) await http.close();
    },
  };
}

/** Polls until `check` holds (behaviour, not timing: the limit is only a guard against hanging). */
export async function until(check: () => boolean | Promise<boolean>, what: string, limitMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
