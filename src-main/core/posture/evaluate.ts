// Evaluates posture checks on devices: pass, fail, or unknown with the reason — never a silent pass or fail.
// Pure: the caller supplies the time. Each check is compiled once so a 100k-device poll only compares values.
import type { PostureEvaluation, PostureResult } from '../../../src-shared/schemas/posture-log';
import { postureSources } from '../../../src-shared/schemas/sources';
import type { GenericRule } from '../../../src-shared/schemas/sources/generic-rule';
import { genericReader, type Reading } from './generic-readers';
import {
  attributeSpec,
  lastSeenBucketMs,
  postureAttributes,
  type PostureAttribute,
  type SourcePosture,
  LastSeenBucket,
  type CheckEvaluation,
  type PostureDevice,
  type CompareOperator,
  type PostureCheck,
  type PostureRule,
  type ResultCounts,
  type SerialStatus,
  type UnknownReason,
  type UnreadableRecordKind,
  type VersionOperator,
} from '../../../src-shared/schemas/posture';
import { runSliced, runToEnd, type TimeSlicer } from '../time-slice';
import { describeRule } from './checks';

/** One provider record standing for one device, as a check sees it. */
export interface EvalSubject {
  deviceKey: string;
  deviceName: string;
  /** The serial as this provider reported it, and the normalized serial devices are matched on. */
  serial: string | null;
  serialKey: string | null;
  platform: string | null;
  serialStatus: SerialStatus;
  serialProblem: string | null;
  posture: SourcePosture;
  /** When the provider's data was fetched (epoch ms), and how often that provider is polled. */
  fetchedAt: number;
  pollIntervalMs: number;
  /** The matched device, for presence checks (which sources report it); absent: presence is not known. */
  device?: PostureDevice;
}

/** What a check may know beyond its own subject: the other sources, for presence checks. */
export interface EvalContext {
  /** A source's latest snapshot: when it was fetched and how often it is polled; undefined when it has none. */
  source(providerId: string): { fetchedAt: number; pollIntervalMs: number } | undefined;
  /** Display names of the sources; absent where names are not known (then presence reads "the other source"). */
  sourceName?: (providerId: string) => string | undefined;
}

/** The context of a match's snapshots, with the sources' display names. */
export function contextOf(
  snapshots: readonly { providerId: string; fetchedAt: number; pollIntervalMs: number }[],
  sourceName?: (providerId: string) => string | undefined,
): EvalContext {
  return { source: (id) => snapshots.find((s) => s.providerId === id), ...(sourceName ? { sourceName } : {}) };
}

export interface CompiledCheck {
  readonly check: PostureCheck;
  readonly expected: string;
  evaluate(subject: EvalSubject, now: number): CheckEvaluation;
}

function compare(op: CompareOperator, received: number, value: number): boolean {
  switch (op) {
    case '<':
      return received < value;
    case '<=':
      return received <= value;
    case '>':
      return received > value;
    case '>=':
      return received >= value;
    case '==':
      return received === value;
  }
}

/** Dotted numeric version, or null when it is not one. */
export function parseVersion(text: string): number[] | null {
  const trimmed = text.trim();
  return /^\d+(\.\d+)*$/.test(trimmed) ? trimmed.split('.').map(Number) : null;
}

/** Component-wise, missing components count as 0 (2.1 == 2.1.0). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

function versionHolds(op: VersionOperator, cmp: number): boolean {
  switch (op) {
    case '==':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
  }
}

/** The smallest "seen within" bucket containing this much elapsed time. */
export function lastSeenBucketOf(elapsedMs: number): LastSeenBucket {
  return LastSeenBucket.options.find((b) => elapsedMs < lastSeenBucketMs[b]) ?? '>30d';
}

const INTERVAL_UNITS: [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'm'],
];

/** 3600000 → "1h", 300000 → "5m". */
export function formatInterval(ms: number): string {
  for (const [unit, suffix] of INTERVAL_UNITS) if (ms >= unit && ms % unit === 0) return `${ms / unit}${suffix}`;
  return `${Math.round(ms / 1000)}s`;
}

const notReported = (attribute: string): Reading => ({
  unknown: 'missing_attribute',
  reason: `This provider does not report ${attribute}.`,
});

