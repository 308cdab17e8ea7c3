// Posture as data: checks and their rules, the devices a poll observes and matches, evaluations, polls and what-if.
import { z } from 'zod';
import { PostureResult } from './posture-log';
import type { LastSeenBucket } from './sources/fields';
import { PostureRule, SourcePosture, UnreadableRecordKind } from './sources';

export { CompareOperator, DottedVersion, LastSeenBucket, VersionOperator } from './sources/fields';
export { ZtaScore, OnlineState, ZtaPosture } from './sources/crowdstrike-zta';
export { S1NetworkStatus, S1OperationalState, ThreatCount, S1Posture } from './sources/sentinelone';
export { IntunePosture } from './sources/intune';
export { PostureProviderKind, PostureRule, SourcePosture, UnreadableRecordKind, postureAttributes, attributeSpec, attributeFits } from './sources';
export type { PostureAttribute } from './sources';
export type { AttributeSpec } from './sources/attributes';

export { isPostureProviderKind } from './posture-kinds';

export const lastSeenBucketMs: Record<LastSeenBucket, number> = {
  '1h': 3_600_000,
  '3h': 3 * 3_600_000,
  '6h': 6 * 3_600_000,
  '12h': 12 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '>30d': Number.POSITIVE_INFINITY,
};

// ---- checks ------------------------------------------------------------------------------------

export const CheckName = z
  .string({ error: 'Enter a name for this check.' })
  .trim()
  .min(1, 'Enter a name for this check.')
  .max(80, 'Keep the check name to 80 characters.');

const checkFields = {
  name: CheckName,
  providerId: z.string({ error: 'Choose the provider this check runs on.' }).min(1, 'Choose the provider this check runs on.'),
  enabled: z.boolean().default(true),
  rule: PostureRule,
};

/** A saved posture check: one rule on one provider. */
export const PostureCheck = z.object({ id: z.string().min(1), ...checkFields });
export type PostureCheck = z.infer<typeof PostureCheck>;

/** Create (no id) or update (id) from the editor; whether the rule fits the provider is checked in the core. */
export const PostureCheckInput = z.object({ id: z.string().min(1).optional(), ...checkFields });
export type PostureCheckInput = z.infer<typeof PostureCheckInput>;

// ---- devices -----------------------------------------------------------------------------------

/** A record of this device the provider sent but the console could not read: the checks it feeds are unknown. */
export const UnreadableNote = z.object({
  record: UnreadableRecordKind,
  /** "Falcon sent an unreadable host record: field serial_number: expected string, received number" */
  reason: z.string(),
});
export type UnreadableNote = z.infer<typeof UnreadableNote>;

/** One provider record (a Falcon host or an S1 agent) as the posture core sees it. */
export const DeviceObservation = z.object({
  providerId: z.string(),
  recordId: z.string(),
  hostname: z.string().nullable(),
  /** As reported; normalized only for matching. */
  serial: z.string().nullable(),
  macs: z.array(z.string()),
  platform: z.string().nullable(),
  /** Epoch ms of the record's last contact; chooses between reinstall duplicates. */
  lastActivityAt: z.number().nullable(),
  /** Decommissioned or uninstalled (S1): kept for the explanation, never preferred. */
  retired: z.boolean(),
  /** Last logged-in user as reported (Falcon `last_login_user`, S1 `lastLoggedInUserName`); absent when not read. */
  user: z.string().nullable().optional(),
  posture: SourcePosture,
});
export type DeviceObservation = z.infer<typeof DeviceObservation>;

/** How far a device's serial can be trusted as its identity. */
export const SerialStatus = z.enum(['valid', 'missing', 'junk', 'duplicate']);
export type SerialStatus = z.infer<typeof SerialStatus>;

export const RecordRole = z.enum(['used', 'superseded', 'duplicate']);
export type RecordRole = z.infer<typeof RecordRole>;

