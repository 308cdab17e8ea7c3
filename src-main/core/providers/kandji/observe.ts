// A posture poll of Kandji: every device of the list, as device observations (removed devices kept, retired).
import type { DeviceObservation } from '../../../../src-shared/schemas/posture';
import { unreadableWarnings, type ObserveInput, type SourceObservations } from '../observations';
import type { KandjiClient } from './client';
import type { KandjiDevice } from './devices';

export type KandjiPollClient = Pick<KandjiClient, 'devices'>;

export function kandjiObservation(providerId: string, d: KandjiDevice, unreadable?: string): DeviceObservation {
  return {
    providerId,
    recordId: d.id,
    hostname: d.name,
    serial: d.serial,
    macs: [],
    platform: d.platform,
    lastActivityAt: d.lastCheckIn,
    // Removed devices stay in Kandji's list with is_removed: they explain a re-enrolment, never count as current.
    retired: d.isRemoved === true,
    user: d.user,
    posture: {
      kind: 'kandji',
      mdmEnabled: d.mdmEnabled,
      agentInstalled: d.agentInstalled,
      osVersion: d.osVersion,
      lastCheckIn: d.lastCheckIn,
      blueprintName: d.blueprintName,
      ...(unreadable ? { unreadable: [{ record: 'device' as const, reason: unreadable }] } : {}),
    },
  };
}

export async function observeKandji(client: KandjiPollClient, input: ObserveInput): Promise<SourceObservations> {
  const read = await client.devices(input.signal, (done) => input.onProgress?.({ phase: 'hosts', done, total: null }));
  const reasons = new Map(read.unreadable.flatMap((u) => (u.id === null ? [] : [[u.id, u.reason] as const])));
  const setAside = read.unreadable.filter((u) => u.id === null).length;
  return {
    kind: 'kandji',
    observations: read.devices.map((d) => kandjiObservation(input.providerId, d, reasons.get(d.id))),
    warnings: [...read.warnings, ...unreadableWarnings('Kandji', read.unreadable)],
    setAside,
    unreadable: read.unreadable.length - setAside,
  };
}
