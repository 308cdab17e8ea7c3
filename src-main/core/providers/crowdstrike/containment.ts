// Network containment of hosts (asynchronous in Falcon: status goes *_pending first).
import { z } from 'zod';
import { mapBatches } from '../batches';
import { readFalcon } from './envelope';
import type { FalconSession } from './session';

export const ContainmentAction = z.enum(['contain', 'lift_containment']);
export type ContainmentAction = z.infer<typeof ContainmentAction>;

const ActionResult = z.looseObject({ id: z.string(), path: z.string().nullish() });

/** PSFalcon sends 500 ids per devices-actions call. */
export const CONTAINMENT_BATCH = 500;

/** Returns the ids Falcon accepted (202); poll host `status` to see the action complete. */
export async function setContainment(session: FalconSession, action: ContainmentAction, ids: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const results = await mapBatches(ids, CONTAINMENT_BATCH, 2, async (batch) => {
    const res = await session.call({
      method: 'POST',
      path: '/devices/entities/devices-actions/v2',
      query: { action_name: action },
      json: { ids: batch },
      // Containing an already contained host changes nothing, so a resend is safe.
      idempotent: true,
      expect: [200, 202],
      scope: 'hostsWrite',
      what: action === 'contain' ? 'contain hosts' : 'lift host containment',
      signal,
    });
    return readFalcon(ActionResult, res).resources;
  });
  return results.map((r) => r.id);
}
