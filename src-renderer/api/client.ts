// Typed calls over whichever transport: unwraps the envelope, re-throws domain errors as ContractError.
import { ContractError } from '../../src-shared/errors';
import type { Channel, EventName, EventPayload, Req, Res } from '../../src-shared/contract';
import { transport } from './bridge';

export async function call<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>> {
  const envelope = await transport().invoke(channel, req);
  if (!envelope.ok) throw new ContractError(envelope.error);
  return envelope.value as Res<C>;
}

export function onEvent(listener: <E extends EventName>(event: E, payload: EventPayload<E>) => void): () => void {
  return transport().subscribe(({ event, payload }) => listener(event as EventName, payload as never));
}
