// A posture poll of Intune: every managed device, as device observations.
import type { DeviceObservation } from '../../../../src-shared/schemas/posture';
import { parseTime, refuseCutShort, unreadableWarnings, type ObserveInput, type SourceObservations } from '../observations';
import type { UnreadableRecord } from '../records';
import type { IntuneClient } from './client';
import type { ManagedDevice, ManagedDevicePage } from './devices';

export type IntunePollClient = { devices: Pick<IntuneClient['devices'], 'pages'> };

const PLATFORMS: Record<string, string> = { windows: 'Windows', macos: 'Mac', ios: 'iOS', ipados: 'iOS', android: 'Android', linux: 'Linux' };

/** Graph's never-synced placeholder (0001-01-01) is no time at all. */
function syncTime(value: string | null | undefined): number | null {
  const ms = parseTime(value);
  return ms === null || ms <= 0 ? null : ms;
}

/** `unreadable`: why this device's record could not be read (it was salvaged), so its checks are unknown. */
export function intuneObservation(providerId: string, d: ManagedDevice, unreadable?: string): DeviceObservation {
  const lastSyncAt = syncTime(d.lastSyncDateTime);
  const os = d.operatingSystem ?? null;
  return {
    providerId,
    recordId: d.id,
    hostname: d.deviceName ?? null,
    serial: d.serialNumber?.trim() ? d.serialNumber : null,
    macs: d.wiFiMacAddress ? [d.wiFiMacAddress] : [],
    platform: os ? (PLATFORMS[os.toLowerCase()] ?? os) : null,
    lastActivityAt: lastSyncAt,
    // A device being retired or wiped is leaving management: kept for the explanation, never preferred.
    retired: typeof d.managementState === 'string' && /^(retire|wipe|delete)/i.test(d.managementState),
    user: d.userPrincipalName?.trim() ? d.userPrincipalName : null,
    posture: {
      kind: 'intune',
      complianceState: d.complianceState ?? null,
      isEncrypted: d.isEncrypted ?? null,
      isSupervised: d.isSupervised ?? null,
      azureADRegistered: d.azureADRegistered ?? null,
      deviceRegistrationState: d.deviceRegistrationState ?? null,
      managedDeviceOwnerType: d.managedDeviceOwnerType ?? null,
      jailBroken: d.jailBroken ?? null,
      osVersion: d.osVersion ?? null,
      lastSyncAt,
      ...(unreadable ? { unreadable: [{ record: 'managed_device' as const, reason: unreadable }] } : {}),
    },
  };
}

/**
 * The poll's sink: each page's devices become observations as the page is read, and the page (its raw records) can
 * go. Only observations are kept, by device id, so the last copy wins should pages overlap while devices change.
 */
export function intuneObservationBuilder(providerId: string) {
  const devices = new Map<string, DeviceObservation>();
  const unreadable: UnreadableRecord[] = [];
  return {
    page(page: Pick<ManagedDevicePage, 'devices' | 'unreadable'>): void {
      const reasons = new Map<string, string>();
      for (const u of page.unreadable) {
        unreadable.push(u);
        if (u.id !== null) reasons.set(u.id, u.reason);
      }
      for (const d of page.devices) devices.set(d.id, intuneObservation(providerId, d, reasons.get(d.id)));
    },
    get size(): number {
      return devices.size;
    },
    /** The observations and the records that could not be read; the builder is spent afterwards. */
    finish(): { observations: DeviceObservation[]; unreadable: UnreadableRecord[] } {
      const observations = [...devices.values()];
      devices.clear();
      return { observations, unreadable };
    },
  };
}

export async function observeIntune(client: IntunePollClient, input: ObserveInput): Promise<SourceObservations> {
  const builder = intuneObservationBuilder(input.providerId);
  let count: number | undefined;
  for await (const page of client.devices.pages({ signal: input.signal })) {
    count ??= page.count;
    builder.page(page);
    input.onProgress?.({ phase: 'devices', done: builder.size, total: count ?? null });
  }
  const { observations, unreadable } = builder.finish();
  const setAside = unreadable.filter((r) => r.id === null).length;
  refuseCutShort('Intune', 'managed devices', count, observations.length + setAside);
  return {
    kind: 'intune',
    observations,
    warnings: unreadableWarnings('Intune', unreadable),
    setAside,
    unreadable: unreadable.length - setAside,
  };
}
