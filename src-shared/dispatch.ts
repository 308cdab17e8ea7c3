// Shared dispatch for both transports: parse with the channel's schema, run the handler, wrap the result.
import { adminErrorMap, ContractError, invalidInput, type ErrorBody } from './errors';
import { contract, isChannel, type Envelope, type Handlers } from './contract';
import type { CallContext } from './schemas/audit';

export async function dispatch(
  handlers: Handlers,
  channel: string,
  raw: unknown,
  onUnexpected: (error: unknown, channel: string) => void = () => {},
  /** Who is calling, as the transport knows it (surface, web session, CLI command): the audit trail records it. */
  context?: CallContext,
): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) return { ok: false, error: { code: 'unknown_channel', message: `Unknown channel '${channel}'.` } };
  const parsed = contract[channel].req.safeParse(raw ?? {}, { error: adminErrorMap });
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error).toBody() };
  try {
    const handler = handlers[channel] as (req: unknown, context?: CallContext) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data, context) };
  } catch (error) {
    if (!(error instanceof ContractError)) onUnexpected(error, channel);
    return { ok: false, error: toErrorBody(error) };
  }
}

/** Unknown failures become a generic message: internals and secrets never cross the boundary. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ContractError) return error.toBody();
  return { code: 'internal', message: 'Something went wrong in the main process. Details are in the log.' };
}
