// Wire records for one host (Falcon device, SentinelOne agent), each built from its own PRNG stream.
import {
  departments,
  environments,
  falconAgentVersions,
  falconTags,
  firstNames,
  hardwareByPlatform,
  lastNames,
  officeEgressIps,
  s1AgentVersions,
  serverOs,
  serverRoles,
  workstationOs,
  type Chassis,
  type Hardware,
  type MeetsCriteria,
  type OsProfile,
  type Platform,
  type ProductType,
} from './catalog';
import { deriveSeed, Random } from './prng';
import { DAY, HOUR, MINUTE, isoFraction, isoSeconds } from './time';

export type OnlineState = 'online' | 'offline' | 'unknown';
export type DeviceStatus = 'normal' | 'containment_pending' | 'contained' | 'lift_containment_pending';

export interface DevicePolicy {
  policy_type: string;
  policy_id: string;
  applied: boolean;
  settings_hash: string;
  assigned_date: string;
  applied_date: string | null;
  uninstall_protection?: string;
}

/** A host as `GET /devices/entities/devices/v2` returns it (deviceapi.DeviceSwagger). */
export interface FalconDevice {
  device_id: string;
  cid: string;
  hostname: string;
  /** Absent for ~3% of hosts: real sensors sometimes report none. */
  serial_number?: string;
  mac_address: string;
  connection_mac_address: string;
  local_ip: string;
  connection_ip: string;
  default_gateway_ip: string;
  external_ip: string;
  platform_id: string;
  platform_name: Platform;
  os_version: string;
  os_product_name: string;
  os_build: string;
  kernel_version?: string;
  major_version: string;
  minor_version: string;
  product_type: string;
  product_type_desc: ProductType;
  chassis_type_desc: Chassis;
  system_manufacturer: string;
  system_product_name: string;
  bios_manufacturer: string;
  bios_version: string;
  agent_version: string;
  agent_local_time: string;
  config_id_base: string;
  config_id_build: string;
  config_id_platform: string;
  first_seen: string;
  last_seen: string;
  modified_timestamp: string;
  last_login_user: string;
  last_login_timestamp: string;
  machine_domain: string;
  ou: string[];
  site_name: string;
  status: DeviceStatus;
  tags: string[];
  groups: string[];
  policies: DevicePolicy[];
  device_policies: Record<string, DevicePolicy>;
  reduced_functionality_mode: 'yes' | 'no';
  provision_status: string;
  meta: { version: string };
}

export interface ZtaSignal {
  signal_id: string;
  signal_name: string;
  group_name: string;
  criteria: string;
  meets_criteria: MeetsCriteria;
}

export interface ZtaScores {
  overall: number;
  os: number;
  sensor_config: number;
  version: string;
}

/** A ZTA entity record (domain.SignalProperties). Unscored hosts have `assessment` absent or `{}`. */
export interface ZtaAssessment {
  aid: string;
  cid: string;
  system_serial_number: string;
  event_platform: 'Win' | 'Mac' | 'Lin';
  product_type_desc: ProductType;
  modified_time: string;
  sensor_file_status: 'not deployed' | 'confirmed';
  assessment?: ZtaScores | Record<string, never>;
  assessment_items: { os_signals: ZtaSignal[]; sensor_signals: ZtaSignal[] };
}

export interface OnlineStateRecord {
  id: string;
  cid: string;
  last_seen: string;
  state: OnlineState;
}

export interface S1Site {
  id: string;
  name: string;
  accountId: string;
}

export type S1NetworkStatus = 'connected' | 'disconnected' | 'connecting' | 'disconnecting';
export type S1OperationalState =
  'na' | 'partially_disabled' | 'auto_partially_disabled' | 'fully_disabled' | 'auto_fully_disabled' | 'disabled_error' | 'db_corruption';

