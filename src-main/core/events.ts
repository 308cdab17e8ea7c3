// Typed push events from the core to whichever transport is attached (IPC, SSE, CLI).
import { events, type EventName, type EventPayload } from '../../src-shared/contract';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export class EventBus {
  readonly #listeners = new Set<EventListener>();

  /** Validates the payload at the sender so a transport never forwards a malformed event. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].parse(payload) as EventPayload<E>;
    for (const listener of this.#listeners) listener(event, checked);
  }

  listen(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
