import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ForwardEvent } from '../../../src-shared/schemas/forward';
import { openStoreCore, type StoreCore } from './sync-store';
import { syntheticPolls } from './synthetic-polls.testkit';

let dir: string;
let core: StoreCore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posture-outbox-'));
  core = openStoreCore(join(dir, 'log.db'));
});
afterEach(() => {
  core.close();
  rmSync(dir, { recursive: true, force: true });
});

const audit = (n: number): ForwardEvent => ({
  id: `audit:${n}`,
  kind: 'audit',
  time: new Date(1_700_000_000_000 + n).toISOString(),
  summary: `entry ${n}`,
  body: { n },
});
const ids = (entries: { event: ForwardEvent }[]) => entries.map((e) => e.event.id);

describe('forwarding outbox', () => {
  it('queues nothing while no sink wants the kind', () => {
    expect(core.outbox('append', { events: [audit(1)] })).toBe(0);
    core.outbox('syncSinks', { sinks: [{ sinkId: 's1', kinds: ['posture.change'], maxPending: 100 }] });
    expect(core.outbox('append', { events: [audit(2)] })).toBe(0);
    expect(core.outbox('next', { sinkId: 's1', limit: 10 })).toEqual([]);
  });

  it('posture changes enter each wanting sink in the poll transaction, with ids stable per poll and run', () => {
    core.outbox('syncSinks', {
      sinks: [
        { sinkId: 'a', kinds: ['posture.change', 'audit'], maxPending: 10_000 },
        { sinkId: 'b', kinds: ['audit'], maxPending: 10_000 },
      ],
    });
    const [poll] = [...syntheticPolls({ devices: 5, polls: 1, seed: 3 })];
    const result = core.ingest(poll!);
    const queued = core.outbox('next', { sinkId: 'a', limit: 1000 });
    expect(ids(queued)).toEqual(result.opened.map((row) => `posture:${poll!.pollId}:${row.id}`));
    expect(queued[0]!.event.kind).toBe('posture.change');
    expect(core.outbox('next', { sinkId: 'b', limit: 1000 })).toEqual([]);
    // A replayed poll writes nothing, so it queues nothing either.
    core.ingest(poll!);
    expect(core.outbox('counters', { sinkId: 'a', now: 0 })!.pending).toBe(result.opened.length);
  });

  it('delivers in order across batches; acked events leave the queue and count as delivered', () => {
    core.outbox('syncSinks', { sinks: [{ sinkId: 's', kinds: ['audit'], maxPending: 1000 }] });
    core.outbox('append', { events: Array.from({ length: 25 }, (_, i) => audit(i)) });
    const seen: string[] = [];
    for (;;) {
      const batch = core.outbox('next', { sinkId: 's', limit: 10 });
      if (batch.length === 0) break;
      seen.push(...ids(batch));
      core.outbox('ack', { sinkId: 's', delivered: batch.map((b) => b.seq), dead: [], now: 120_000 });
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `audit:${i}`));
    expect(core.outbox('counters', { sinkId: 's', now: 120_000 })).toMatchObject({ pending: 0, delivered: 25, dropped: 0, oldestPendingAt: null, recent: 5 });
  });

  it('beyond the cap the oldest events are dropped and counted', () => {
    core.outbox('syncSinks', { sinks: [{ sinkId: 's', kinds: ['audit'], maxPending: 100 }] });
    core.outbox('append', { events: Array.from({ length: 130 }, (_, i) => audit(i)) });
    core.outbox('append', { events: [audit(130)] });
    const left = core.outbox('next', { sinkId: 's', limit: 1000 });
    expect(left).toHaveLength(100);
    expect(left[0]!.event.id).toBe('audit:31');
    expect(left.at(-1)!.event.id).toBe('audit:130');
    expect(core.outbox('counters', { sinkId: 's', now: 0 })).toMatchObject({ pending: 100, dropped: 31, oldestPendingAt: 1_700_000_000_031 });
  });

  it('refused events become dead letters that can be retried in their place or discarded', () => {
    core.outbox('syncSinks', { sinks: [{ sinkId: 's', kinds: ['audit'], maxPending: 1000 }] });
    core.outbox('append', { events: [audit(1), audit(2), audit(3)] });
    const [one, two, three] = core.outbox('next', { sinkId: 's', limit: 10 });
    core.outbox('ack', { sinkId: 's', delivered: [one!.seq, three!.seq], dead: [{ seq: two!.seq, reason: 'invalid-event-number 1' }], now: 5 });
    expect(core.outbox('deadLetters', { sinkId: 's', limit: 10 })).toMatchObject([{ event: { id: 'audit:2' }, reason: 'invalid-event-number 1', deadAt: 5 }]);
    expect(core.outbox('counters', { sinkId: 's', now: 5 })).toMatchObject({ pending: 0, deadLetters: 1 });
    expect(core.outbox('retryDead', { sinkId: 's', eventIds: null })).toBe(1);
    expect(ids(core.outbox('next', { sinkId: 's', limit: 10 }))).toEqual(['audit:2']);
    const [again] = core.outbox('next', { sinkId: 's', limit: 10 });
    core.outbox('ack', { sinkId: 's', delivered: [], dead: [{ seq: again!.seq, reason: 'still bad' }], now: 6 });
    expect(core.outbox('discardDead', { sinkId: 's', eventIds: ['audit:2'] })).toBe(1);
    expect(core.outbox('counters', { sinkId: 's', now: 6 })).toMatchObject({ pending: 0, deadLetters: 0 });
  });

  it('a removed sink takes its queue with it; a lowered cap applies at once', () => {
    core.outbox('syncSinks', { sinks: [{ sinkId: 's', kinds: ['audit'], maxPending: 1000 }] });
    core.outbox('append', { events: Array.from({ length: 300 }, (_, i) => audit(i)) });
    core.outbox('syncSinks', { sinks: [{ sinkId: 's', kinds: ['audit'], maxPending: 100 }] });
    expect(core.outbox('counters', { sinkId: 's', now: 0 })).toMatchObject({ pending: 100, dropped: 200 });
    core.outbox('syncSinks', { sinks: [] });
    expect(core.outbox('counters', { sinkId: 's', now: 0 })).toBeNull();
    expect(core.outbox('next', { sinkId: 's', limit: 10 })).toEqual([]);
  });

  it('events a receipt-less sink took stay until they settle, and go out again on a new connection', () => {
    core.outbox('syncSinks', { sinks: [{ sinkId: 's', kinds: ['audit'], maxPending: 1000 }] });
    core.outbox('append', { events: [audit(1), audit(2)] });
    const batch = core.outbox('next', { sinkId: 's', limit: 10 });
    core.outbox('ack', { sinkId: 's', delivered: batch.map((b) => b.seq), dead: [], now: 1_000, settleMs: 5_000 });
    expect(core.outbox('next', { sinkId: 's', limit: 10 })).toEqual([]);
    expect(core.outbox('counters', { sinkId: 's', now: 1_000 })).toMatchObject({ pending: 0, delivered: 2 });
    // The process dies within the window: the next connection sends both again, in order.
    expect(core.outbox('requeueUnsettled', { sinkId: 's' })).toBe(2);
    expect(ids(core.outbox('next', { sinkId: 's', limit: 10 }))).toEqual(['audit:1', 'audit:2']);
    const again = core.outbox('next', { sinkId: 's', limit: 10 });
    core.outbox('ack', { sinkId: 's', delivered: again.map((b) => b.seq), dead: [], now: 2_000, settleMs: 5_000 });
    core.outbox('append', { events: [audit(3)] });
    const third = core.outbox('next', { sinkId: 's', limit: 10 });
    // Acked more than settleMs later: the first two have settled and leave for good.
    core.outbox('ack', { sinkId: 's', delivered: third.map((b) => b.seq), dead: [], now: 8_000, settleMs: 5_000 });
    expect(core.outbox('requeueUnsettled', { sinkId: 's' })).toBe(1);
    expect(ids(core.outbox('next', { sinkId: 's', limit: 10 }))).toEqual(['audit:3']);
  });

  it('survives reopening the file: the queue and counters persist', () => {
    core.outbox('syncSinks', { sinks: [{ sinkId: 's', kinds: ['audit'], maxPending: 1000 }] });
    core.outbox('append', { events: [audit(1), audit(2)] });
    core.close();
    core = openStoreCore(join(dir, 'log.db'));
    expect(ids(core.outbox('next', { sinkId: 's', limit: 10 }))).toEqual(['audit:1', 'audit:2']);
  });
});
