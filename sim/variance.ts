// The `variance` fault: records shaped like real fleets rather than like our generator. A share of the records
// in a list answer lose an optional field, carry null in one, or hold an odd but legal value (an empty serial,
// a Unicode or 255-character hostname, no tags, an unscored assessment...). Seeded: the same seed and request
// order vary the same records the same way. Every variance here is legal for the spec, or listed with its
// reason in sim/spec/exceptions.ts (nulls on optional fields, unscored assessments).
import type { SimReply } from './http';
import type { Random } from './prng';

type Json = Record<string, unknown>;

interface RecordVariance {
  /** Fields the spec does not require: they may be dropped or null. */
  optional: readonly string[];
  /** Odd but legal values, by field. */
  odd: Readonly<Record<string, readonly unknown[]>>;
}

const LONG_HOSTNAME = `host-${'x'.repeat(250)}`;

const HOST: RecordVariance = {
  optional: [
    'last_login_user',
    'serial_number',
    'hostname',
    'mac_address',
    'platform_name',
    'last_seen',
    'os_version',
    'os_product_name',
    'agent_version',
    'tags',
    'groups',
    'local_ip',
    'external_ip',
    'connection_ip',
    'first_seen',
    'modified_timestamp',
    'status',
    'product_type_desc',
    'system_manufacturer',
    'system_product_name',
    'machine_domain',
    'policies',
    'device_policies',
  ],
  odd: {
    hostname: ['', 'ÜNÏCØDÉ-ПК-電腦', LONG_HOSTNAME, 'host name with spaces'],
    serial_number: ['', ' sn 0001 ', 'To Be Filled By O.E.M.'],
    last_login_user: ['', 'CORP\\ünïcødé.üser', 'root'],
    tags: [[]],
    groups: [[]],
    os_version: ['Windows 11 ', 'Unknown'],
    mac_address: ['AA:BB:CC:DD:EE:FF', ''],
    platform_name: ['Unknown', 'Android'],
  },
};

const ASSESSMENT: RecordVariance = {
  optional: [],
  odd: {
    system_serial_number: [''],
    // Unscored: no scores yet (listed as an exception: the spec requires all four).
    assessment: [{}],
    assessment_items: [{ os_signals: [], sensor_signals: [] }],
    sensor_file_status: ['not_deployed', ''],
  },
};

const ONLINE_STATE: RecordVariance = { optional: ['last_seen', 'cid'], odd: { state: ['unknown'] } };

const ALERT: RecordVariance = {
  optional: [
    'user_name',
    'cmdline',
    'filename',
    'filepath',
    'sha256',
    'md5',
    'falcon_host_link',
    'pattern_disposition_description',
    'parent_details',
    'grandparent_details',
  ],
  odd: { tags: [[]], description: ['', 'Détection ünïcode ✓'], severity_name: ['Informational'] },
};

const AGENT: RecordVariance = {
  optional: [
    'computerName',
    'serialNumber',
    'lastLoggedInUserName',
    'networkInterfaces',
    'osName',
    'agentVersion',
    'lastActiveDate',
    'externalIp',
    'lastIpToMgmt',
    'machineType',
    'siteName',
    'groupName',
    'domain',
    'osRevision',
    'tags',
    'networkStatus',
    'operationalState',
  ],
  odd: {
    computerName: ['', 'ÜNÏCØDÉ-ПК', LONG_HOSTNAME],
    serialNumber: ['', ' sn 0001 '],
    lastLoggedInUserName: [''],
    networkStatus: ['connecting', 'disconnecting'],
    networkInterfaces: [[]],
    activeThreats: [0],
  },
};

/** Which records each list answer carries, by route inside the API. */
const BY_ROUTE: Record<string, { key: 'resources' | 'data'; variance: RecordVariance }> = {
  'GET /devices/combined/devices/v1': { key: 'resources', variance: HOST },
  'GET /devices/entities/devices/v2': { key: 'resources', variance: HOST },
  'POST /devices/entities/devices/v2': { key: 'resources', variance: HOST },
  'GET /zero-trust-assessment/entities/assessments/v1': { key: 'resources', variance: ASSESSMENT },
  'GET /devices/entities/online-state/v1': { key: 'resources', variance: ONLINE_STATE },
  'POST /alerts/entities/alerts/v2': { key: 'resources', variance: ALERT },
  'POST /alerts/combined/alerts/v1': { key: 'resources', variance: ALERT },
  'GET /agents': { key: 'data', variance: AGENT },
};

/** Does the variance fault have records to vary in this answer? */
export function variesRoute(method: string, apiPath: string): boolean {
  return `${method} ${apiPath}` in BY_ROUTE;
}

/** One record varied: a dropped optional field, a null in one, or an odd value. */
function varyRecord(record: Json, variance: RecordVariance, r: Random): void {
  const present = variance.optional.filter((f) => f in record);
  const odd = Object.keys(variance.odd);
  const choice = r.int(0, 2);
  if (choice === 0 && present.length > 0) delete record[r.pick(present)];
  else if (choice === 1 && present.length > 0) record[r.pick(present)] = null;
  else if (odd.length > 0) {
    const field = r.pick(odd);
    record[field] = structuredClone(r.pick(variance.odd[field] ?? [null]));
  }
}

/**
 * Varies `share` (0-1) of the records of a list answer, each once or twice. `body` is the answer's JSON as plain
 * values (prerendered records parsed); returns the reply with the varied copy.
 */
export function withVariance(reply: SimReply, route: string, body: unknown, share: number, r: Random): SimReply {
  const target = BY_ROUTE[route];
  if (!target || body === null || typeof body !== 'object') return reply;
  const list = (body as Json)[target.key];
  if (!Array.isArray(list)) return reply;
  for (const record of list) {
    if (record === null || typeof record !== 'object' || !r.chance(share)) continue;
    varyRecord(record as Json, target.variance, r);
    if (r.chance(0.3)) varyRecord(record as Json, target.variance, r);
  }
  return { ...reply, json: body };
}
