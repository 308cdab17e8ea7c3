// Intune's view of the shared generated fleet: the same serials as Falcon and SentinelOne, with a deterministic
// share of the fleet not enrolled in Intune and a few devices only Intune knows, so coverage has gaps.
import type { FalconDevice, Fleet } from '../fleet';
import { deriveSeed, Random } from '../prng';

export interface IntuneDevice {
  id: string;
  deviceName: string | null;
  serialNumber: string | null;
  operatingSystem: string;
  osVersion: string;
  complianceState: string;
  isEncrypted: boolean;
  isSupervised: boolean;
  azureADRegistered: boolean | null;
  deviceRegistrationState: string;
  managedDeviceOwnerType: string;
  jailBroken: string;
  lastSyncDateTime: string;
  wiFiMacAddress: string | null;
  userPrincipalName: string | null;
  managementState: string;
}

/** One host in ten (by fleet position) has no Intune enrolment; one Intune-only device per fifty hosts. */
export const NOT_ENROLLED_EVERY = 10;
export const INTUNE_ONLY_EVERY = 50;

/** Whether the fleet host at this position is enrolled in Intune (deterministic, for tests and coverage). */
export const enrolledInIntune = (index: number) => index % NOT_ENROLLED_EVERY !== 3;

const guid = (r: Random) => {
  const hex = () => r.int(0, 0xffff).toString(16).padStart(4, '0');
  return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-a${hex().slice(1)}-${hex()}${hex()}${hex()}`;
};

const OS: Record<string, string> = { Windows: 'Windows', Mac: 'macOS', Linux: 'Linux' };
const COMPLIANCE = ['compliant', 'compliant', 'compliant', 'compliant', 'noncompliant', 'inGracePeriod', 'unknown', 'error'] as const;

function fromHost(host: FalconDevice, r: Random, now: number): IntuneDevice {
  const os = OS[host.platform_name] ?? host.platform_name;
  return {
    id: guid(r),
    deviceName: host.hostname,
    serialNumber: host.serial_number ?? null,
    operatingSystem: os,
    osVersion:
      os === 'Windows'
        ? `10.0.${r.pick([19045, 22621, 22631, 26100])}.${r.int(1000, 5000)}`
        : os === 'macOS'
          ? `${r.pick([13, 14, 15])}.${r.int(0, 6)}.${r.int(0, 2)}`
          : `${r.pick([22, 24])}.04`,
    complianceState: r.pick(COMPLIANCE),
    isEncrypted: r.next() < 0.85,
    isSupervised: os === 'macOS' ? r.next() < 0.7 : false,
    azureADRegistered: r.next() < 0.9,
    deviceRegistrationState: r.next() < 0.9 ? 'registered' : 'notRegistered',
    managedDeviceOwnerType: r.next() < 0.9 ? 'company' : 'personal',
    jailBroken: 'False',
    lastSyncDateTime: new Date(now - r.int(0, 45 * 86_400) * 1000).toISOString(),
    wiFiMacAddress: host.mac_address.replace(/[-:]/g, '').toUpperCase(),
    userPrincipalName: `user${r.int(1, 999)}@contoso.example`,
    managementState: 'managed',
  };
}

function intuneOnly(i: number, r: Random, now: number): IntuneDevice {
  const ios = i % 2 === 0;
  return {
    id: guid(r),
    deviceName: ios ? `iPhone-${i}` : `Pixel-${i}`,
    serialNumber: `INT${String(i).padStart(7, '0')}`,
    operatingSystem: ios ? 'iOS' : 'Android',
    osVersion: ios ? `${r.pick([16, 17, 18])}.${r.int(0, 6)}` : `${r.pick([13, 14, 15])}`,
    complianceState: r.pick(COMPLIANCE),
    isEncrypted: true,
    isSupervised: ios && r.next() < 0.8,
    azureADRegistered: true,
    deviceRegistrationState: 'registered',
    managedDeviceOwnerType: r.next() < 0.7 ? 'company' : 'personal',
    jailBroken: r.next() < 0.05 ? 'True' : 'False',
    lastSyncDateTime: new Date(now - r.int(0, 10 * 86_400) * 1000).toISOString(),
    wiFiMacAddress: null,
    userPrincipalName: `mobile${i}@contoso.example`,
    managementState: 'managed',
  };
}

/** Intune's managed devices over the fleet, in a stable order. */
export function intuneDevices(fleet: Fleet, now: number): IntuneDevice[] {
  const r = new Random(deriveSeed(fleet.seed, 'intune'));
  const out: IntuneDevice[] = [];
  fleet.devices.forEach((host, index) => {
    const device = fromHost(host, r, now);
    if (enrolledInIntune(index)) out.push(device);
  });
  const extra = Math.max(1, Math.floor(fleet.devices.length / INTUNE_ONLY_EVERY));
  for (let i = 0; i < extra; i++) out.push(intuneOnly(i, r, now));
  return out;
}
