// Jamf Pro computer-inventory records (ComputerInventoryV4 and the v1-v3 shapes) for the machines Jamf manages.
import type { MdmMember } from '../mdm-members';
import { Random } from '../prng';
import { DAY, HOUR, MINUTE } from '../time';

export type InventoryVersion = 1 | 2 | 3 | 4;

/** The sections posture reads; others are answered as null, as Jamf does for sections not asked for. */
export const jamfSections = [
  'GENERAL',
  'DISK_ENCRYPTION',
  'PURCHASING',
  'APPLICATIONS',
  'STORAGE',
  'USER_AND_LOCATION',
  'CONFIGURATION_PROFILES',
  'PRINTERS',
  'SERVICES',
  'HARDWARE',
  'LOCAL_USER_ACCOUNTS',
  'CERTIFICATES',
  'ATTACHMENTS',
  'PACKAGE_RECEIPTS',
  'SECURITY',
  'OPERATING_SYSTEM',
  'LICENSED_SOFTWARE',
  'IBEACONS',
  'SOFTWARE_UPDATES',
  'EXTENSION_ATTRIBUTES',
  'CONTENT_CACHING',
  'GROUP_MEMBERSHIPS',
] as const;
export type JamfSection = (typeof jamfSections)[number];

/** Section name → the record's key. */
const SECTION_KEYS: Record<JamfSection, string> = {
  GENERAL: 'general',
  DISK_ENCRYPTION: 'diskEncryption',
  PURCHASING: 'purchasing',
  APPLICATIONS: 'applications',
  STORAGE: 'storage',
  USER_AND_LOCATION: 'userAndLocation',
  CONFIGURATION_PROFILES: 'configurationProfiles',
  PRINTERS: 'printers',
  SERVICES: 'services',
  HARDWARE: 'hardware',
  LOCAL_USER_ACCOUNTS: 'localUserAccounts',
  CERTIFICATES: 'certificates',
  ATTACHMENTS: 'attachments',
  PACKAGE_RECEIPTS: 'packageReceipts',
  SECURITY: 'security',
  OPERATING_SYSTEM: 'operatingSystem',
  LICENSED_SOFTWARE: 'licensedSoftware',
  IBEACONS: 'ibeacons',
  SOFTWARE_UPDATES: 'softwareUpdates',
  EXTENSION_ATTRIBUTES: 'extensionAttributes',
  CONTENT_CACHING: 'contentCaching',
  GROUP_MEMBERSHIPS: 'groupMemberships',
};

const MACOS: readonly (readonly [{ version: string; build: string }, number])[] = [
  [{ version: '15.6.1', build: '24G90' }, 30],
  [{ version: '15.5', build: '24F74' }, 15],
  [{ version: '14.7.8', build: '23H730' }, 25],
  [{ version: '14.6.1', build: '23G93' }, 10],
  [{ version: '13.7.8', build: '22H730' }, 12],
  [{ version: '12.7.6', build: '21H1320' }, 8],
];

const MODELS = [
  { model: 'MacBook Pro (14-inch, 2023)', id: 'Mac15,6', silicon: true },
  { model: 'MacBook Air (13-inch, M2, 2022)', id: 'Mac14,2', silicon: true },
  { model: 'MacBook Pro (16-inch, 2019)', id: 'MacBookPro16,1', silicon: false },
  { model: 'Mac mini (2023)', id: 'Mac14,3', silicon: true },
] as const;

/** Jamf's timestamps carry milliseconds. */
function jamfTime(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}

