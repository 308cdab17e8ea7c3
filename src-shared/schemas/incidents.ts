// Falcon detections turned into incidents, as data: incidents and their timeline, the alert log, host
// configuration items, the enrichment mapping, the IOC push form and pushed IOCs, poller status, dry-run and back-test.
import { z } from 'zod';
import { RuleMatch, RulePriority, RuleSet, RuleSetExplanation } from './rules';

/** An instant as ISO 8601 UTC (`2026-11-25T12:00:00.000Z`). */
const Instant = z.iso.datetime({ offset: true });

/** Who did something: an admin's name, or `system` for the poller and automatic actions. */
export const Actor = z.string().trim().min(1, 'Say who is making the change.').max(200, 'Keep the name to 200 characters.');
export type Actor = z.infer<typeof Actor>;

export const SYSTEM_ACTOR = 'system';

/** A problem as the admin sees it: what happened and the fix. Never a secret, never a stack. */
export const IncidentProblem = z.object({
  code: z.string(),
  message: z.string(),
  fix: z.string().optional(),
  observed: z.string().optional(),
});
export type IncidentProblem = z.infer<typeof IncidentProblem>;

// ---------------------------------------------------------------------------------------------
// Incident numbers, states, priorities

/** INC followed by at least seven digits, e.g. INC0000001. */
export const IncidentNumber = z.string().regex(/^INC\d{7,}$/, 'An incident number looks like INC0000001.');
export type IncidentNumber = z.infer<typeof IncidentNumber>;

export function formatIncidentNumber(sequence: number): string {
  return `INC${String(sequence).padStart(7, '0')}`;
}

export const IncidentState = z.enum(['new', 'in_progress', 'resolved', 'closed'], {
  error: 'State must be new, in_progress, resolved or closed.',
});
export type IncidentState = z.infer<typeof IncidentState>;