const noAssessment: Reading = {
  unknown: 'no_assessment',
  reason: 'CrowdStrike has no Zero Trust Assessment for this host yet.',
};

type PresenceRule = Extract<PostureRule, { attribute: 'present_in' }>;

/**
 * Whether another source reports the device: its record joined the device by serial (pass), it is missing (fail),
 * or only a MAC or hostname links them, or that source has no fresh data (unknown). Read as of this poll: the
 * other source's later polls show here at this provider's next poll.
 */
function presenceReader(rule: PresenceRule, context: EvalContext | undefined): (subject: EvalSubject, now: number) => Reading {
  const known = context?.sourceName?.(rule.sourceId);
  const name = known ?? 'the other source';
  // Names come from the connections: none means the source was removed after the check was saved.
  const noData =
    context?.sourceName && known === undefined
      ? 'The source this check names no longer exists; edit the check to name another one.'
      : `${name} has no successful poll yet, so whether it reports this device is not known.`;
  return (subject, now) => {
    const source = context?.source(rule.sourceId);
    const device = subject.device;
    if (!source || !device) return { unknown: 'source_no_data', reason: noData };
    if (now - source.fetchedAt > 2 * source.pollIntervalMs)
      return {
        unknown: 'stale_data',
        reason: `${name}'s data is older than twice its ${formatInterval(source.pollIntervalMs)} polling interval; its last poll may have failed.`,
      };
    if (device.records.some((r) => r.observation.providerId === rule.sourceId)) return { received: `present in ${name}`, holds: true };
    const possible = device.possibleMatches.find((p) => p.providerId === rule.sourceId);
    if (possible)
      return {
        unknown: 'possible_match',
        reason: `Only the same ${possible.via === 'mac' ? 'MAC address' : 'hostname'} (${possible.value}) links this device to a ${name} record; checks never trust such a link.`,
        received: `possible match in ${name}`,
      };
    return { received: `not in ${name}`, holds: false };
  };
}