export const DeviceRecord = z.object({
  observation: DeviceObservation,
  role: RecordRole,
  /** Why a superseded record was set aside, or which records share a duplicated serial. */
  note: z.string().nullable(),
});
export type DeviceRecord = z.infer<typeof DeviceRecord>;

export const FallbackKey = z.enum(['mac', 'hostname']);
export type FallbackKey = z.infer<typeof FallbackKey>;

/** A weaker link (MAC, then hostname) shown as "possible match"; checks never trust it. */
export const PossibleMatch = z.object({
  deviceKey: z.string(),
  providerId: z.string(),
  recordId: z.string(),
  via: FallbackKey,
  value: z.string(),
});
export type PossibleMatch = z.infer<typeof PossibleMatch>;

/**
 * One device of the cross-provider inventory. `key` is `sn:<normalized serial>` when the serial identifies
 * one machine, else `rec:<providerId>:<recordId>` (no, junk or duplicated serial: one device per record).
 */
export const PostureDevice = z.object({
  key: z.string(),
  /** Normalized serial when valid or duplicated, the raw value when junk, null when missing. */
  serial: z.string().nullable(),
  serialStatus: SerialStatus,
  /** For a junk or duplicate serial: says which, in words (also the reason of an unknown result). */
  serialProblem: z.string().nullable(),
  hostname: z.string().nullable(),
  platform: z.string().nullable(),
  records: z.array(DeviceRecord),
  possibleMatches: z.array(PossibleMatch),
});
export type PostureDevice = z.infer<typeof PostureDevice>;

export const ProviderMatchOutcome = z.enum(['matched', 'not_found', 'possible_match', 'ambiguous']);
export type ProviderMatchOutcome = z.infer<typeof ProviderMatchOutcome>;

/** The Devices detail panel: which key matched, what each provider contributed, and why the others did not. */
export const DeviceExplanation = z.object({
  deviceKey: z.string(),
  matchedBy: z.enum(['serial', 'none']),
  summary: z.string(),
  providers: z.array(z.object({ providerId: z.string(), outcome: ProviderMatchOutcome, recordIds: z.array(z.string()), detail: z.string() })),
  /** Choices made on the admin's behalf, e.g. which of two reinstall records was kept. */
  choices: z.array(z.string()),
});
export type DeviceExplanation = z.infer<typeof DeviceExplanation>;

// ---- evaluations -------------------------------------------------------------------------------

/** Why a result is unknown; never a silent pass or fail. */
export const UnknownReason = z.enum([
  'stale_data',
  'missing_serial',
  'junk_serial',
  'duplicate_serial',
  'no_assessment',
  'missing_attribute',
  'unparseable_value',
  'unreadable_record',
  /** A presence check's source has no successful poll. */
  'source_no_data',
  /** A presence check's source has only a MAC address or hostname link to the device, which checks never trust. */
  'possible_match',
]);
export type UnknownReason = z.infer<typeof UnknownReason>;

export const ReasonCode = z.enum(['met', 'not_met', ...UnknownReason.options]);
export type ReasonCode = z.infer<typeof ReasonCode>;

/** One check on one device, before it becomes a log row. */
export const CheckEvaluation = z.object({
  result: PostureResult,
  code: ReasonCode,
  reason: z.string(),
  /** "overall >= 70" */
  expected: z.string(),
  /** "overall = 64"; null when the provider reported nothing to compare. */
  received: z.string().nullable(),
});
export type CheckEvaluation = z.infer<typeof CheckEvaluation>;

export const ResultCounts = z.object({
  pass: z.number().int().nonnegative(),
  fail: z.number().int().nonnegative(),
  unknown: z.number().int().nonnegative(),
});
export type ResultCounts = z.infer<typeof ResultCounts>;

// ---- polls -------------------------------------------------------------------------------------

/** Falcon: `hosts` (details, ZTA and online state fetched together); S1: `agents`; then `matching` and `evaluating`. */
export const PollPhase = z.enum(['hosts', 'agents', 'devices', 'matching', 'evaluating']);
export type PollPhase = z.infer<typeof PollPhase>;

