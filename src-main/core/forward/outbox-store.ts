// The forwarding outbox as the main thread calls it: typed wrappers over `store.outbox(operation, input)`.
import type { ForwardEvent } from '../../../src-shared/schemas/forward';
import type { Store } from '../store/store';
import type { AckInput, OutboxCounters, OutboxDeadLetter, OutboxEntry, OutboxSink } from '../store/outbox';

export type OutboxStore = ReturnType<typeof outboxStore>;

export function outboxStore(store: Pick<Store, 'outbox'>) {
  const call = <T>(operation: string, input: unknown) => (store.outbox as (o: string, i: unknown) => Promise<unknown>)(operation, input) as Promise<T>;
  return {
    append: (events: ForwardEvent[]) => call<number>('append', { events }),
    syncSinks: (sinks: OutboxSink[]) => call<void>('syncSinks', { sinks }),
    requeueUnsettled: (sinkId: string) => call<number>('requeueUnsettled', { sinkId }),
    next: (sinkId: string, limit: number) => call<OutboxEntry[]>('next', { sinkId, limit }),
    ack: (input: AckInput) => call<void>('ack', input),
    counters: (sinkId: string, now: number) => call<OutboxCounters | null>('counters', { sinkId, now }),
    deadLetters: (sinkId: string, limit: number) => call<OutboxDeadLetter[]>('deadLetters', { sinkId, limit }),
    retryDead: (sinkId: string, eventIds: string[] | null) => call<number>('retryDead', { sinkId, eventIds }),
    discardDead: (sinkId: string, eventIds: string[] | null) => call<number>('discardDead', { sinkId, eventIds }),
  };
}
