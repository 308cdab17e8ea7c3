// CrowdStrike Falcon ZTA as a posture source: the posture of a host and the rules its checks take. Its connection
// fields live in ../providers.ts, shared with the Falcon incidents connection (one region logic for both).
import { z } from 'zod';
import { CompareOperator, DottedVersion, LastSeenBucket, VersionOperator, acceptedSet, unreadableNote } from './fields';

export const kind = 'crowdstrike-zta' as const;

const SCORE_MESSAGE = 'Score must be a whole number from 1 to 100.';
export const ZtaScore = z.number({ error: SCORE_MESSAGE }).int(SCORE_MESSAGE).min(1, SCORE_MESSAGE).max(100, SCORE_MESSAGE);

export const OnlineState = z.enum(['online', 'offline', 'unknown'], {
  error: 'State must be online, offline or unknown.',
});
export type OnlineState = z.infer<typeof OnlineState>;

export const ZtaRecord = z.enum(['host', 'assessment', 'online_state']);

const scoreRule = <A extends 'overall' | 'os' | 'sensor_config'>(attribute: A) =>
  z.object({ attribute: z.literal(attribute), operator: CompareOperator, value: ZtaScore });

export const rules = [
  scoreRule('overall'),
  scoreRule('os'),
  scoreRule('sensor_config'),
  z.object({ attribute: z.literal('version'), operator: VersionOperator, value: DottedVersion }),
  z.object({ attribute: z.literal('state'), accepted: acceptedSet(OnlineState, 'state') }),
  z.object({ attribute: z.literal('last_seen'), within: LastSeenBucket }),
] as const;

export const attributes = {
  overall: { label: 'Overall score' },
  os: { label: 'OS score' },
  sensor_config: { label: 'Sensor config score' },
  version: { label: 'ZTA score version' },
  state: { label: 'State' },
  last_seen: { label: 'Last seen' },
} as const;

export const ZtaPosture = z.object({
  kind: z.literal(kind),
  /** null: Falcon has no Zero Trust Assessment for this host yet. */
  assessment: z
    .object({
      overall: z.number().nullable(),
      os: z.number().nullable(),
      sensorConfig: z.number().nullable(),
      version: z.string().nullable(),
    })
    .nullable(),
  /** Kept as reported: a value other than online, offline or unknown is shown, and fails an accepted-set rule. */
  state: z.string().nullable(),
  /** Epoch ms, from the online-state record, else the host record. */
  lastSeenAt: z.number().nullable(),
  unreadable: z.array(unreadableNote(ZtaRecord)).optional(),
});
export type ZtaPosture = z.infer<typeof ZtaPosture>;

export const crowdStrikeZtaSource = {
  kind,
  label: 'CrowdStrike Falcon ZTA (device posture)',
  short: 'CrowdStrike ZTA',
  recordNoun: 'CrowdStrike host',
  secret: { field: 'clientSecret', label: 'client secret' },
  attributes,
} as const;