export const PollProgress = z.object({
  phase: PollPhase,
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
});
export type PollProgress = z.infer<typeof PollProgress>;

export const PollState = z.enum(['idle', 'polling', 'paused', 'backing_off']);
export type PollState = z.infer<typeof PollState>;

/** What a successful poll did, in the numbers the Dashboard and the CLI report. */
export const PollTally = z.object({
  devices: z.number().int().nonnegative(),
  checks: z.number().int().nonnegative(),
  evaluations: z.number().int().nonnegative(),
  /** Rows the posture log opened: results that changed (on a first poll, every evaluation). */
  changes: z.number().int().nonnegative(),
  /** Records the provider sent that could not be tied to any device (unreadable, without a readable id). */
  setAside: z.number().int().nonnegative(),
  /** Records that could not be read but name their device: that device's checks are unknown, with the reason. */
  unreadable: z.number().int().nonnegative(),
});
export type PollTally = z.infer<typeof PollTally>;

/** The scheduler's view of one provider (times are epoch ms). */
export const PollStatus = z.object({
  providerId: z.string(),
  state: PollState,
  lastSuccessAt: z.number().nullable(),
  lastError: z.string().nullable(),
  nextPollAt: z.number().nullable(),
  /** Consecutive failed polls (drives the backoff). */
  failures: z.number().int().nonnegative(),
  progress: PollProgress.optional(),
  requestsUsed: z.number().int().nonnegative().optional(),
  /** What the last successful poll did; absent until one succeeded. */
  lastPoll: PollTally.optional(),
});
export type PollStatus = z.infer<typeof PollStatus>;

/** What one posture poll saw and concluded. */
export const PollSummary = z.object({
  pollId: z.string(),
  providerId: z.string(),
  evaluatedAt: z.number(),
  /** Records the provider returned, and how many of them were evaluated (superseded reinstalls are not). */
  records: z.number().int().nonnegative(),
  devices: z.number().int().nonnegative(),
  checks: z.number().int().nonnegative(),
  counts: ResultCounts,
  unknownBy: z.partialRecord(UnknownReason, z.number().int().nonnegative()),
  /** Records that could not be tied to any device (unreadable, no readable id): no device row. */
  setAside: z.number().int().nonnegative(),
  /** Records that could not be read but name their device (its checks are unknown, with the reason). */
  unreadable: z.number().int().nonnegative(),
  /** Things the admin should know that did not stop the poll, e.g. hosts that vanished mid-pull. */
  warnings: z.array(z.string()),
});
export type PollSummary = z.infer<typeof PollSummary>;

// ---- what-if -----------------------------------------------------------------------------------

export const WhatIfRequest = z.object({
  draft: PostureCheckInput,
  limit: z.number().int().min(1).max(5000).default(500),
});
export type WhatIfRequest = z.infer<typeof WhatIfRequest>;

export const WhatIfFlip = z.object({
  deviceKey: z.string(),
  deviceName: z.string(),
  serial: z.string().nullable(),
  /** null: the check is new, or the saved version did not evaluate this device. */
  before: PostureResult.nullable(),
  after: PostureResult,
  expected: z.string(),
  received: z.string().nullable(),
  reason: z.string(),
});
export type WhatIfFlip = z.infer<typeof WhatIfFlip>;

export const WhatIfResult = z.object({
  providerId: z.string(),
  evaluatedAt: z.number(),
  devices: z.number().int().nonnegative(),
  counts: ResultCounts,
  /** Counts of the saved version on the same inventory; null for a new check. */
  savedCounts: ResultCounts.nullable(),
  /** Devices whose result would change, worst news first (to fail, to unknown, to pass), at most `limit`. */
  flips: z.array(WhatIfFlip),
  flipsTotal: z.number().int().nonnegative(),
});
export type WhatIfResult = z.infer<typeof WhatIfResult>;