/** A SentinelOne agent as `GET /web/api/v2.1/agents` returns it. */
export interface S1Agent {
  id: string;
  uuid: string;
  computerName: string;
  serialNumber: string;
  osType: 'windows' | 'macos' | 'linux';
  osName: string;
  osRevision: string;
  agentVersion: string;
  machineType: 'laptop' | 'desktop' | 'server';
  modelName: string;
  isActive: boolean;
  infected: boolean;
  activeThreats: number;
  networkStatus: S1NetworkStatus;
  operationalState: S1OperationalState;
  mitigationMode: 'protect' | 'detect';
  isDecommissioned: boolean;
  isUninstalled: boolean;
  isUpToDate: boolean;
  encryptedApplications: boolean;
  firewallEnabled: boolean;
  lastActiveDate: string;
  registeredAt: string;
  updatedAt: string;
  createdAt: string;
  siteId: string;
  siteName: string;
  accountId: string;
  accountName: string;
  groupName: string;
  domain: string;
  externalIp: string;
  lastIpToMgmt: string | null;
  lastLoggedInUserName: string;
  networkInterfaces: { name: string; physical: string; inet: string[] }[];
}

const PLATFORM_ID: Record<Platform, string> = { Windows: '0', Mac: '1', Linux: '3' };
const PRODUCT_TYPE: Record<ProductType, string> = { Workstation: '1', 'Domain Controller': '2', Server: '3' };
const SERIAL_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const ALL_OS: Record<Platform, readonly OsProfile[]> = {
  Windows: [...workstationOs.Windows, ...serverOs.Windows].map(([p]) => p),
  Mac: workstationOs.Mac.map(([p]) => p),
  Linux: [...workstationOs.Linux, ...serverOs.Linux].map(([p]) => p),
};
// Shared so thousands of hosts do not each allocate identical small arrays.
const TAG_SETS: readonly string[][] = [[], ...falconTags.map((t) => [t])];
const OU_SETS = new Map<string, string[]>();

/** The name of person `k`: first.last, with a numeric suffix once the name grid is used up. */
export function personHandle(k: number): string {
  const grid = firstNames.length * lastNames.length;
  const first = firstNames[k % firstNames.length] ?? 'user';
  const last = lastNames[Math.floor(k / firstNames.length) % lastNames.length] ?? 'user';
  const round = Math.floor(k / grid);
  return round === 0 ? `${first}.${last}` : `${first}.${last}${round + 1}`;
}

/** Strips `CORP\` or `@corp.example` so both name styles map to the same person. */
export function handleOf(user: string): string {
  return user.replace(/^CORP\\/, '').replace(/@corp\.example$/, '');
}

export interface HostFacts {
  index: number;
  id: string;
  lastSeenMs: number;
}

export interface AgentFacts {
  /** Position in registration order; determines the numeric id. */
  slot: number;
  device: FalconDevice;
  /** A leftover record from before a reinstall. */
  stale: boolean;
  /** An S1-only host, unknown to Falcon. */
  s1Only: boolean;
}

