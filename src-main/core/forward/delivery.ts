// The delivery loops: one per enabled sink, reading its outbox queue in batches, handing them to the sink's
// transport and recording what became of them. A failing sink backs off on its own; the others, and polling, go on.
import type { SinkConfig, SinkError, SinkStatus } from '../../../src-shared/schemas/sinks';
import type { Logger } from '../log';
import { retryDelay } from './backoff';
import type { OutboxStore } from './outbox-store';
import type { SinkTransport } from './transport';

export type DeliveryTimers = { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };

export interface DeliveryDeps {
  outbox: OutboxStore;
  /** The transport for a sink (its token read from the vault); null when the sink cannot run (no token). */
  transportFor(config: SinkConfig): Promise<SinkTransport | { error: SinkError }>;
  now?: () => number;
  random?: () => number;
  timers?: DeliveryTimers;
  logger?: Logger;
  onStatus?(sinkId: string): void;
  /** The longest wait between retries (5 minutes unless a test wants a receiver's return noticed sooner). */
  maxBackoffMs?: number;
}

type Runtime = {
  lastError: (SinkError & { at: number }) | null;
  retryAt: number | null;
  attempts: number;
};

type Loop = { config: SinkConfig; stop(): Promise<void>; wake(): void };

const realTimers: DeliveryTimers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };

