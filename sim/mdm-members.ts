// Which of the fleet's Macs an MDM (Jamf Pro, Kandji) manages: most of them, with a deterministic share left out
// (Macs never enrolled) and a few machines only the MDM knows (no EDR sensor), so coverage gaps exist on purpose.
import type { FleetStore } from './fleet';
import type { FalconDevice } from './host-records';
import { deriveSeed, Random } from './prng';
import { DAY, HOUR } from './time';

export type MdmSource = 'jamf' | 'kandji';

/** One machine an MDM manages: a fleet host (with its Falcon record) or a machine only the MDM knows. */
export interface MdmMember {
  /** Position among the MDM's machines (0-based); MDM-only machines come after the fleet's. */
  index: number;
  /** Fleet position of the Falcon host, or null for an MDM-only machine. */
  fleetIndex: number | null;
  /** As the MDM reports it; Apple serials are 10-12 characters. */
  serial: string;
  hostname: string;
  /** `aa:bb:cc:dd:ee:ff`, upper-case as Jamf shows it. */
  mac: string;
  /** The EDR's last-seen time for fleet hosts; a recent time for MDM-only machines. */
  lastSeenMs: number;
  user: string;
  /** Its own stream: record details never depend on which records were read first. */
  seed: number;
}

export interface MdmMembership {
  members: readonly MdmMember[];
  /** Serials of fleet Macs this MDM does not manage (the coverage gap "in the EDR, missing from the MDM"). */
  missingSerials: readonly string[];
  /** Serials only this MDM knows (the gap "in the MDM, missing from the EDR"). */
  onlySerials: readonly string[];
}

/** Share of the fleet's Macs each MDM leaves out, and of MDM-only machines added (of the Macs it manages). */
const SHARES: Record<MdmSource, { missing: number; only: number }> = {
  jamf: { missing: 0.08, only: 0.04 },
  kandji: { missing: 0.12, only: 0.03 },
};

const SERIAL_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

export function mdmMembership(fleet: FleetStore, source: MdmSource, nowMs: number): MdmMembership {
  const r = new Random(deriveSeed(fleet.seed, `mdm:${source}`));
  const members: MdmMember[] = [];
  const missingSerials: string[] = [];
  const onlySerials: string[] = [];
  const share = SHARES[source];
  for (let i = 0; i < fleet.deviceCount; i++) {
    const device = fleet.deviceAt(i);
    if (!device || device.platform_name !== 'Mac') continue;
    // One draw per Mac whatever the outcome, so the same Macs are left out whatever else changes.
    const left = r.next() < share.missing;
    const serial = usableSerial(device) ?? `${source === 'jamf' ? 'C02' : 'FV'}${r.chars(source === 'jamf' ? 9 : 10, SERIAL_ALPHABET)}`;
    if (left) {
      const known = usableSerial(device);
      if (known) missingSerials.push(known);
      continue;
    }
    members.push({
      index: members.length,
      fleetIndex: i,
      serial,
      hostname: device.hostname,
      mac: device.mac_address.replaceAll('-', ':').toUpperCase(),
      lastSeenMs: Date.parse(device.last_seen),
      user: device.last_login_user,
      seed: deriveSeed(fleet.seed, `${source}:host:${i}`),
    });
  }
  const extra = Math.max(2, Math.round(members.length * share.only));
  for (let k = 0; k < extra; k++) {
    const serial = `${source === 'jamf' ? 'C02' : 'FV'}${r.chars(source === 'jamf' ? 9 : 10, SERIAL_ALPHABET)}`;
    onlySerials.push(serial);
    const n = String(k + 1).padStart(4, '0');
    members.push({
      index: members.length,
      fleetIndex: null,
      serial,
      hostname: `${source === 'jamf' ? 'LAB' : 'LOANER'}-MAC-${n}`,
      mac: `A8:60:B6:${r.hex(2)}:${r.hex(2)}:${r.hex(2)}`.toUpperCase(),
      lastSeenMs: nowMs - r.int(10 * 60_000, r.chance(0.8) ? 2 * DAY : 40 * DAY) - HOUR,
      user: r.chance(0.5) ? `loaner${k + 1}@corp.example` : '',
      seed: deriveSeed(fleet.seed, `${source}:only:${k}`),
    });
  }
  return { members, missingSerials, onlySerials };
}

/** The Falcon serial when the MDM would report the same one (junk serials are the EDR's, not Apple's). */
function usableSerial(device: FalconDevice): string | undefined {
  const s = device.serial_number;
  return s && /^[A-Z0-9]{8,14}$/.test(s) ? s : undefined;
}
