// Typed calls over whichever transport: unwraps the envelope, re-throws domain errors as ContractError.
import { ContractError } from '../../src-shared/contract-error';
import type { Channel, EventName, EventPayload, Req, Res } from '../../src-shared/contract';
import { isEventName } from '../../src-shared/event-names';
import { transport } from './bridge';

export async function call<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>> {
  const envelope = await transport().invoke(channel, req);
  if (!envelope.ok) throw new ContractError(envelope.error);
  return envelope.value as Res<C>;
}

/** Every push event; payloads were validated by the sender against the contract's schemas. */
export function onEvent(listener: <E extends EventName>(event: E, payload: EventPayload<E>) => void): () => void {
  return transport().subscribe(({ event, payload }) => {
    if (isEventName(event)) listener(event, payload as EventPayload<typeof event>);
  });
}

/** One push event, typed: for screens that listen while open (test progress, export progress, the live tail). */
export function onContractEvent<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
  return transport().subscribe(({ event, payload }) => {
    if (event === name) listener(payload as EventPayload<E>);
  });
}