export const incidentStateLabels: Record<IncidentState, string> = {
  new: 'New',
  in_progress: 'In Progress',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** New → In Progress → Resolved → Closed; a resolved incident may be reopened; Closed is final. */
export const incidentTransitions: Record<IncidentState, readonly IncidentState[]> = {
  new: ['in_progress'],
  in_progress: ['resolved'],
  resolved: ['closed', 'in_progress'],
  closed: [],
};

/** Transitions that need a reason: what fixed it, or why it is being reopened. */
export function transitionNeedsReason(from: IncidentState, to: IncidentState): boolean {
  return to === 'resolved' || (from === 'resolved' && to === 'in_progress');
}

export const IncidentPriority = RulePriority;
export type IncidentPriority = z.infer<typeof IncidentPriority>;

// ---------------------------------------------------------------------------------------------
// Alerts

/** The alert fields the incident screens and the alert log show; the full record stays in the store. */
export const AlertSummary = z.object({
  compositeId: z.string(),
  createdTimestamp: z.string(),
  aggregateId: z.string().nullable(),
  severity: z.number().nullable(),
  severityName: z.string().nullable(),
  tactic: z.string().nullable(),
  technique: z.string().nullable(),
  techniqueId: z.string().nullable(),
  name: z.string().nullable(),
  product: z.string().nullable(),
  deviceId: z.string().nullable(),
  hostname: z.string().nullable(),
  platform: z.string().nullable(),
  filename: z.string().nullable(),
  cmdline: z.string().nullable(),
  userName: z.string().nullable(),
  sha256: z.string().nullable(),
  md5: z.string().nullable(),
  falconLink: z.string().nullable(),
});
export type AlertSummary = z.infer<typeof AlertSummary>;

/** What the rule set decided for an alert; `no_match` is recorded too, so nothing is silently dropped. */
export const AlertOutcome = z.enum(['create_incident', 'log_only', 'no_match']);
export type AlertOutcome = z.infer<typeof AlertOutcome>;

/** One row of the alert log: every alert the poller saw, once, with the rule that decided it. */
export const AlertLogEntry = z.object({
  integrationId: z.string(),
  receivedAt: Instant,
  alert: AlertSummary,
  outcome: AlertOutcome,
  ruleIndex: z.number().int().nonnegative().nullable(),
  ruleId: z.string().nullable(),
  incidentNumber: IncidentNumber.nullable(),
});
export type AlertLogEntry = z.infer<typeof AlertLogEntry>;

export const AlertLogQuery = z.object({
  integrationId: z.string().optional(),
  outcome: AlertOutcome.optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().nonnegative().default(0),
});
export type AlertLogQuery = z.infer<typeof AlertLogQuery>;

export const AlertLogPage = z.object({ items: z.array(AlertLogEntry), total: z.number().int().nonnegative() });
export type AlertLogPage = z.infer<typeof AlertLogPage>;

// ---------------------------------------------------------------------------------------------
// Host enrichment

const ENRICHMENT_FIELD = /^[a-z][a-z0-9_]{0,63}$/;
const ENRICHMENT_PATH = /^device(\.[A-Za-z0-9_]+)+$/;
export const MAX_ENRICHMENT_FIELDS = 50;

/** The StackFlow page's `enrichment_fields`, exactly. */
export const seedEnrichmentMapping: Readonly<Record<string, string>> = Object.freeze({
  hostname: 'device.hostname',
  platform: 'device.platform_name',
  os_version: 'device.os_version',
  local_ip: 'device.local_ip',
  external_ip: 'device.external_ip',
  last_seen: 'device.last_seen',
  containment_status: 'device.status',
  tags: 'device.tags',
  groups: 'device.groups',
});

/** Incident field → dotted path into the Hosts API record, which is named `device`. */
export const EnrichmentMapping = z.record(z.string(), z.string()).superRefine((mapping, ctx) => {
  const entries = Object.entries(mapping);
  if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'Map at least one field, e.g. "hostname": "device.hostname".' });
  if (entries.length > MAX_ENRICHMENT_FIELDS) ctx.addIssue({ code: 'custom', message: `Map at most ${MAX_ENRICHMENT_FIELDS} fields.` });
  for (const [field, path] of entries) {
    if (!ENRICHMENT_FIELD.test(field))
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `"${field}" is not a usable field name: use lower-case letters, digits and _ , starting with a letter.`,
      });
    if (!ENRICHMENT_PATH.test(path))
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `"${path}" is not a host path: write a dotted path starting with device., e.g. device.hostname.`,
      });
  }
});
export type EnrichmentMapping = z.infer<typeof EnrichmentMapping>;

/** A JSON value read from the host record. */
export const EnrichmentValue = z.json();
export type EnrichmentValue = z.infer<typeof EnrichmentValue>;

export const EnrichmentState = z.enum(['pending', 'done', 'failed', 'skipped']);
export type EnrichmentState = z.infer<typeof EnrichmentState>;

export const IncidentEnrichment = z.object({
  state: EnrichmentState,
  /** The mapped fields as read when the incident was enriched. */
  fields: z.record(z.string(), EnrichmentValue),
  at: Instant.nullable(),
  problem: IncidentProblem.nullable(),
});
export type IncidentEnrichment = z.infer<typeof IncidentEnrichment>;

/** A host configuration item: the latest mapped view of one Falcon host, keyed by its device id (AID). */
export const HostCi = z.object({
  deviceId: z.string(),
  integrationId: z.string(),
  fields: z.record(z.string(), EnrichmentValue),
  firstSeenAt: Instant,
  updatedAt: Instant,
});
export type HostCi = z.infer<typeof HostCi>;

// ---------------------------------------------------------------------------------------------
// IOCs

export const IocType = z.enum(['ipv4', 'ipv6', 'domain', 'md5', 'sha256'], { error: 'Type must be ipv4, ipv6, domain, md5 or sha256.' });
export type IocType = z.infer<typeof IocType>;
export const IocAction = z.enum(['no_action', 'allow', 'prevent_no_ui', 'prevent', 'detect'], {
  error: 'Action must be no_action, allow, prevent_no_ui, prevent or detect.',
});
export type IocAction = z.infer<typeof IocAction>;
export const IocSeverity = z.enum(['informational', 'low', 'medium', 'high', 'critical'], {
  error: 'Severity must be informational, low, medium, high or critical.',
});
export type IocSeverity = z.infer<typeof IocSeverity>;
export const IocPlatform = z.enum(['windows', 'mac', 'linux', 'ios', 'android'], { error: 'Platforms are windows, mac, linux, ios and android.' });
export type IocPlatform = z.infer<typeof IocPlatform>;