/** Builds the per-device reading for one rule; everything that depends only on the rule is done here, once. */
function readerFor(rule: Exclude<PostureRule, PresenceRule>): (posture: SourcePosture, now: number) => Reading {
  switch (rule.attribute) {
    case 'overall':
    case 'os':
    case 'sensor_config': {
      const field = rule.attribute === 'sensor_config' ? 'sensorConfig' : rule.attribute;
      return (p) => {
        if (p.kind !== 'crowdstrike-zta') return notReported(rule.attribute);
        if (!p.assessment) return noAssessment;
        const score = p.assessment[field];
        if (score === null) return { unknown: 'missing_attribute', reason: `The assessment has no ${rule.attribute} score.` };
        return { received: `${rule.attribute} = ${score}`, holds: compare(rule.operator, score, rule.value) };
      };
    }
    case 'version': {
      const wanted = parseVersion(rule.value) ?? [];
      return (p) => {
        if (p.kind !== 'crowdstrike-zta') return notReported('version');
        if (!p.assessment) return noAssessment;
        const version = p.assessment.version;
        if (version === null) return { unknown: 'missing_attribute', reason: 'The assessment has no score version.' };
        const parsed = parseVersion(version);
        if (!parsed) return { unknown: 'unparseable_value', reason: `Score version "${version}" is not a dotted version.`, received: `version = ${version}` };
        return { received: `version = ${version}`, holds: versionHolds(rule.operator, compareVersions(parsed, wanted)) };
      };
    }
    case 'state': {
      const accepted = new Set<string>(rule.accepted);
      return (p) => {
        if (p.kind !== 'crowdstrike-zta') return notReported('state');
        if (p.state === null) return { unknown: 'missing_attribute', reason: 'Falcon returned no online state for this host.' };
        return { received: `state = ${p.state}`, holds: accepted.has(p.state) };
      };
    }
    case 'last_seen': {
      const limit = lastSeenBucketMs[rule.within];
      return (p, now) => {
        if (p.kind !== 'crowdstrike-zta') return notReported('last_seen');
        if (p.lastSeenAt === null) return { unknown: 'missing_attribute', reason: 'Falcon reports no last-seen time for this host.' };
        // A last-seen time slightly ahead of our clock is skew, not the future.
        const elapsed = Math.max(0, now - p.lastSeenAt);
        const bucket = lastSeenBucketOf(elapsed);
        return { received: bucket === '>30d' ? 'last_seen more than 30d ago' : `last_seen within ${bucket}`, holds: elapsed < limit };
      };
    }
    case 'infected':
    case 'is_active': {
      const field = rule.attribute === 'infected' ? 'infected' : 'isActive';
      return (p) => {
        if (p.kind !== 'sentinelone') return notReported(rule.attribute);
        const value = p[field];
        if (value === null) return { unknown: 'missing_attribute', reason: `SentinelOne did not report ${rule.attribute} for this agent.` };
        return { received: `${rule.attribute} = ${value}`, holds: value === rule.expected };
      };
    }
    case 'active_threats':
      return (p) => {
        if (p.kind !== 'sentinelone') return notReported('active_threats');
        if (p.activeThreats === null) return { unknown: 'missing_attribute', reason: 'SentinelOne did not report active_threats for this agent.' };
        return { received: `active_threats = ${p.activeThreats}`, holds: compare(rule.operator, p.activeThreats, rule.value) };
      };
    case 'network_status':
    case 'operational_state': {
      const field = rule.attribute === 'network_status' ? 'networkStatus' : 'operationalState';
      const accepted = new Set<string>(rule.accepted);
      return (p) => {
        if (p.kind !== 'sentinelone') return notReported(rule.attribute);
        const value = p[field];
        if (value === null) return { unknown: 'missing_attribute', reason: `SentinelOne did not report ${rule.attribute} for this agent.` };
        // A value outside the known enum is shown as reported and is simply not accepted.
        return { received: `${rule.attribute} = ${value}`, holds: accepted.has(value) };
      };
    }
    default: {
      // Attributes described as data (newer sources): read by their rule shape.
      const generic = rule as GenericRule;
      const attribute = postureAttributes[generic.attribute as PostureAttribute];
      const spec = attributeSpec(generic.attribute);
      if (!attribute || !spec || attribute.kind === 'any') throw new Error(`No reader for posture attribute ${generic.attribute}`);
      return genericReader(generic, spec, attribute.kind, postureSources[attribute.kind].short, { compareVersions, versionHolds, lastSeenBucketOf });
    }
  }
}

/** The records each attribute is read from: when one of them could not be read, the check is unknown. */
/** Attributes not listed (those described as data) are read from the source's one record: any unreadable note applies. */
const READ_FROM: Partial<Record<PostureRule['attribute'], readonly UnreadableRecordKind[]>> = {
  overall: ['host', 'assessment'],
  os: ['host', 'assessment'],
  sensor_config: ['host', 'assessment'],
  version: ['host', 'assessment'],
  state: ['host', 'online_state'],
  // An unreadable online-state record leaves the host record's last-seen time, which is still a reading.
  last_seen: ['host'],
  infected: ['agent'],
  active_threats: ['agent'],
  is_active: ['agent'],
  network_status: ['agent'],
  operational_state: ['agent'],
  // Presence reads the match, not this record's posture.
  present_in: [],
};

const SERIAL_UNKNOWN: Record<Exclude<SerialStatus, 'valid'>, UnknownReason> = {
  missing: 'missing_serial',
  junk: 'junk_serial',
  duplicate: 'duplicate_serial',
};

