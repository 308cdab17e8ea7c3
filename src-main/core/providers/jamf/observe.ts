// A posture poll of Jamf Pro: every computer of the inventory, as device observations.
import type { DeviceObservation } from '../../../../src-shared/schemas/posture';
import { refuseCutShort, unreadableWarnings, type ObserveInput, type SourceObservations } from '../observations';
import type { JamfClient } from './client';
import type { JamfComputer } from './inventory';

export type JamfPollClient = Pick<JamfClient, 'computers'>;

export function jamfObservation(providerId: string, c: JamfComputer, unreadable?: string): DeviceObservation {
  return {
    providerId,
    recordId: c.id,
    hostname: c.name,
    serial: c.serial,
    macs: c.mac ? [c.mac] : [],
    platform: 'Mac',
    lastActivityAt: c.lastContact ?? c.reportDate,
    // A computer Jamf no longer manages is kept for the explanation, never preferred over a managed twin.
    retired: c.managed === false,
    posture: {
      kind: 'jamf',
      managed: c.managed,
      supervised: c.supervised,
      firewallEnabled: c.firewallEnabled,
      fileVault2Status: c.fileVault2Status,
      sipStatus: c.sipStatus,
      gatekeeperStatus: c.gatekeeperStatus,
      osVersion: c.osVersion,
      reportDate: c.reportDate,
      ...(unreadable ? { unreadable: [{ record: 'computer' as const, reason: unreadable }] } : {}),
    },
  };
}

export async function observeJamf(client: JamfPollClient, input: ObserveInput): Promise<SourceObservations> {
  const read = await client.computers(input.signal, (done, total) => input.onProgress?.({ phase: 'hosts', done, total: total ?? null }));
  const reasons = new Map(read.unreadable.flatMap((u) => (u.id === null ? [] : [[u.id, u.reason] as const])));
  const setAside = read.unreadable.filter((u) => u.id === null).length;
  refuseCutShort('Jamf Pro', 'computers', read.totalCount, read.computers.length + setAside);
  return {
    kind: 'jamf',
    observations: read.computers.map((c) => jamfObservation(input.providerId, c, reasons.get(c.id))),
    warnings: [...read.warnings, ...unreadableWarnings('Jamf Pro', read.unreadable)],
    setAside,
    unreadable: read.unreadable.length - setAside,
  };
}
