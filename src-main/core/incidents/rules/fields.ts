// The alert fields a condition can name (Falcon Alerts API v2, reference §5), and how to read them from an alert.
import type { RuleFieldInfo, RuleFieldType } from '../../../../src-shared/schemas/rules';
import { attackTactics, falconTactics } from './attack-tactics';
import { closestMatch } from './suggest';

/** An alert as received from the Alerts API: an open JSON object. */
export type AlertRecord = { readonly [key: string]: unknown };

/** `unknown` is a device.* field the catalog does not list: read as-is, any comparison allowed. */
export type FieldType = RuleFieldType | 'unknown';

export interface FieldSpec {
  readonly name: string;
  readonly path: readonly string[];
  readonly type: FieldType;
  readonly description: string;
  /** Values the field is known to take; others draw a warning. */
  readonly values?: readonly string[];
  /** `values` run from lowest to highest (severity_name), so `>` can be rewritten as IN. */
  readonly ordered?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly format?: { readonly pattern: RegExp; readonly description: string };
  readonly example?: string;
}

const hex = (digits: number, what: string) => ({ pattern: new RegExp(`^[0-9a-fA-F]{${digits}}$`), description: `${what} (${digits} hex digits)` });
const platforms = ['Windows', 'Mac', 'Linux'];

const alertFields: readonly Omit<FieldSpec, 'path'>[] = [
  {
    name: 'severity',
    type: 'number',
    min: 1,
    max: 100,
    example: '80',
    description: 'Severity score, 1–100. Falcon names it Critical from about 80, High from 60, Medium from 40, Low from 20.',
  },
  { name: 'severity_name', type: 'string', values: ['Informational', 'Low', 'Medium', 'High', 'Critical'], ordered: true, description: 'Severity in words.' },
  { name: 'confidence', type: 'number', min: 1, max: 100, description: 'How sure Falcon is that the activity is malicious, 1–100.' },
  {
    name: 'tactic',
    type: 'string',
    values: [...attackTactics, ...falconTactics].map((t) => t.name),
    example: "'Execution'",
    description: 'MITRE ATT&CK tactic (or Falcon detection method such as Machine Learning).',
  },
  {
    name: 'tactic_id',
    type: 'string',
    values: [...attackTactics, ...falconTactics].map((t) => t.id),
    format: { pattern: /^(?:TA|CSTA)\d{4}$/i, description: 'a tactic id such as TA0002' },
    description: 'ATT&CK tactic id, e.g. TA0006 (Falcon methods use CSTA ids).',
  },
  { name: 'technique', type: 'string', example: "'OS Credential Dumping'", description: 'MITRE ATT&CK technique name.' },
  {
    name: 'technique_id',
    type: 'string',
    format: { pattern: /^(?:T\d{4}(?:\.\d{3})?|CST\d{4})$/i, description: 'a technique id such as T1003 or T1003.001' },
    example: "'T1003'",
    description: 'ATT&CK technique id, e.g. T1003 or T1059.001.',
  },
  {
    name: 'product',
    type: 'string',
    values: ['epp', 'idp', 'xdr', 'overwatch', 'mobile', 'ngsiem'],
    description: 'Falcon product that raised the alert; endpoint alerts are epp.',
  },
  { name: 'platform', type: 'string', values: platforms, description: 'Operating system family of the host.' },
  { name: 'filename', type: 'string', example: "'powershell.exe'", description: 'File name of the process that triggered the alert (endpoint alerts).' },
  { name: 'filepath', type: 'string', description: 'Full path of that file (endpoint alerts).' },
  { name: 'cmdline', type: 'string', example: "'-enc'", description: 'Command line of the process (endpoint alerts).' },
  { name: 'user_name', type: 'string', description: 'User the process ran as (endpoint alerts).' },
  { name: 'status', type: 'string', values: ['new', 'in_progress', 'closed', 'reopened'], description: 'Workflow state of the alert in Falcon.' },
  { name: 'name', type: 'string', description: 'Detection name.' },
  { name: 'display_name', type: 'string', description: 'Detection name as the Falcon console shows it.' },
  { name: 'description', type: 'string', description: 'What the detection saw, in words.' },
  { name: 'objective', type: 'string', example: "'Falcon Detection Method'", description: 'Attacker objective the detection maps to.' },
  { name: 'scenario', type: 'string', example: "'suspicious_activity'", description: 'Detection scenario, e.g. suspicious_activity or known_malware.' },
  { name: 'pattern_disposition', type: 'number', min: 0, description: 'What the sensor did, as a bit field (0 = detection only).' },
  { name: 'pattern_disposition_description', type: 'string', description: 'What the sensor did, in words (e.g. process blocked).' },
  { name: 'type', type: 'string', description: 'Alert type as Falcon labels it.' },
  { name: 'sha256', type: 'string', format: hex(64, 'a SHA-256'), description: 'SHA-256 of the file (endpoint alerts).' },
  { name: 'md5', type: 'string', format: hex(32, 'an MD5'), description: 'MD5 of the file (endpoint alerts).' },
  { name: 'agent_id', type: 'string', format: hex(32, 'a host AID'), description: 'Host id (AID) of the sensor that raised the alert.' },
  { name: 'cid', type: 'string', format: hex(32, 'a CID'), description: 'Customer id (tenant) the alert belongs to.' },
  { name: 'tags', type: 'string-list', description: 'Tags on the alert; a comparison holds when it holds for any tag.' },
  { name: 'show_in_ui', type: 'boolean', description: 'Whether the Falcon console shows the alert.' },
];

