// One wrapper at the handler table: every acting channel (src-shared/channel-effects.ts) appends one audit entry
// when it returns or fails, with the state its describer read before and after. Reading channels pass through.
import { actingChannels, type ActingChannel } from '../../../src-shared/channel-effects';
import type { Handlers } from '../../../src-shared/contract';
import type { CallContext } from '../../../src-shared/schemas/audit';
import { ContractError } from '../../../src-shared/errors';
import type { Logger } from '../log';
import { changedFields } from './changes';
import type { Describer, Describers } from './describers';
import type { AuditTrail } from './trail';

function refusal(error: unknown): { code: string; message: string } {
  if (error instanceof ContractError) return { code: error.code, message: error.message };
  return { code: 'internal', message: 'Something went wrong in the main process.' };
}

export function auditedHandlers(handlers: Handlers, describers: Describers, trail: Pick<AuditTrail, 'append'>, logger: Logger): Handlers {
  const wrapped: Handlers = { ...handlers };
  for (const channel of actingChannels) {
    const handler = handlers[channel] as (req: unknown, context?: CallContext) => Promise<unknown>;
    const describer = describers[channel] as Describer<ActingChannel>;
    const audited = async (req: unknown, context?: CallContext): Promise<unknown> => {
      const before = await Promise.resolve(describer.before?.(req as never)).catch(() => null);
      let res: unknown;
      let error: unknown;
      try {
        res = await handler(req, context);
      } catch (e) {
        error = e ?? new Error('failed');
      }
      try {
        const d = await describer.describe({ req: req as never, res: (error === undefined ? res : undefined) as never, before, context });
        await trail.append({
          context,
          channel,
          action: d.action,
          target: d.target,
          summary: d.summary,
          claimed: d.claimed,
          changes: [...('after' in d && d.after !== undefined ? changedFields(before, d.after) : []), ...(d.extra ?? [])],
          error: error === undefined ? null : refusal(error),
        });
      } catch (auditError) {
        // The action happened; losing its entry is reported loudly rather than undoing it.
        logger.error({ err: auditError, channel }, 'audit entry could not be appended');
      }
      if (error !== undefined) throw error;
      return res;
    };
    (wrapped as Record<string, unknown>)[channel] = audited;
  }
  return wrapped;
}