export function compileCheck(check: PostureCheck, context?: EvalContext): CompiledCheck {
  const expected = describeRule(check.rule, context?.sourceName);
  const rule = check.rule;
  const read: (subject: EvalSubject, now: number) => Reading =
    rule.attribute === 'present_in'
      ? presenceReader(rule, context)
      : (
          (reader) => (subject: EvalSubject, now: number) =>
            reader(subject.posture, now)
        )(readerFor(rule));
  const readFrom = READ_FROM[check.rule.attribute];
  const met = `Meets ${expected}.`;
  const notMet = `Does not meet ${expected}.`;
  const unknown = (code: UnknownReason, reason: string, received: string | null = null): CheckEvaluation => ({
    result: 'unknown',
    code,
    reason,
    expected,
    received,
  });

  return {
    check,
    expected,
    evaluate(subject, now) {
      if (now - subject.fetchedAt > 2 * subject.pollIntervalMs)
        return unknown(
          'stale_data',
          `The provider's data is older than twice its ${formatInterval(subject.pollIntervalMs)} polling interval; the last poll may have failed.`,
        );
      const notes = subject.posture.unreadable;
      if (notes !== undefined) for (const note of notes) if (!readFrom || readFrom.includes(note.record)) return unknown('unreadable_record', note.reason);
      if (subject.serialStatus !== 'valid')
        return unknown(SERIAL_UNKNOWN[subject.serialStatus], subject.serialProblem ?? 'The serial number does not identify one device.');
      const reading = read(subject, now);
      if ('unknown' in reading) return unknown(reading.unknown, reading.reason, reading.received ?? null);
      return reading.holds
        ? { result: 'pass', code: 'met', reason: met, expected, received: reading.received }
        : { result: 'fail', code: 'not_met', reason: notMet, expected, received: reading.received };
    },
  };
}

/** One check on one device (compiles the check each call; use compileCheck for many devices). */
export function evaluateCheck(check: PostureCheck, subject: EvalSubject, now: number, context?: EvalContext): CheckEvaluation {
  return compileCheck(check, context).evaluate(subject, now);
}

export function toLogRow(subject: EvalSubject, check: PostureCheck, evaluation: CheckEvaluation): PostureEvaluation {
  return {
    deviceKey: subject.deviceKey,
    deviceName: subject.deviceName,
    serial: subject.serial,
    serialKey: subject.serialKey,
    platform: subject.platform,
    checkId: check.id,
    checkName: check.name,
    result: evaluation.result,
    expected: evaluation.expected,
    received: evaluation.received,
    reason: evaluation.reason,
  };
}

export interface EvaluationBatch {
  rows: PostureEvaluation[];
  counts: ResultCounts;
  unknownBy: Partial<Record<UnknownReason, number>>;
}

/** Every check on every subject, as log rows, with counts. */
export function evaluateAll(subjects: readonly EvalSubject[], checks: readonly PostureCheck[], now: number, context?: EvalContext): EvaluationBatch {
  const rows: PostureEvaluation[] = [];
  const tally = runToEnd(evaluationSteps(subjects, checks, now, (row) => rows.push(row), context));
  return { rows, ...tally };
}

/**
 * evaluateAll for a poll: each row is handed to `onRow` as it is made (the poll packs it for the store at once) and
 * the work runs in slices that leave the event loop free. The same rows and counts as evaluateAll, in the same order.
 */
export function evaluateSliced(
  subjects: Iterable<EvalSubject>,
  checks: readonly PostureCheck[],
  now: number,
  onRow: (row: PostureEvaluation) => void,
  context?: EvalContext,
  slicer?: TimeSlicer,
): Promise<Omit<EvaluationBatch, 'rows'> & { subjects: number }> {
  return runSliced(evaluationSteps(subjects, checks, now, onRow, context), slicer);
}

function* evaluationSteps(
  subjects: Iterable<EvalSubject>,
  checks: readonly PostureCheck[],
  now: number,
  onRow: (row: PostureEvaluation) => void,
  context?: EvalContext,
): Generator<void, Omit<EvaluationBatch, 'rows'> & { subjects: number }> {
  const compiled = checks.map((c) => compileCheck(c, context));
  const counts: Record<PostureResult, number> = { pass: 0, fail: 0, unknown: 0 };
  const unknownBy: Partial<Record<UnknownReason, number>> = {};
  let seen = 0;
  for (const subject of subjects) {
    seen++;
    for (const c of compiled) {
      const evaluation = c.evaluate(subject, now);
      counts[evaluation.result]++;
      if (evaluation.result === 'unknown') {
        const code = evaluation.code as UnknownReason;
        unknownBy[code] = (unknownBy[code] ?? 0) + 1;
      }
      onRow(toLogRow(subject, c.check, evaluation));
    }
    yield;
  }
  return { counts, unknownBy, subjects: seen };
}