/** Every section of one computer (the newest shape); `shape` cuts it to a version and the sections asked for. */
export function jamfComputer(member: MdmMember, id: string, nowMs: number): Record<string, unknown> {
  const r = new Random(member.seed);
  const os = r.weighted(MACOS);
  const hw = r.pick(MODELS);
  const managed = r.chance(0.95);
  const encrypted = r.weighted([
    ['ALL_ENCRYPTED', 86],
    ['BOOT_ENCRYPTED', 4],
    ['NOT_ENCRYPTED', 10],
  ] as const);
  const inventoryAgo = r.weighted([
    [r.int(10 * MINUTE, DAY - 1), 70],
    [r.int(DAY, 7 * DAY), 20],
    [r.int(7 * DAY + HOUR, 60 * DAY), 10],
  ] as const);
  const contact = Math.min(nowMs - MINUTE, member.lastSeenMs + r.int(-30 * MINUTE, 30 * MINUTE));
  const [username = '', domain = 'corp.example'] = member.user.replace(/^CORP\\/, '').split('@');
  const email = member.user ? `${username}@${domain}` : null;
  return {
    id,
    udid: uuid(r).toUpperCase(),
    general: {
      name: member.hostname,
      lastIpAddress: `203.0.113.${r.int(2, 254)}`,
      lastReportedIpV4: `10.${r.int(0, 63)}.${r.int(0, 255)}.${r.int(2, 254)}`,
      lastReportedIpV6: null,
      jamfBinaryVersion: '11.30.1-t1784555528405',
      platform: 'Mac',
      barcode1: null,
      barcode2: null,
      assetTag: r.chance(0.6) ? String(r.int(100_000, 999_999)) : null,
      remoteManagement: { managed, managementUsername: null },
      supervised: managed && r.chance(0.82),
      mdmCapable: { capable: managed, capableUsers: [], userManagementInfo: [] },
      reportDate: jamfTime(nowMs - inventoryAgo),
      lastCheckIn: jamfTime(contact - r.int(0, 20 * MINUTE)),
      lastContact: jamfTime(contact),
      lastCloudBackupDate: null,
      lastEnrolledDate: jamfTime(nowMs - r.int(30 * DAY, 700 * DAY)),
      mdmProfileExpiration: jamfTime(nowMs + r.int(30 * DAY, 700 * DAY)),
      initialEntryDate: new Date(nowMs - r.int(30 * DAY, 900 * DAY)).toISOString().slice(0, 10),
      distributionPoint: null,
      enrollmentMethod: null,
      site: { id: '-1', name: 'None' },
      itunesStoreAccountActive: false,
      enrolledViaAutomatedDeviceEnrollment: r.chance(0.7),
      userApprovedMdm: managed,
      declarativeDeviceManagementEnabled: r.chance(0.6),
      extensionAttributes: [],
      managementId: uuid(r),
    },
    diskEncryption: {
      bootPartitionEncryptionDetails: {
        partitionName: 'Macintosh HD (Boot Partition)',
        partitionFileVault2State: encrypted === 'NOT_ENCRYPTED' ? 'UNENCRYPTED' : 'ENCRYPTED',
        partitionFileVault2Percent: encrypted === 'NOT_ENCRYPTED' ? 0 : 100,
      },
      individualRecoveryKeyValidityStatus: encrypted === 'NOT_ENCRYPTED' ? 'NOT_APPLICABLE' : r.chance(0.9) ? 'VALID' : 'UNKNOWN',
      institutionalRecoveryKeyPresent: false,
      diskEncryptionConfigurationName: encrypted === 'NOT_ENCRYPTED' ? null : 'FileVault (PRK escrow)',
      fileVault2Enabled: encrypted !== 'NOT_ENCRYPTED',
      fileVault2EnabledUserNames: encrypted === 'NOT_ENCRYPTED' || !username ? [] : [username],
      fileVault2EligibilityMessage: 'Eligible',
    },
    userAndLocation: {
      username: username || null,
      realname: username ? username.replace(/[._]/g, ' ') : null,
      email,
      position: null,
      phone: null,
      departmentId: null,
      buildingId: null,
      room: null,
      extensionAttributes: [],
    },
    hardware: {
      make: 'Apple',
      model: hw.model,
      modelIdentifier: hw.id,
      serialNumber: member.serial,
      macAddress: member.mac,
      appleSilicon: hw.silicon,
      processorType: hw.silicon ? 'Apple Silicon' : 'Intel Core i7',
      processorArchitecture: hw.silicon ? 'arm64' : 'x86_64',
      totalRamMegabytes: r.pick([8192, 16_384, 32_768]),
    },
    security: {
      sipStatus: r.weighted([
        ['ENABLED', 92],
        ['DISABLED', 5],
        ['NOT_COLLECTED', 3],
      ] as const),
      gatekeeperStatus: r.weighted([
        ['APP_STORE_AND_IDENTIFIED_DEVELOPERS', 85],
        ['APP_STORE', 8],
        ['DISABLED', 5],
        ['NOT_COLLECTED', 2],
      ] as const),
      xprotectVersion: '5310',
      autoLoginDisabled: r.chance(0.9),
      remoteDesktopEnabled: r.chance(0.1),
      activationLockEnabled: r.chance(0.3),
      recoveryLockEnabled: hw.silicon && r.chance(0.5),
      firewallEnabled: r.chance(0.8),
      secureBootLevel: hw.silicon ? 'FULL_SECURITY' : r.pick(['FULL_SECURITY', 'MEDIUM_SECURITY'] as const),
      externalBootLevel: 'DISALLOW_BOOTING_FROM_EXTERNAL_MEDIA',
      bootstrapTokenAllowed: true,
      bootstrapTokenEscrowedStatus: managed ? 'ESCROWED' : 'NOT_ESCROWED',
    },
    operatingSystem: {
      name: 'macOS',
      version: os.version,
      build: os.build,
      supplementalBuildVersion: null,
      rapidSecurityResponse: null,
      activeDirectoryStatus: 'Not Bound',
      fileVault2Status: encrypted,
      softwareUpdateDeviceId: null,
      extensionAttributes: [],
    },
  };
}

/** The record as version `version` of the endpoint answers it, with only `sections` filled (the rest null). */
export function shapeComputer(full: Record<string, unknown>, version: InventoryVersion, sections: ReadonlySet<JamfSection>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: full.id, udid: full.udid };
  for (const section of jamfSections) {
    const key = SECTION_KEYS[section];
    out[key] = sections.has(section) ? (full[key] ?? null) : null;
  }
  if (version === 1) Object.assign(out, { plugins: null, fonts: null });
  const general = out.general as Record<string, unknown> | null;
  if (general && version < 4) {
    // v1-v3 spell the last contact lastContactTime, still have lastReportedIp and know no lastCheckIn.
    const { lastContact, lastCheckIn: _dropped, ...rest } = general;
    out.general = { ...rest, lastContactTime: lastContact, lastReportedIp: rest.lastReportedIpV4 };
  }
  return out;
}

function uuid(r: Random): string {
  const h = r.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