const HASH_TYPES: readonly IocType[] = ['md5', 'sha256'];
/** Reference §6 (XSOAR, unverified by CrowdStrike): these actions apply to file hashes only. */
export const HASH_ONLY_ACTIONS: readonly IocAction[] = ['allow', 'prevent', 'prevent_no_ui'];
/** Reference §6: Falcon rejects these actions without a severity. */
export const SEVERITY_REQUIRED_ACTIONS: readonly IocAction[] = ['detect', 'prevent'];
export const MAX_IOC_EXPIRATION_DAYS = 3650;
export const MAX_IOC_DESCRIPTION = 200;

/** Parses dotted-quad IPv4 strictly; returns why not, or null when it is one. */
export function ipv4Problem(value: string): string | null {
  const parts = value.split('.');
  if (parts.length !== 4) return `${value} is not an IPv4 address: it needs four numbers separated by dots, e.g. 203.0.113.7.`;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return `${value} is not an IPv4 address: "${part}" is not a number from 0 to 255.`;
    if (part.length > 1 && part.startsWith('0')) return `${value} is not an IPv4 address: "${part}" has a leading zero (some tools read that as octal).`;
    if (Number(part) > 255) return `${value} is not an IPv4 address: ${part} is above 255.`;
  }
  return null;
}