const deviceFields: readonly Omit<FieldSpec, 'path'>[] = [
  { name: 'device.hostname', type: 'string', example: "'WS-0042'", description: 'Host name of the device.' },
  { name: 'device.device_id', type: 'string', format: hex(32, 'a host AID'), description: 'Host id (AID).' },
  { name: 'device.platform_name', type: 'string', values: platforms, description: 'Operating system family.' },
  { name: 'device.os_version', type: 'string', example: "'Windows 11'", description: 'Operating system version.' },
  { name: 'device.os_product_name', type: 'string', description: 'Operating system product name.' },
  { name: 'device.product_type_desc', type: 'string', values: ['Workstation', 'Server', 'Domain Controller'], description: 'Kind of machine.' },
  { name: 'device.local_ip', type: 'string', example: "'10.0.0.5'", description: 'Address on the local network.' },
  { name: 'device.external_ip', type: 'string', description: 'Address the device reaches the internet from.' },
  { name: 'device.mac_address', type: 'string', example: "'08-00-27-51-56-d8'", description: 'MAC address, dash-separated.' },
  { name: 'device.serial_number', type: 'string', description: 'Hardware serial number.' },
  { name: 'device.machine_domain', type: 'string', description: 'Windows domain the device belongs to.' },
  { name: 'device.agent_version', type: 'string', description: 'Falcon sensor version.' },
  {
    name: 'device.status',
    type: 'string',
    values: ['normal', 'containment_pending', 'contained', 'lift_containment_pending'],
    description: 'Network containment state.',
  },
  {
    name: 'device.tags',
    type: 'string-list',
    example: "'FalconGroupingTags/Prod'",
    description: 'Sensor grouping tags (fully qualified); holds when any tag matches.',
  },
  { name: 'device.groups', type: 'string-list', description: 'Host-group ids; holds when any group matches.' },
];

const aliases: readonly Omit<FieldSpec, 'path'>[] = [
  { name: 'hostname', type: 'string', example: "'WS-0042'", description: 'Host name of the device (device.hostname).' },
];

const pathOf = (name: string): readonly string[] => (name === 'hostname' ? ['device', 'hostname'] : name.split('.'));

/** Every field a condition can name, in the order completion lists them. */
export const fieldCatalog: readonly FieldSpec[] = [...alertFields, ...aliases, ...deviceFields].map((f) => ({ ...f, path: pathOf(f.name) }));

const byLowerName = new Map(fieldCatalog.map((f) => [f.name.toLowerCase(), f]));

export type FieldLookup =
  | { readonly kind: 'known'; readonly spec: FieldSpec }
  /** A device.* field the catalog does not list: allowed (the object is open) but worth a warning. */
  | { readonly kind: 'device-extra'; readonly spec: FieldSpec; readonly closest?: string }
  | { readonly kind: 'unknown'; readonly closest?: string };

/** Field names are matched case-insensitively; alert JSON keys are all lower case. */
export function lookupField(name: string): FieldLookup {
  const spec = byLowerName.get(name.toLowerCase());
  if (spec) return { kind: 'known', spec };
  const segments = name.split('.');
  const names = fieldCatalog.map((f) => f.name);
  const isDeviceExtra = segments.length >= 2 && segments[0]?.toLowerCase() === 'device' && segments.every((s) => /^[A-Za-z_]\w*$/.test(s));
  if (isDeviceExtra) {
    const guess = closestMatch(
      name,
      names.filter((n) => n.startsWith('device.')),
    );
    const extra: FieldSpec = { name, path: ['device', ...segments.slice(1)], type: 'unknown', description: 'A device field not in the catalog, read as-is.' };
    return guess ? { kind: 'device-extra', spec: extra, closest: guess } : { kind: 'device-extra', spec: extra };
  }
  const guess = closestMatch(name, names);
  return guess ? { kind: 'unknown', closest: guess } : { kind: 'unknown' };
}

/** The field catalog as the contract carries it (patterns left out). */
export function fieldInfos(): RuleFieldInfo[] {
  return fieldCatalog.map((f) => {
    const info: RuleFieldInfo = { name: f.name, type: f.type === 'unknown' ? 'string' : f.type, description: f.description };
    if (f.values) info.values = [...f.values];
    if (f.min !== undefined) info.min = f.min;
    if (f.max !== undefined) info.max = f.max;
    if (f.example !== undefined) info.example = f.example;
    return info;
  });
}

/** Follows a field path through nested objects; anything missing on the way reads as undefined. */
export function readPath(alert: AlertRecord, path: readonly string[]): unknown {
  let value: unknown = alert;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as AlertRecord)[key];
  }
  return value;
}

/** A reader specialised for the path's depth, so the common one- and two-step paths do no looping. */
export function pathReader(path: readonly string[]): (alert: AlertRecord) => unknown {
  const [first, second] = path;
  if (path.length === 1 && first !== undefined) return (alert) => alert[first];
  if (path.length === 2 && first !== undefined && second !== undefined)
    return (alert) => {
      const parent = alert[first];
      return parent !== null && typeof parent === 'object' ? (parent as AlertRecord)[second] : undefined;
    };
  return (alert) => readPath(alert, path);
}
