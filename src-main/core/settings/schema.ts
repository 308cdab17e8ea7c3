// Everything the app persists outside the vault and the database: preferences and configuration.
import { z } from 'zod';
import { UiSettings } from '../../../src-shared/schemas/app';
import { PostureCheck } from '../../../src-shared/schemas/posture';
import { RuleSet } from '../../../src-shared/schemas/rules';
import { PollInterval, ProviderConfig, ProviderHealth } from '../../../src-shared/schemas/providers';
import { SinkConfig } from '../../../src-shared/schemas/sinks';

export const Settings = z.object({
  ui: UiSettings.default({ theme: 'system', density: 'compact' }),
  /** Linux without a keyring: the admin may explicitly accept secrets stored unprotected. */
  allowUnprotectedSecrets: z.boolean().default(false),
  providers: z.array(ProviderConfig).default([]),
  providerHealth: z.record(z.string(), ProviderHealth).default({}),
  postureChecks: z.array(PostureCheck).default([]),
  /** Posture-log retention, enforced in small batches once a day. */
  retentionDays: z.number().int().min(1).max(3650).default(30),
  defaultPollInterval: PollInterval.default('1h'),
  notifications: z
    .object({ pollFailures: z.boolean(), expiringCredentials: z.boolean(), p1Incidents: z.boolean() })
    .default({ pollFailures: true, expiringCredentials: true, p1Incidents: true }),
  /** null until the admin saves one: the StackFlow defaults apply. */
  ruleSet: RuleSet.nullable().default(null),
  /** Forwarding sinks (syslog, Splunk HEC, OTLP); their tokens live in the vault. */
  sinks: z.array(SinkConfig).default([]),
});
export type Settings = z.infer<typeof Settings>;

export const defaultSettings: Settings = Settings.parse({});
