// The boundary with the provider clients: their records in, the posture core's device observations out.
import type { DeviceObservation, UnreadableNote, UnreadableRecordKind, ZtaPosture } from '../../../src-shared/schemas/posture';
import type { FalconInventory } from '../providers/crowdstrike/fleet-pull';
import type { S1Agent } from '../providers/sentinelone/agents';
import type { UnreadableRecord } from '../providers/records';
import { parseTime } from '../providers/observations';

export { parseTime };

/** The clients' schemas pass unknown fields through untyped; a user name is a non-empty string or nothing. */
const userName = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** Notes by record id for the unreadable records that name their device. */
function notesById(groups: [UnreadableRecordKind, readonly UnreadableRecord[]][]): Map<string, UnreadableNote[]> {
  const notes = new Map<string, UnreadableNote[]>();
  for (const [record, unreadable] of groups)
    for (const u of unreadable) {
      if (u.id === null) continue;
      const list = notes.get(u.id);
      if (list) list.push({ record, reason: u.reason });
      else notes.set(u.id, [{ record, reason: u.reason }]);
    }
  return notes;
}

/** Falcon hosts joined with their ZTA assessment and online state (all keyed by the host's device_id). */
export function falconObservations(providerId: string, inventory: FalconInventory): DeviceObservation[] {
  const assessments = new Map(inventory.assessments.map((a) => [a.aid, a]));
  const states = new Map(inventory.onlineStates.map((s) => [s.id, s]));
  const { hosts, assessments: badAssessments, onlineStates: badStates } = inventory.unreadable;
  const notes =
    hosts.length + badAssessments.length + badStates.length > 0
      ? notesById([
          ['host', hosts],
          ['assessment', badAssessments],
          ['online_state', badStates],
        ])
      : null;
  return inventory.hosts.map((host) => {
    const zta = assessments.get(host.device_id);
    const online = states.get(host.device_id);
    const scores = zta?.scores ?? null;
    const unreadable = notes?.get(host.device_id);
    return {
      providerId,
      recordId: host.device_id,
      hostname: host.hostname ?? null,
      // ZTA carries the serial too; use it when the host record has none.
      serial: host.serial_number || zta?.serialNumber || null,
      macs: host.mac_address ? [host.mac_address] : [],
      platform: host.platform_name ?? zta?.platform ?? null,
      lastActivityAt: parseTime(host.last_seen),
      retired: false,
      user: userName(host.last_login_user),
      posture: {
        kind: 'crowdstrike-zta',
        assessment: scores && { overall: scores.overall, os: scores.os, sensorConfig: scores.sensorConfig, version: scores.version },
        state: online?.state ?? null,
        lastSeenAt: parseTime(online?.last_seen) ?? parseTime(host.last_seen),
        ...(unreadable ? { unreadable: unreadable as ZtaPosture['unreadable'] } : {}),
      },
    };
  });
}

const S1_PLATFORMS: Record<string, string> = { windows: 'Windows', windows_legacy: 'Windows', macos: 'Mac', linux: 'Linux' };

/** `unreadable`: why this agent's record could not be read (it was salvaged), so its checks are unknown. */
export function sentinelOneObservation(providerId: string, agent: S1Agent, unreadable?: string): DeviceObservation {
  return {
    providerId,
    recordId: agent.id,
    hostname: agent.computerName ?? null,
    serial: agent.serialNumber ?? null,
    macs: (agent.networkInterfaces ?? []).flatMap((n) => (n.physical ? [n.physical] : [])),
    platform: agent.osType ? (S1_PLATFORMS[agent.osType] ?? agent.osType) : null,
    lastActivityAt: parseTime(agent.lastActiveDate),
    retired: agent.isDecommissioned === true || agent.isUninstalled === true,
    user: userName(agent.lastLoggedInUserName),
    posture: {
      kind: 'sentinelone',
      infected: agent.infected,
      activeThreats: agent.activeThreats,
      isActive: agent.isActive,
      networkStatus: agent.networkStatus ?? null,
      operationalState: agent.operationalState ?? null,
      ...(unreadable ? { unreadable: [{ record: 'agent' as const, reason: unreadable }] } : {}),
    },
  };
}