/** Parses IPv6 (RFC 4291 text forms, embedded IPv4 allowed) into its eight groups, or says why not. */
export function parseIpv6(value: string): { groups: number[] } | { problem: string } {
  const bad = (why: string) => ({ problem: `${value} is not an IPv6 address: ${why}.` });
  if (value.includes('%')) return bad('remove the zone index (%…)');
  if (value.includes('/')) return bad('enter one address, without a /prefix length');
  if (/[[\]]/.test(value)) return bad('remove the brackets');
  if (ipv4Problem(value) === null) return bad('it is an IPv4 address; choose the ipv4 type');
  const halves = value.split('::');
  if (halves.length > 2) return bad(':: may appear only once');
  const groupsOf = (text: string): number[] | string => {
    if (text === '') return [];
    const out: number[] = [];
    const parts = text.split(':');
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes('.')) {
        if (ipv4Problem(part)) return `"${part}" is not a valid embedded IPv4 address`;
        const [a = 0, b = 0, c = 0, d = 0] = part.split('.').map(Number);
        out.push(a * 256 + b, c * 256 + d);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) out.push(parseInt(part, 16));
      else return part === '' ? 'a group is empty (use :: once for a run of zeros)' : `"${part}" is not a group of 1 to 4 hexadecimal digits`;
    }
    return out;
  };
  const head = groupsOf(halves[0] ?? '');
  if (typeof head === 'string') return bad(head);
  if (halves.length === 1) {
    if (head.length !== 8) return bad(`it has ${head.length} groups; a full address has 8 (or use :: for zeros)`);
    return { groups: head };
  }
  const tail = groupsOf(halves[1] ?? '');
  if (typeof tail === 'string') return bad(tail);
  if (head.length + tail.length > 7) return bad('too many groups around ::');
  return { groups: [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail] };
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as ::. */
export function formatIpv6(groups: readonly number[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** Domain syntax (letters, digits and hyphens; the top level starts with a letter); returns why not, or null. */
export function domainProblem(value: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes('/'))
    return `Enter the domain only, without a scheme or path (e.g. ${value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0]}).`;
  if (value.includes('*')) return 'Enter a domain without wildcards.';
  if (/[^\x20-\x7e]/.test(value)) return 'Enter an internationalised domain in its punycode form (xn--…).';
  if (value.length > 200) return `A domain IOC is at most 200 characters; this has ${value.length}.`;
  if (value.endsWith('.')) return 'Remove the trailing dot.';
  if (ipv4Problem(value) === null) return `${value} is an IPv4 address: choose the ipv4 type.`;
  const labels = value.split('.');
  if (labels.length < 2) return `${value} is not a domain: it needs at least two labels, e.g. example.com.`;
  for (const [i, label] of labels.entries()) {
    if (label.length === 0) return `${value} is not a domain: it has an empty label (two dots in a row).`;
    if (label.length > 63) return `${value} is not a domain: the label "${label.slice(0, 20)}…" is longer than 63 characters.`;
    if (!/^[a-z0-9-]+$/i.test(label)) return `${value} is not a domain: "${label}" may use only letters, digits and hyphens.`;
    if (label.startsWith('-') || label.endsWith('-')) return `${value} is not a domain: "${label}" starts or ends with a hyphen.`;
    if (i === labels.length - 1 && !/^[a-z]/i.test(label)) return `${value} is not a domain: the top-level label "${label}" must start with a letter.`;
  }
  return null;
}

const HEX_LENGTH: Record<'md5' | 'sha256', number> = { md5: 32, sha256: 64 };
const HASH_NAMES: Record<number, string> = { 32: 'an MD5 (choose md5)', 40: 'a SHA-1, which Falcon does not accept', 64: 'a SHA-256 (choose sha256)' };

function hashProblem(type: 'md5' | 'sha256', value: string): string | null {
  const want = HEX_LENGTH[type];
  const name = type === 'md5' ? 'An MD5' : 'A SHA-256';
  if (!/^[0-9a-f]*$/i.test(value)) return `${name} is ${want} hexadecimal characters (0-9, a-f); this value has other characters.`;
  if (value.length === want) return null;
  const looksLike = HASH_NAMES[value.length];
  return `${name} is ${want} hexadecimal characters; this value has ${value.length}${looksLike ? ` and looks like ${looksLike}` : ''}.`;
}

/** Why a value is not an IOC of its type, or null when it is. */
export function iocValueProblem(type: IocType, value: string): string | null {
  switch (type) {
    case 'ipv4':
      return ipv4Problem(value);
    case 'ipv6': {
      const parsed = parseIpv6(value);
      return 'problem' in parsed ? parsed.problem : null;
    }
    case 'domain':
      return domainProblem(value);
    case 'md5':
    case 'sha256':
      return hashProblem(type, value);
  }
}

/** The value as Falcon should store it (and as the duplicate check searches it). */
export function normalizeIocValue(type: IocType, value: string): string {
  const trimmed = value.trim();
  if (type === 'ipv6') {
    const parsed = parseIpv6(trimmed);
    return 'groups' in parsed ? formatIpv6(parsed.groups) : trimmed;
  }
  return type === 'ipv4' ? trimmed : trimmed.toLowerCase();
}

/** The StackFlow push form (the seed's curl body), validated field by field. */
export const IocInput = z
  .object({
    type: IocType,
    value: z.string().trim().min(1, 'Enter the value.'),
    action: IocAction,
    severity: IocSeverity.optional(),
    description: z.string().trim().max(MAX_IOC_DESCRIPTION, `Keep the description to ${MAX_IOC_DESCRIPTION} characters.`).optional(),
    source_incident: IncidentNumber.optional(),
    platforms: z
      .array(IocPlatform)
      .min(1, 'Choose at least one platform.')
      .refine((p) => new Set(p).size === p.length, 'A platform is listed twice.'),
    expiration_days: z
      .number()
      .int('Expiration is a whole number of days.')
      .min(1, 'Expiration is at least 1 day.')
      .max(MAX_IOC_EXPIRATION_DAYS, `Expiration is at most ${MAX_IOC_EXPIRATION_DAYS} days.`)
      .optional(),
  })
  .superRefine((ioc, ctx) => {
    const problem = ioc.value.length > 0 ? iocValueProblem(ioc.type, ioc.value) : null;
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
    if (HASH_ONLY_ACTIONS.includes(ioc.action) && !HASH_TYPES.includes(ioc.type))
      ctx.addIssue({
        code: 'custom',
        path: ['action'],
        message: `${ioc.action} applies to file hashes (sha256, md5) only; for a ${ioc.type} use detect or no_action.`,
      });
    if (SEVERITY_REQUIRED_ACTIONS.includes(ioc.action) && ioc.severity === undefined)
      ctx.addIssue({ code: 'custom', path: ['severity'], message: `Severity is required when the action is ${ioc.action}.` });
    if (ioc.action === 'allow' && ioc.severity !== undefined)
      ctx.addIssue({ code: 'custom', path: ['severity'], message: 'allow takes no severity; remove it.' });
  })
  .transform((ioc) => ({ ...ioc, value: normalizeIocValue(ioc.type, ioc.value) }));
export type IocInput = z.output<typeof IocInput>;
export type IocInputDraft = z.input<typeof IocInput>;

/** An IOC this console pushed to Falcon, recorded locally with who, when and why. */
export const PushedIoc = z.object({
  id: z.string(),
  integrationId: z.string(),
  type: IocType,
  value: z.string(),
  action: IocAction,
  severity: IocSeverity.nullable(),
  platforms: z.array(IocPlatform),
  description: z.string().nullable(),
  sourceIncident: IncidentNumber.nullable(),
  expiration: Instant.nullable(),
  pushedBy: z.string(),
  pushedAt: Instant,
  deletedBy: z.string().nullable(),
  deletedAt: Instant.nullable(),
});
export type PushedIoc = z.infer<typeof PushedIoc>;

export const PushedIocQuery = z.object({
  integrationId: z.string().optional(),
  sourceIncident: IncidentNumber.optional(),
  includeDeleted: z.boolean().default(false),
});
export type PushedIocQuery = z.infer<typeof PushedIocQuery>;

export const IocPushRequest = z.object({ integrationId: z.string().min(1), input: IocInput, actor: Actor });
export type IocPushRequest = z.input<typeof IocPushRequest>;

export const IocDeleteRequest = z.object({ id: z.string().min(1), actor: Actor });
export type IocDeleteRequest = z.infer<typeof IocDeleteRequest>;

/** What a push did: created in Falcon, or found an identical live indicator and created nothing. */
export const IocPushResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('created'), ioc: PushedIoc }),
  z.object({ status: z.literal('duplicate'), existingId: z.string(), type: IocType, value: z.string() }),
]);
export type IocPushResult = z.infer<typeof IocPushResult>;

