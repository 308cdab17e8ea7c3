import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ForwardEvent } from '../../../src-shared/schemas/forward';
import { SinkConfig } from '../../../src-shared/schemas/sinks';
import type { Store } from '../store/store';
import { openStoreCore, type StoreCore } from '../store/sync-store';
import { BACKOFF_BASE_MS } from './backoff';
import { createDelivery, type DeliveryTimers } from './delivery';
import { outboxStore } from './outbox-store';
import type { DeliveryOutcome, SinkTransport } from './transport';

let dir: string;
let core: StoreCore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-delivery-'));
  core = openStoreCore(join(dir, 'log.db'));
});
afterEach(() => {
  core.close();
  rmSync(dir, { recursive: true, force: true });
});

const sink = SinkConfig.parse({ kind: 'syslog', id: 's', name: 'S', host: '127.0.0.1', port: 1, events: ['audit'], batchSize: 3 });
const audit = (n: number): ForwardEvent => ({ id: `audit:${n}`, kind: 'audit', time: new Date(n).toISOString(), summary: `${n}`, body: {} });
const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

/** Timers that record each wait and fire only when the test says. */
function heldTimers(): DeliveryTimers & { delays: number[]; fire(): void } {
  const due: (() => void)[] = [];
  return {
    delays: [],
    setTimeout(fn, ms) {
      this.delays.push(ms);
      due.push(fn);
      return due.length;
    },
    clearTimeout() {},
    fire() {
      due.splice(0).forEach((fn) => fn());
    },
  };
}

function scripted(outcomes: ((batch: readonly ForwardEvent[]) => DeliveryOutcome)[]) {
  const batches: string[][] = [];
  const transport: SinkTransport = {
    async deliver(batch) {
      batches.push(batch.map((e) => e.id));
      return (outcomes.shift() ?? (() => ({ kind: 'delivered' })))(batch);
    },
    test: async () => [],
    close: async () => {},
  };
  return { transport, batches };
}

// The store core is synchronous; the delivery loop speaks to it as it would to the worker.
const asyncStore = () => ({
  outbox: (async (op: string, input: unknown) => (core.outbox as (o: string, i: unknown) => unknown)(op, input)) as Store['outbox'],
});

describe('delivery loop', () => {
  it('backs off with jitter after a retry, never sooner than afterMs, and reports the error until it recovers', async () => {
    const timers = heldTimers();
    const error = { code: 'x.down', message: 'down', fix: 'wait' };
    const { transport, batches } = scripted([() => ({ kind: 'retry', error }), () => ({ kind: 'retry', error, afterMs: 30_000 })]);
    const delivery = createDelivery({ outbox: outboxStore(asyncStore()), transportFor: async () => transport, timers, random: () => 0 });
    await delivery.configure([sink]);
    core.outbox('append', { events: [audit(1), audit(2)] });
    delivery.notify();
    await until(() => timers.delays.length === 1);
    expect(timers.delays[0]).toBe(BACKOFF_BASE_MS / 2);
    expect(await delivery.status('s')).toMatchObject({ pending: 2, attempts: 1, lastError: { code: 'x.down', fix: 'wait' }, retryAt: expect.any(String) });
    timers.fire();
    await until(() => timers.delays.length === 2);
    expect(timers.delays[1]).toBe(30_000);
    timers.fire();
    await until(() => core.outbox('counters', { sinkId: 's', now: 0 })!.pending === 0);
    expect(batches).toEqual([
      ['audit:1', 'audit:2'],
      ['audit:1', 'audit:2'],
      ['audit:1', 'audit:2'],
    ]);
    await until(() => batches.length === 3);
    await delivery.stop();
    expect(await delivery.status('s')).toMatchObject({ pending: 0, delivered: 2 });
  });

  it('refused events become dead letters; partial success dead-letters only the rejected ones', async () => {
    const error = { code: 'x.bad', message: 'bad', fix: 'fix it' };
    const { transport } = scripted([() => ({ kind: 'refused', error }), () => ({ kind: 'partial', rejected: [{ id: 'audit:5', reason: 'too big' }] })]);
    const delivery = createDelivery({ outbox: outboxStore(asyncStore()), transportFor: async () => transport });
    await delivery.configure([sink]);
    core.outbox('append', { events: [1, 2, 3, 4, 5, 6].map(audit) });
    delivery.notify();
    await until(() => core.outbox('counters', { sinkId: 's', now: 0 })!.pending === 0);
    await delivery.stop();
    expect(core.outbox('deadLetters', { sinkId: 's', limit: 10 }).map((d) => [d.event.id, d.reason])).toEqual([
      ['audit:1', 'x.bad: bad'],
      ['audit:2', 'x.bad: bad'],
      ['audit:3', 'x.bad: bad'],
      ['audit:5', 'too big'],
    ]);
    expect(core.outbox('counters', { sinkId: 's', now: 0 })).toMatchObject({ delivered: 2, deadLetters: 4 });
  });

  it('a partial success naming no records (OTLP) delivers the batch and shows the count as the last error', async () => {
    const error = { code: 'otlp.partially_rejected', message: 'rejected 1 of 3 records', fix: 'check the collector' };
    const { transport } = scripted([() => ({ kind: 'partial', rejected: [], unattributed: { count: 1, error } })]);
    const delivery = createDelivery({ outbox: outboxStore(asyncStore()), transportFor: async () => transport });
    await delivery.configure([sink]);
    core.outbox('append', { events: [1, 2, 3].map(audit) });
    delivery.notify();
    await until(() => core.outbox('counters', { sinkId: 's', now: 0 })!.pending === 0);
    expect(await delivery.status('s')).toMatchObject({ delivered: 3, deadLetters: 0, lastError: { code: 'otlp.partially_rejected' } });
    await delivery.stop();
  });

  it('stopping while a loop is between calls ends it (no wait on a listener added after the abort)', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slowStore = {
      outbox: (async (op: string, input: unknown) =>
        op === 'next' ? gate.then(() => []) : (asyncStore().outbox as (o: string, i: unknown) => unknown)(op, input)) as Store['outbox'],
    };
    const { transport } = scripted([]);
    const delivery = createDelivery({ outbox: outboxStore(slowStore), transportFor: async () => transport });
    await delivery.configure([sink]);
    const stopped = delivery.stop();
    release();
    await stopped;
  });
});
