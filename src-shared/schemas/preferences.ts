// Settings beyond the look of the UI: retention, notifications, keyring policy, and the
// configuration file an admin can move between machines (never with secrets).
import { z } from 'zod';
import { EnrichmentMapping } from './incidents';
import { PostureCheck } from './posture';
import { PollInterval, ProviderConfig } from './providers';
import { RuleSet } from './rules';

export const NotificationSwitches = z.object({
  pollFailures: z.boolean(),
  expiringCredentials: z.boolean(),
  p1Incidents: z.boolean(),
});

export const Preferences = z.object({
  retentionDays: z
    .number({ error: 'Retention is a number of days.' })
    .int('Retention is a whole number of days.')
    .min(1, 'Keep the log for at least 1 day.')
    .max(3650, 'Retention is limited to 3650 days (10 years).'),
  notifications: NotificationSwitches,
  /** Polling frequency a new posture provider starts with (detections keep their 5-minute default). */
  defaultPollInterval: PollInterval,
  /** Linux without a keyring: store secrets anyway (obfuscated, not protected). */
  allowUnprotectedSecrets: z.boolean(),
});
export type Preferences = z.infer<typeof Preferences>;

export const PreferencesPatch = Preferences.partial().strict();
export type PreferencesPatch = z.infer<typeof PreferencesPatch>;

/** The exported configuration. Secrets are never part of it; they must be re-entered after import. */
export const ConfigDocument = z.object({
  format: z.literal('posture-console-config', { error: 'This is not a Posture Console configuration file.' }),
  version: z.literal(1, { error: 'This configuration file is from an unsupported version.' }),
  exportedAt: z.string(),
  providers: z.array(ProviderConfig),
  checks: z.array(PostureCheck),
  ruleSet: RuleSet.nullable(),
  enrichmentMapping: EnrichmentMapping.nullable(),
  retentionDays: Preferences.shape.retentionDays,
});
export type ConfigDocument = z.infer<typeof ConfigDocument>;

export const ConfigImportResult = z.object({
  providers: z.number().int(),
  checks: z.number().int(),
  rules: z.number().int(),
  /** Providers whose secret must be entered before they can work. */
  needSecrets: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type ConfigImportResult = z.infer<typeof ConfigImportResult>;