/** An IOC attached to an incident: a hash from one of its alerts, or one an admin added. */
export const IncidentIoc = z.object({
  type: IocType,
  value: z.string(),
  origin: z.enum(['alert', 'manual']),
  /** For manual IOCs, the push form as entered; alert hashes use the resolve-push policy. */
  input: IocInput.nullable(),
  addedBy: z.string(),
  addedAt: Instant,
  pushedId: z.string().nullable(),
});
export type IncidentIoc = z.infer<typeof IncidentIoc>;

export const IncidentIocRequest = z.object({ number: IncidentNumber, input: IocInput, actor: Actor });
export type IncidentIocRequest = z.input<typeof IncidentIocRequest>;

// ---------------------------------------------------------------------------------------------
// Containment

export const ContainmentAction = z.enum(['contain', 'lift']);
export type ContainmentAction = z.infer<typeof ContainmentAction>;

/**
 * What this console last did about containing the incident's host. `auto_pending`: a rule asked for it
 * and the decision has not been taken yet; the host's own state is its CI's containment_status.
 */
export const ContainmentStatus = z.enum(['none', 'auto_pending', 'skipped', 'requested', 'lift_requested', 'refused']);
export type ContainmentStatus = z.infer<typeof ContainmentStatus>;

/** The global safety switch for rules' auto_contain_host; off unless an admin turns it on. */
export const ContainmentSettings = z.object({
  autoContainEnabled: z.boolean(),
  changedBy: z.string().nullable(),
  changedAt: Instant.nullable(),
});
export type ContainmentSettings = z.infer<typeof ContainmentSettings>;
export const defaultContainmentSettings: ContainmentSettings = { autoContainEnabled: false, changedBy: null, changedAt: null };

export const ContainmentSettingsInput = z.object({ autoContainEnabled: z.boolean(), actor: Actor });
export type ContainmentSettingsInput = z.infer<typeof ContainmentSettingsInput>;

