// SentinelOne as a posture source: its connection (console URL and API token), the posture of an agent and
// the rules its checks take.
import { z } from 'zod';
import { ApiUrl, CompareOperator, PollInterval, ProviderName, Secret, acceptedSet, booleanExpected, unreadableNote } from './fields';

export const kind = 'sentinelone' as const;

export const S1NetworkStatus = z.enum(['connected', 'disconnected', 'connecting', 'disconnecting'], {
  error: 'Network status must be connected, disconnected, connecting or disconnecting.',
});
export type S1NetworkStatus = z.infer<typeof S1NetworkStatus>;

export const S1OperationalState = z.enum(
  ['na', 'partially_disabled', 'auto_partially_disabled', 'fully_disabled', 'auto_fully_disabled', 'disabled_error', 'db_corruption'],
  {
    error:
      'Operational state must be one of na, partially_disabled, auto_partially_disabled, fully_disabled, auto_fully_disabled, disabled_error, db_corruption.',
  },
);
export type S1OperationalState = z.infer<typeof S1OperationalState>;

const THREATS_MESSAGE = 'Threat count must be a whole number from 0 to 10000.';
export const ThreatCount = z.number({ error: THREATS_MESSAGE }).int(THREATS_MESSAGE).min(0, THREATS_MESSAGE).max(10_000, THREATS_MESSAGE);

export const S1Record = z.enum(['agent']);

/** Connection fields as the form and the CLI enter them (the token is added by the input schema). */
export const SentinelOneFields = z.object({
  kind: z.literal(kind),
  name: ProviderName,
  apiUrl: ApiUrl,
  pollInterval: PollInterval.default('1h'),
});

export const config = SentinelOneFields.extend({ id: z.string() });
export const input = SentinelOneFields.extend({ id: z.string().optional(), apiToken: Secret('API token').optional() });

export const rules = [
  z.object({ attribute: z.literal('infected'), expected: booleanExpected('be infected (true) or not (false)') }),
  z.object({ attribute: z.literal('active_threats'), operator: CompareOperator, value: ThreatCount }),
  z.object({ attribute: z.literal('is_active'), expected: booleanExpected('have an active agent (true) or not (false)') }),
  z.object({ attribute: z.literal('network_status'), accepted: acceptedSet(S1NetworkStatus, 'network status') }),
  z.object({ attribute: z.literal('operational_state'), accepted: acceptedSet(S1OperationalState, 'operational state') }),
] as const;

export const attributes = {
  infected: { label: 'Infected' },
  active_threats: { label: 'Active threats' },
  is_active: { label: 'Is active' },
  network_status: { label: 'Network status' },
  operational_state: { label: 'Operational state' },
} as const;

export const S1Posture = z.object({
  kind: z.literal(kind),
  infected: z.boolean().nullable(),
  activeThreats: z.number().nullable(),
  isActive: z.boolean().nullable(),
  /** Kept as reported: a value outside the known enum is shown, and fails an accepted-set rule. */
  networkStatus: z.string().nullable(),
  operationalState: z.string().nullable(),
  unreadable: z.array(unreadableNote(S1Record)).optional(),
});
export type S1Posture = z.infer<typeof S1Posture>;

export const sentinelOneSource = {
  kind,
  label: 'SentinelOne (device posture)',
  short: 'SentinelOne',
  recordNoun: 'SentinelOne agent',
  secret: { field: 'apiToken', label: 'API token' },
  attributes,
} as const;