/** Numeric S1 agent id for a registration slot, and back. Ids grow with registration order. */
const AGENT_ID_BASE = 100_000_000_000_000;
const AGENT_ID_STEP = 7919;
export function agentIdOf(slot: number): string {
  return `18${String(AGENT_ID_BASE + (slot + 1) * AGENT_ID_STEP).padStart(17, '0')}`;
}
export function agentSlotOf(id: string): number | undefined {
  if (!/^18\d{17}$/.test(id)) return undefined;
  const n = (Number(id.slice(2)) - AGENT_ID_BASE) / AGENT_ID_STEP - 1;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export class HostRecords {
  private readonly policies: Record<Platform, { list: DevicePolicy[]; byType: Record<string, DevicePolicy> }>;

  constructor(
    private readonly seed: number,
    private readonly cid: string,
    private readonly nowMs: number,
    private readonly people: number,
    private readonly hostGroups: readonly string[],
    private readonly sites: readonly S1Site[],
  ) {
    const rng = new Random(deriveSeed(seed, 'policies'));
    this.policies = { Windows: this.policySet(rng), Mac: this.policySet(rng), Linux: this.policySet(rng) };
  }

  private policySet(rng: Random): { list: DevicePolicy[]; byType: Record<string, DevicePolicy> } {
    const assigned = isoFraction(this.nowMs - 40 * DAY, 9, rng.int(0, 999_999));
    const prevention: DevicePolicy = {
      policy_type: 'prevention',
      policy_id: rng.hex(32),
      applied: true,
      settings_hash: rng.hex(8),
      assigned_date: assigned,
      applied_date: assigned,
    };
    const sensorUpdate: DevicePolicy = {
      policy_type: 'sensor-update',
      policy_id: rng.hex(32),
      applied: true,
      settings_hash: `tagged|${rng.int(10, 30)};101`,
      assigned_date: assigned,
      applied_date: assigned,
      uninstall_protection: 'ENABLED',
    };
    return { list: [prevention], byType: { prevention, sensor_update: sensorUpdate } };
  }

  private serialFor(r: Random, kind: Hardware['serial']): string {
    switch (kind) {
      case 'dell':
        return r.chars(7, SERIAL_ALPHABET);
      case 'lenovo':
        return `PF${r.chars(6, SERIAL_ALPHABET)}`;
      case 'hp':
        return `5CG${r.int(1000, 9999)}${r.chars(3, SERIAL_ALPHABET)}`;
      case 'apple':
        return `C02${r.chars(9, SERIAL_ALPHABET)}`;
      case 'vmware': {
        const h = r.hex(32);
        const pairs = (s: string) => s.match(/../g)?.join(' ') ?? s;
        return `VMware-${pairs(h.slice(0, 16))}-${pairs(h.slice(16))}`;
      }
      case 'aws':
        return `ec2${r.hex(29)}`;
    }
  }

  /** The Falcon record of a host; everything not in `facts` comes from the host's own stream. */
  device(facts: HostFacts): FalconDevice {
    const r = new Random(deriveSeed(this.seed, `host:${facts.index}`));
    const platform = r.weighted<Platform>([
      ['Windows', 62],
      ['Mac', 23],
      ['Linux', 15],
    ]);
    const productType: ProductType =
      platform === 'Mac'
        ? 'Workstation'
        : platform === 'Linux'
          ? r.chance(0.85)
            ? 'Server'
            : 'Workstation'
          : r.weighted<ProductType>([
              ['Workstation', 85],
              ['Server', 13],
              ['Domain Controller', 2],
            ]);
    const os: OsProfile = r.weighted(productType === 'Workstation' ? workstationOs[platform] : serverOs[platform]);
    const hardwareSet = hardwareByPlatform[platform];
    const hardware = r.pick(productType !== 'Workstation' ? hardwareSet.virtual : r.chance(0.7) ? hardwareSet.laptop : hardwareSet.desktop);
    const dept = r.pick(departments);
    const number = String(facts.index + 1).padStart(5, '0');
    const hostname =
      productType === 'Domain Controller'
        ? `DC-${number}`
        : productType === 'Server'
          ? `${r.pick(serverRoles)}-${r.pick(environments)}-${number}`
          : platform === 'Mac'
            ? `${dept}-MBP-${number}`
            : `${dept}-${hardware.chassis === 'Laptop' ? 'LT' : 'DT'}-${number}`;
    const mac = `${hardware.oui}-${r.hex(2)}-${r.hex(2)}-${r.hex(2)}`;
    const localIp = `10.${r.int(0, 63)}.${r.int(0, 255)}.${r.int(2, 254)}`;
    const lastSeenMs = facts.lastSeenMs;
    const firstSeenMs = Math.min(lastSeenMs - r.int(HOUR, 30 * DAY), this.nowMs - r.int(2 * DAY, 700 * DAY));
    const [major, minor] = os.build.includes('.') ? os.build.split('.') : ['10', '0'];
    const policies = this.policies[platform];
    const ouKey = `${productType === 'Workstation' ? 'Workstations' : 'Servers'}/${dept}`;
    let ou = OU_SETS.get(ouKey);
    if (!ou) OU_SETS.set(ouKey, (ou = ouKey.split('/')));
    const user = this.userFor(r, platform, productType);
    return {
      device_id: facts.id,
      cid: this.cid,
      hostname,
      serial_number: this.serialFor(r, hardware.serial),
      mac_address: mac,
      connection_mac_address: mac,
      local_ip: localIp,
      connection_ip: localIp,
      default_gateway_ip: localIp.slice(0, localIp.lastIndexOf('.')) + '.1',
      external_ip: productType === 'Workstation' ? r.pick(officeEgressIps) : `198.51.100.${r.int(150, 250)}`,
      platform_id: PLATFORM_ID[platform],
      platform_name: platform,
      os_version: os.os_version,
      os_product_name: os.os_product_name,
      os_build: os.build,
      ...(os.kernel_version ? { kernel_version: os.kernel_version } : {}),
      major_version: major ?? '10',
      minor_version: minor ?? '0',
      product_type: PRODUCT_TYPE[productType],
      product_type_desc: productType,
      chassis_type_desc: hardware.chassis,
      system_manufacturer: hardware.manufacturer,
      system_product_name: hardware.product,
      bios_manufacturer: hardware.manufacturer,
      bios_version: `${r.int(1, 2)}.${r.int(0, 30)}.${r.int(0, 9)}`,
      agent_version: r.pick(falconAgentVersions[platform]),
      agent_local_time: isoFraction(lastSeenMs - 3_000, 3),
      config_id_base: '65994763',
      config_id_build: String(r.int(17000, 19900)),
      config_id_platform: platform === 'Windows' ? '3' : platform === 'Mac' ? '4' : '8',
      first_seen: isoSeconds(firstSeenMs),
      last_seen: isoSeconds(lastSeenMs),
      modified_timestamp: isoSeconds(Math.min(this.nowMs, lastSeenMs + r.int(0, 120_000))),
      last_login_user: user,
      last_login_timestamp: isoSeconds(lastSeenMs - r.int(MINUTE, 3 * DAY)),
      machine_domain: platform === 'Windows' ? 'corp.example' : '',
      ou: platform === 'Windows' ? ou : [],
      site_name: platform === 'Windows' ? r.pick(['HQ', 'Branch-East', 'Branch-West']) : '',
      status: r.chance(0.01) ? 'contained' : 'normal',
      tags: r.chance(0.6) ? r.pick(TAG_SETS) : [],
      groups: [r.pick(this.hostGroups)],
      policies: policies.list,
      device_policies: policies.byType,
      reduced_functionality_mode: r.chance(0.01) ? 'yes' : 'no',
      provision_status: 'Provisioned',
      meta: { version: String(r.int(2, 900)) },
    };
  }

  private userFor(r: Random, platform: Platform, productType: ProductType): string {
    const handle = personHandle(r.int(0, this.people - 1));
    if (platform === 'Linux' && productType === 'Server') return r.pick(['root', 'ubuntu', 'ec2-user', handle]);
    // The same people show up as DOMAIN\sam on some devices and as a UPN on others.
    return r.chance(0.55) ? `CORP\\${handle}` : `${handle}@corp.example`;
  }

  /** The SentinelOne record for a host (or a stale leftover of it). */
  agent(facts: AgentFacts): S1Agent {
    const { device, stale } = facts;
    const r = new Random(deriveSeed(this.seed, `agent:${facts.slot}`));
    const osProfile = ALL_OS[device.platform_name].find((p) => p.os_product_name === device.os_product_name && p.os_version === device.os_version);
    const osType = osProfile?.s1OsType ?? 'windows';
    const versions = s1AgentVersions[osType];
    const agentVersion = stale ? (versions[versions.length - 1] ?? '') : r.weighted(versions.map((v, i) => [v, i === 0 ? 5 : 2] as const));
    const lastSeenMs = Date.parse(device.last_seen);
    const lastActiveMs = stale ? lastSeenMs - r.int(20 * DAY, 200 * DAY) : Math.min(this.nowMs - 1_000, lastSeenMs + r.int(-10 * MINUTE, 10 * MINUTE));
    const registeredMs = Math.min(lastActiveMs - DAY, Date.parse(device.first_seen) + r.int(0, 5 * DAY));
    const infected = !stale && r.chance(0.05);
    const site = r.pick(this.sites);
    const mac = device.mac_address.replaceAll('-', ':');
    const handle = handleOf(device.last_login_user);
    const micros = () => r.int(0, 999_999);
    const serial = facts.s1Only && r.chance(0.03) ? '' : (device.serial_number ?? '');
    return {
      id: agentIdOf(facts.slot),
      uuid: r.hex(32),
      computerName: device.hostname,
      serialNumber: serial,
      osType,
      osName: osProfile?.s1OsName ?? device.os_product_name,
      osRevision: device.os_build,
      agentVersion,
      machineType: device.product_type_desc !== 'Workstation' ? 'server' : device.chassis_type_desc === 'Laptop' ? 'laptop' : 'desktop',
      modelName: device.system_product_name,
      isActive: !stale && this.nowMs - lastActiveMs < DAY,
      infected,
      activeThreats: infected ? r.int(1, 3) : 0,
      networkStatus: r.weighted<S1NetworkStatus>([
        ['connected', 85],
        ['disconnected', 11],
        ['connecting', 2.5],
        ['disconnecting', 1.5],
      ]),
      operationalState: r.weighted<S1OperationalState>([
        ['na', 95],
        ['partially_disabled', 2],
        ['auto_partially_disabled', 1],
        ['fully_disabled', 1],
        ['disabled_error', 0.5],
        ['db_corruption', 0.5],
      ]),
      mitigationMode: r.chance(0.85) ? 'protect' : 'detect',
      // Most reinstall leftovers were cleaned up by an admin; some linger undecommissioned.
      isDecommissioned: stale && r.chance(0.75),
      isUninstalled: stale && r.chance(0.5),
      isUpToDate: agentVersion === versions[0],
      encryptedApplications: r.chance(device.platform_name === 'Linux' ? 0.3 : 0.85),
      firewallEnabled: r.chance(0.8),
      lastActiveDate: isoFraction(lastActiveMs, 6, micros()),
      registeredAt: isoFraction(registeredMs, 6, micros()),
      createdAt: isoFraction(registeredMs, 6, micros()),
      updatedAt: isoFraction(Math.min(this.nowMs, lastActiveMs + r.int(500, 90_000)), 6, micros()),
      siteId: site.id,
      siteName: site.name,
      accountId: site.accountId,
      accountName: 'Example Corp',
      groupName: 'Default Group',
      domain: device.platform_name === 'Windows' ? 'CORP' : 'unknown',
      externalIp: device.external_ip,
      lastIpToMgmt: r.chance(0.7) ? device.local_ip : null,
      lastLoggedInUserName: device.platform_name === 'Windows' && r.chance(0.5) ? `CORP\\${handle}` : handle,
      networkInterfaces: [
        {
          name: device.platform_name === 'Mac' ? 'en0' : device.platform_name === 'Linux' ? 'eth0' : 'Ethernet',
          physical: mac,
          inet: [device.local_ip],
        },
      ],
    };
  }
}

/** Shared signal records per (template, result) so ZTA responses do not allocate per host. */
const signalCache = new Map<string, ZtaSignal>();
export function signalOf(template: Omit<ZtaSignal, 'meets_criteria'>, meets: MeetsCriteria): ZtaSignal {
  const key = `${template.signal_id}|${meets}`;
  let s = signalCache.get(key);
  if (!s) signalCache.set(key, (s = { ...template, meets_criteria: meets }));
  return s;
}
