// A posture poll of SentinelOne: every agent page, as device observations.
import { sentinelOneObservation } from '../../posture/sources';
import { plausibleCount, type UnreadableRecord } from '../records';
import { refuseCutShort, unreadableWarnings, type ObserveInput, type SourceObservations } from '../observations';
import type { SentinelOneClient } from './client';

export type SentinelOnePollClient = { agents: Pick<SentinelOneClient['agents'], 'pages'> };

export async function observeSentinelOne(client: SentinelOnePollClient, input: ObserveInput): Promise<SourceObservations> {
  // Pages can overlap when agents change mid-pull; the last copy of an agent wins. Decommissioned agents are kept:
  // they explain reinstall duplicates.
  const agents = new Map<string, ReturnType<typeof sentinelOneObservation>>();
  const unreadable: UnreadableRecord[] = [];
  let total: number | null = null;
  for await (const page of client.agents.pages({}, input.signal)) {
    // A provider's count is judged, not trusted: a negative or absurd total is treated as not reported.
    total = plausibleCount(page.totalItems) ?? total;
    const reasons = new Map<string, string>();
    for (const u of page.unreadable) {
      unreadable.push(u);
      if (u.id !== null) reasons.set(u.id, u.reason);
    }
    for (const agent of page.agents) agents.set(agent.id, sentinelOneObservation(input.providerId, agent, reasons.get(agent.id)));
    input.onProgress?.({ phase: 'agents', done: agents.size, total });
  }
  const setAside = unreadable.filter((r) => r.id === null).length;
  refuseCutShort('SentinelOne', 'agents', total ?? undefined, agents.size + setAside);
  return {
    kind: 'sentinelone',
    observations: [...agents.values()],
    warnings: unreadableWarnings('SentinelOne', unreadable),
    setAside,
    unreadable: unreadable.length - setAside,
  };
}