export function createDelivery(deps: DeliveryDeps) {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const timers = deps.timers ?? realTimers;
  const loops = new Map<string, Loop>();
  const runtime = new Map<string, Runtime>();

  const runtimeOf = (sinkId: string): Runtime => {
    let r = runtime.get(sinkId);
    if (!r) runtime.set(sinkId, (r = { lastError: null, retryAt: null, attempts: 0 }));
    return r;
  };

  function startLoop(config: SinkConfig): Loop {
    const abort = new AbortController();
    let wakeUp: (() => void) | null = null;
    let woken = false;
    const state = runtimeOf(config.id);
    const fail = (error: SinkError) => {
      state.lastError = { ...error, at: now() };
      deps.logger?.warn({ sink: config.id, code: error.code }, 'forwarding failed');
    };

    /** Resolves after `ms`, on wake() (ms = Infinity waits for new events only), or on stop. */
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        // Stopped while the loop was busy: an abort listener added now would never fire.
        if (abort.signal.aborted) return resolve();
        if (woken && ms === Infinity) {
          woken = false;
          return resolve();
        }
        const handle = ms === Infinity ? null : timers.setTimeout(done, ms);
        function done() {
          if (handle !== null) timers.clearTimeout(handle);
          abort.signal.removeEventListener('abort', done);
          wakeUp = null;
          resolve();
        }
        wakeUp = ms === Infinity ? done : null;
        abort.signal.addEventListener('abort', done, { once: true });
      });

    const run = (async () => {
      let transport: SinkTransport | null = null;
      try {
        while (!abort.signal.aborted) {
          if (!transport) {
            const made = await deps.transportFor(config);
            if ('error' in made) {
              fail(made.error);
              state.retryAt = null;
              deps.onStatus?.(config.id);
              await pause(Infinity);
              continue;
            }
            transport = made;
            // A fresh connection: what the last one may have lost goes first.
            await deps.outbox.requeueUnsettled(config.id);
          }
          const batch = await deps.outbox.next(config.id, config.batchSize);
          if (batch.length === 0) {
            await pause(Infinity);
            continue;
          }
          const outcome = await transport.deliver(
            batch.map((b) => b.event),
            abort.signal,
          );
          if (abort.signal.aborted) break;
          const seqOf = new Map(batch.map((b) => [b.event.id, b.seq]));
          switch (outcome.kind) {
            case 'delivered':
              await deps.outbox.ack({ sinkId: config.id, delivered: batch.map((b) => b.seq), dead: [], now: now(), settleMs: transport.settleMs });
              break;
            case 'partial': {
              // OTLP names a count, not the records: nothing to dead-letter, but the admin should see it.
              if (outcome.unattributed) fail(outcome.unattributed.error);
              const rejected = new Map(outcome.rejected.map((r) => [r.id, r.reason]));
              await deps.outbox.ack({
                sinkId: config.id,
                delivered: batch.filter((b) => !rejected.has(b.event.id)).map((b) => b.seq),
                dead: [...rejected].flatMap(([id, reason]) => (seqOf.has(id) ? [{ seq: seqOf.get(id)!, reason }] : [])),
                now: now(),
                settleMs: transport.settleMs,
              });
              break;
            }
            case 'refused':
              fail(outcome.error);
              await deps.outbox.ack({
                sinkId: config.id,
                delivered: [],
                dead: batch.map((b) => ({ seq: b.seq, reason: `${outcome.error.code}: ${outcome.error.message}` })),
                now: now(),
              });
              break;
            case 'retry': {
              fail(outcome.error);
              state.attempts++;
              const delay = retryDelay(state.attempts, random, outcome.afterMs, deps.maxBackoffMs);
              state.retryAt = now() + delay;
              deps.onStatus?.(config.id);
              await pause(delay);
              state.retryAt = null;
              continue;
            }
          }
          state.attempts = 0;
          state.retryAt = null;
          deps.onStatus?.(config.id);
        }
      } catch (error) {
        // The store closed under us (shutdown) or failed: the loop ends; what was not acked is sent after a restart.
        if (!abort.signal.aborted)
          fail({ code: 'sink.loop_failed', message: `Forwarding stopped: ${(error as Error).message}`, fix: 'Restart Posture Console.' });
      } finally {
        await transport?.close().catch(() => {});
      }
    })();

    return {
      config,
      wake() {
        if (wakeUp) wakeUp();
        else woken = true;
      },
      async stop() {
        abort.abort();
        await run;
      },
    };
  }

  return {
    /** Starts, restarts or stops loops to match the configured sinks (call on start and after every change). */
    async configure(sinks: SinkConfig[]): Promise<void> {
      await deps.outbox.syncSinks(sinks.map((s) => ({ sinkId: s.id, kinds: s.events, maxPending: s.maxPendingEvents })));
      const wanted = new Map(sinks.filter((s) => s.enabled).map((s) => [s.id, s]));
      for (const [id, loop] of loops) {
        const next = wanted.get(id);
        if (!next || JSON.stringify(next) !== JSON.stringify(loop.config)) {
          loops.delete(id);
          await loop.stop();
          runtime.delete(id);
        }
      }
      for (const [id, config] of wanted) if (!loops.has(id)) loops.set(id, startLoop(config));
    },

    /** New events are in the outbox: idle loops read again. */
    notify(): void {
      for (const loop of loops.values()) loop.wake();
    },

    /** Restarts a sink's loop now (after its token changed, or to retry at once). */
    async restart(config: SinkConfig): Promise<void> {
      const loop = loops.get(config.id);
      if (loop) {
        loops.delete(config.id);
        await loop.stop();
      }
      runtime.delete(config.id);
      if (config.enabled) loops.set(config.id, startLoop(config));
    },

    async status(sinkId: string): Promise<SinkStatus> {
      const t = now();
      const counters = await deps.outbox.counters(sinkId, t);
      const r = runtime.get(sinkId);
      const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
      return {
        sinkId,
        pending: counters?.pending ?? 0,
        oldestPendingAt: iso(counters?.oldestPendingAt),
        delivered: counters?.delivered ?? 0,
        dropped: counters?.dropped ?? 0,
        deadLetters: counters?.deadLetters ?? 0,
        ratePerMinute: counters?.recent ?? 0,
        lastDeliveredAt: iso(counters?.lastDeliveredAt),
        lastError: r?.lastError
          ? { code: r.lastError.code, message: r.lastError.message, fix: r.lastError.fix, at: new Date(r.lastError.at).toISOString() }
          : null,
        retryAt: iso(r?.retryAt),
        attempts: r?.attempts ?? 0,
      };
    },

    async stop(): Promise<void> {
      const all = [...loops.values()];
      loops.clear();
      await Promise.all(all.map((l) => l.stop()));
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
