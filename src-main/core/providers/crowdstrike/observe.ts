// A posture poll of Falcon: hosts with their ZTA assessment and online state, as device observations.
import { falconObservationBuilder } from '../../posture/sources';
import { plural, refuseCutShort, unreadableWarnings, type ObserveInput, type SourceObservations } from '../observations';
import type { FalconClient } from './client';

export type FalconPollClient = { hosts: Pick<FalconClient['hosts'], 'inventory'> };

export async function observeFalcon(client: FalconPollClient, input: ObserveInput): Promise<SourceObservations> {
  // Records become observations as each answer is read: no list of hosts, assessments or states is kept.
  const builder = falconObservationBuilder(input.providerId);
  const inventory = await client.hosts.inventory({
    zta: true,
    onlineState: true,
    signal: input.signal,
    sink: builder,
    onProgress: (p) => input.onProgress?.({ phase: 'hosts', done: p.hosts, total: p.total ?? null }),
  });
  const hostCount = inventory.counts.hosts;
  const warnings: string[] = [];
  const { hosts, assessments, onlineStates } = inventory.unreadable;
  const unreadable = [...hosts, ...assessments, ...onlineStates];
  // Host records set aside (no device id) are still hosts Falcon counted.
  const setAsideHosts = hosts.filter((r) => r.id === null).length;
  // Listed hosts without details were listed: the list was not cut short (they were removed meanwhile).
  refuseCutShort('Falcon', 'hosts', inventory.reportedTotal, hostCount + setAsideHosts + inventory.undetailed);
  if (inventory.undetailed > 0)
    warnings.push(
      `Falcon listed ${plural(inventory.undetailed, 'host')} but sent no details for ${inventory.undetailed === 1 ? 'it' : 'them'}; removed during the poll?`,
    );
  else if (inventory.reportedTotal !== undefined && inventory.reportedTotal > hostCount + setAsideHosts)
    warnings.push(`Falcon reported ${inventory.reportedTotal} hosts but returned ${hostCount}; hosts may have been removed during the poll.`);
  if (inventory.setAside > unreadable.filter((r) => r.id === null).length)
    warnings.push(
      `Falcon's host list had ${plural(inventory.setAside - unreadable.filter((r) => r.id === null).length, 'entry')} that were not host ids; set aside.`,
    );
  warnings.push(...unreadableWarnings('Falcon', unreadable));
  return {
    kind: 'crowdstrike-zta',
    observations: builder.finish(inventory.unreadable),
    warnings,
    setAside: inventory.setAside,
    unreadable: unreadable.length - unreadable.filter((r) => r.id === null).length,
  };
}