// ---------------------------------------------------------------------------------------------
// Timeline and incidents

export const TimelineKind = z.enum([
  'created',
  'alert_linked',
  'priority_raised',
  'state_changed',
  'note',
  'enrichment',
  'enrichment_failed',
  'ioc_added',
  'ioc_pushed',
  'ioc_push_failed',
  'containment_requested',
  'containment_lifted',
  'containment_refused',
  'containment_skipped',
]);
export type TimelineKind = z.infer<typeof TimelineKind>;

export const TimelineEntry = z.object({
  seq: z.number().int().positive(),
  at: Instant,
  kind: TimelineKind,
  actor: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.json()).optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const IncidentRule = z.object({ index: z.number().int().nonnegative(), id: z.string(), name: z.string() });
export type IncidentRule = z.infer<typeof IncidentRule>;

/** An incident as listed: everything but the timeline and the full alerts. */
export const Incident = z.object({
  number: IncidentNumber,
  integrationId: z.string(),
  title: z.string(),
  state: IncidentState,
  priority: IncidentPriority,
  assignmentGroup: z.string().nullable(),
  category: z.string().nullable(),
  rule: IncidentRule,
  autoContain: z.boolean(),
  containment: ContainmentStatus,
  aggregateId: z.string().nullable(),
  alertIds: z.array(z.string()).min(1),
  severity: z.number().nullable(),
  tactic: z.string().nullable(),
  hostDeviceId: z.string().nullable(),
  hostname: z.string().nullable(),
  enrichment: IncidentEnrichment,
  createdAt: Instant,
  updatedAt: Instant,
  inProgressAt: Instant.nullable(),
  resolvedAt: Instant.nullable(),
  closedAt: Instant.nullable(),
});
export type Incident = z.infer<typeof Incident>;

/** The detail panel: the incident with its alerts, host CI, IOCs and timeline. */
export const IncidentDetail = Incident.extend({
  alerts: z.array(AlertSummary),
  host: HostCi.nullable(),
  iocs: z.array(IncidentIoc),
  timeline: z.array(TimelineEntry),
});
export type IncidentDetail = z.infer<typeof IncidentDetail>;

export const IncidentRef = z.object({ number: IncidentNumber });
export const IntegrationRef = z.object({ integrationId: z.string().min(1) });

export const IncidentQuery = z.object({
  state: z.array(IncidentState).optional(),
  priority: z.array(IncidentPriority).optional(),
  integrationId: z.string().optional(),
  /** Matches number, title, hostname, rule and assignment group, case-insensitively. */
  text: z.string().trim().max(200).optional(),
  limit: z.number().int().min(1).max(1000).default(50),
  offset: z.number().int().nonnegative().default(0),
});
export type IncidentQuery = z.infer<typeof IncidentQuery>;

export const IncidentPage = z.object({ items: z.array(Incident), total: z.number().int().nonnegative() });
export type IncidentPage = z.infer<typeof IncidentPage>;

/** The incident list filter for CSV export (every matching incident, no paging). */
export const IncidentCsvRequest = IncidentQuery.omit({ limit: true, offset: true });
export type IncidentCsvRequest = z.input<typeof IncidentCsvRequest>;

export const StateChange = z.object({
  number: IncidentNumber,
  to: IncidentState,
  actor: Actor,
  reason: z.string().trim().max(2000).optional(),
});
export type StateChange = z.infer<typeof StateChange>;

export const IncidentNote = z.object({
  number: IncidentNumber,
  actor: Actor,
  text: z.string().trim().min(1, 'Write the note.').max(5000, 'Keep a note to 5000 characters.'),
});
export type IncidentNote = z.infer<typeof IncidentNote>;

export const ContainmentRequest = z.object({
  number: IncidentNumber,
  action: ContainmentAction,
  actor: Actor,
  reason: z.string().trim().max(2000).optional(),
});
export type ContainmentRequest = z.infer<typeof ContainmentRequest>;

// ---------------------------------------------------------------------------------------------
// Poller

export const PollerPhase = z.enum(['stopped', 'idle', 'polling', 'error']);
export type PollerPhase = z.infer<typeof PollerPhase>;

export const PollBatch = z.object({
  fetched: z.number().int().nonnegative(),
  fresh: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  incidentsCreated: z.number().int().nonnegative(),
  alertsLinked: z.number().int().nonnegative(),
  logged: z.number().int().nonnegative(),
  unmatched: z.number().int().nonnegative(),
  /** Alerts Falcon sent that could not be read: recorded nowhere, counted here (the poll still succeeds). */
  setAside: z.number().int().nonnegative(),
});
export type PollBatch = z.infer<typeof PollBatch>;

export const PollerStatus = z.object({
  integrationId: z.string(),
  name: z.string(),
  phase: PollerPhase,
  intervalMs: z.number().int().positive(),
  /** The newest created_timestamp committed, as Falcon sent it (nanoseconds kept). */
  cursor: z.string().nullable(),
  lastPollAt: Instant.nullable(),
  lastSuccessAt: Instant.nullable(),
  nextPollAt: Instant.nullable(),
  alertsSeen: z.number().int().nonnegative(),
  incidentsCreated: z.number().int().nonnegative(),
  lastBatch: PollBatch.nullable(),
  lastError: IncidentProblem.nullable(),
});
export type PollerStatus = z.infer<typeof PollerStatus>;

// ---------------------------------------------------------------------------------------------
// Dry run and back-test

/** Names a long run so `rules.cancel` can stop it; the caller makes it up (a UUID). */
export const RunId = z.string().min(8, 'A run id has at least 8 characters.').max(64, 'A run id has at most 64 characters.');

export const DryRunRequest = z.object({
  runId: RunId.optional(),
  integrationId: z.string(),
  ruleSet: RuleSet,
  /** How many of the most recent alerts to pull (the StackFlow page's "last 10 detections"). */
  count: z.number().int().min(1).max(500).default(10),
});
export type DryRunRequest = z.input<typeof DryRunRequest>;

export const DryRunRow = z.object({ alert: AlertSummary, match: RuleMatch.nullable(), explanation: RuleSetExplanation });
export type DryRunRow = z.infer<typeof DryRunRow>;

export const DryRunResult = z.object({
  integrationId: z.string(),
  rows: z.array(DryRunRow),
  /** Set when fewer alerts than asked for could be pulled, and why. */
  note: z.string().nullable(),
});
export type DryRunResult = z.infer<typeof DryRunResult>;

export const BackTestRequest = z
  .object({
    runId: RunId.optional(),
    ruleSet: RuleSet,
    from: Instant,
    to: Instant,
    integrationId: z.string().optional(),
  })
  .refine((r) => Date.parse(r.from) < Date.parse(r.to), { path: ['to'], message: 'The end of the window must be after its start.' });
export type BackTestRequest = z.input<typeof BackTestRequest>;

/** How many stored alerts one rule took, and how many incidents of which priority that would make. */
export const BackTestRuleCount = z.object({
  ruleIndex: z.number().int().nonnegative(),
  ruleId: z.string(),
  action: z.enum(['create_incident', 'log_only']),
  priority: IncidentPriority.nullable(),
  alerts: z.number().int().nonnegative(),
});
export type BackTestRuleCount = z.infer<typeof BackTestRuleCount>;

export const BackTestSide = z.object({
  rules: z.array(BackTestRuleCount),
  incidents: z.number().int().nonnegative(),
  byPriority: z.record(IncidentPriority, z.number().int().nonnegative()),
  logged: z.number().int().nonnegative(),
  unmatched: z.number().int().nonnegative(),
});
export type BackTestSide = z.infer<typeof BackTestSide>;

export const BackTestChange = z.object({
  alert: AlertSummary,
  saved: RuleMatch.nullable(),
  draft: RuleMatch.nullable(),
});
export type BackTestChange = z.infer<typeof BackTestChange>;

export const BackTestResult = z.object({
  alerts: z.number().int().nonnegative(),
  draft: BackTestSide,
  saved: BackTestSide,
  /** Alerts whose outcome the draft changes (the first few hundred). */
  changes: z.array(BackTestChange),
  changed: z.number().int().nonnegative(),
});
export type BackTestResult = z.infer<typeof BackTestResult>;
