// Provider connections as data. Secrets are write-only: they appear in input schemas, never in output ones.
import { z } from 'zod';
import { FalconRegion, canonicalFalconEndpoint, falconEndpointConflict, falconEndpointConflictMessage, withFalconEndpoint } from './falcon-endpoint';
import { SecretStatus } from './secret';
import { ApiUrl, PollInterval, ProviderName, Secret } from './sources/fields';
import { PostureProviderKind, postureSources, sourceConfigs, sourceInputs, sourceRefinements } from './sources';

/** Every connection kind: the posture sources (sources/index.ts), then the Falcon incidents connection. */
export const ProviderKind = z.enum([...PostureProviderKind.options, 'crowdstrike-falcon-incidents']);
export type ProviderKind = z.infer<typeof ProviderKind>;

export const providerKindLabels: Record<ProviderKind, string> = {
  ...Object.fromEntries(Object.values(postureSources).map((s) => [s.kind, s.label])),
  'crowdstrike-falcon-incidents': 'CrowdStrike Falcon detections → incidents',
} as Record<ProviderKind, string>;

/** The kinds that talk to Falcon and share its region logic. */
export type FalconKind = 'crowdstrike-zta' | 'crowdstrike-falcon-incidents';
export const isFalconKind = (kind: ProviderKind): kind is FalconKind => kind === 'crowdstrike-zta' || kind === 'crowdstrike-falcon-incidents';

/** The vault holds one secret per connection; its input field and words, by kind. */
export const secretFieldOf: Record<ProviderKind, { field: 'clientSecret' | 'apiToken' | 'secret'; label: string }> = {
  ...Object.fromEntries(Object.values(postureSources).map((s) => [s.kind, s.secret])),
  'crowdstrike-falcon-incidents': { field: 'clientSecret', label: 'client secret' },
} as Record<ProviderKind, { field: 'clientSecret' | 'apiToken' | 'secret'; label: string }>;

export { FalconRegion, falconRegionHosts } from './falcon-endpoint';
export { PollInterval, pollIntervalMs, checkApiUrl, ApiUrl, ProviderName } from './sources/fields';

export const FalconClientId = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{32}$/, 'Client ID is 32 hexadecimal characters; copy it from Falcon > Support and resources > API clients and keys.')
  .transform((v) => v.toLowerCase());

export const FalconCustomerId = z
  .string()
  .trim()
  .regex(
    /^[0-9a-fA-F]{32}(-[0-9a-fA-F]{2})?$/,
    'Customer ID is 32 hexadecimal characters, optionally followed by -XX; copy it from Host setup and management > Sensor downloads.',
  )
  .transform((v) => v.toUpperCase());

const falconRegionFields = {
  region: FalconRegion,
  baseUrl: ApiUrl.optional(),
};

type EndpointFields = { region: FalconRegion; baseUrl?: string | undefined };

function requireBaseUrlForCustom(v: EndpointFields, ctx: z.RefinementCtx) {
  if (v.region === 'custom' && !v.baseUrl) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'A custom region needs its base URL.' });
}

/** Input names one endpoint: a named cloud with someone else's base URL is refused (falcon-endpoint.ts). */
function refuseRegionWithBaseUrl(v: EndpointFields, ctx: z.RefinementCtx) {
  const conflict = falconEndpointConflict(v);
  if (conflict) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: falconEndpointConflictMessage(conflict) });
}

/** Stored and accepted configs carry the canonical endpoint (a base URL only with custom). */
function canonical<T extends { kind: ProviderKind } & Partial<EndpointFields>>(v: T): T {
  if (!isFalconKind(v.kind) || !v.region || (v.region === 'custom' && !v.baseUrl)) return v;
  const fields = v as T & EndpointFields;
  return withFalconEndpoint(fields, canonicalFalconEndpoint(fields));
}

const CrowdStrikeZtaFields = z.object({
  kind: z.literal('crowdstrike-zta'),
  name: ProviderName,
  clientId: FalconClientId,
  customerId: FalconCustomerId,
  pollInterval: PollInterval.default('1h'),
  ...falconRegionFields,
});

const FalconIncidentsFields = z.object({
  kind: z.literal('crowdstrike-falcon-incidents'),
  name: ProviderName,
  clientId: FalconClientId,
  pollInterval: PollInterval.default('5m'),
  hostEnrichment: z.boolean().default(true),
  iocPushOnResolve: z.boolean().default(false),
  ...falconRegionFields,
});

/** Stored configuration (no secrets). */
export const ProviderConfig = z
  .discriminatedUnion('kind', [CrowdStrikeZtaFields.extend({ id: z.string() }), FalconIncidentsFields.extend({ id: z.string() }), ...sourceConfigs])
  .superRefine((v, ctx) => {
    if (isFalconKind(v.kind)) requireBaseUrlForCustom(v as EndpointFields, ctx);
    else sourceRefinements[v.kind as PostureProviderKind]?.(v as never, ctx);
  })
  // Settings written before the endpoint rule may hold a named region and a base URL: read as custom.
  .transform(canonical);
export type ProviderConfig = z.infer<typeof ProviderConfig>;

/** Input for create/update. Secrets are optional on update: omitted means keep the stored one. */
export const ProviderInput = z
  .discriminatedUnion('kind', [
    CrowdStrikeZtaFields.extend({ id: z.string().optional(), clientSecret: Secret('client secret').optional() }),
    ...sourceInputs,
    FalconIncidentsFields.extend({ id: z.string().optional(), clientSecret: Secret('client secret').optional() }),
  ])
  .superRefine((v, ctx) => {
    if (!isFalconKind(v.kind)) return sourceRefinements[v.kind as PostureProviderKind]?.(v as never, ctx);
    requireBaseUrlForCustom(v as EndpointFields, ctx);
    refuseRegionWithBaseUrl(v as EndpointFields, ctx);
  })
  .transform(canonical);
export type ProviderInput = z.infer<typeof ProviderInput>;

export const StepStatus = z.enum(['running', 'pass', 'warn', 'fail', 'skip']);
export type StepStatus = z.infer<typeof StepStatus>;

/** One layer of the one-click Test: what was observed, and when it failed, the cause and the fix. */
export const TestStep = z.object({
  id: z.string(),
  title: z.string(),
  status: StepStatus,
  observed: z.string(),
  cause: z.string().optional(),
  fix: z.string().optional(),
  /** Diagnosis code of a failing or warning step, e.g. 'falcon.scope_missing' (stable, for tests and support). */
  code: z.string().optional(),
  durationMs: z.number().optional(),
});
export type TestStep = z.infer<typeof TestStep>;

export const TestReport = z.object({
  providerId: z.string(),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  ok: z.boolean(),
  steps: z.array(TestStep),
});
export type TestReport = z.infer<typeof TestReport>;

export const ProviderHealth = z.object({
  lastTestAt: z.string().nullable(),
  lastTestOk: z.boolean().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type ProviderHealth = z.infer<typeof ProviderHealth>;

/**
 * A provider's health in one word, from its last test and its last poll together (see provider-status.ts):
 * the latest contact failed, succeeded, never happened, or succeeded on a posture provider that evaluates nothing.
 */
export const ProviderHealthState = z.enum(['healthy', 'failing', 'not_contacted', 'no_checks']);
export type ProviderHealthState = z.infer<typeof ProviderHealthState>;

export const ProviderStatus = z.object({
  state: ProviderHealthState,
  /** Why, in a sentence: the failure, or what to do next. */
  detail: z.string(),
});
export type ProviderStatus = z.infer<typeof ProviderStatus>;

export const ProviderView = z.object({
  config: ProviderConfig,
  secret: SecretStatus,
  health: ProviderHealth,
  status: ProviderStatus,
});
export type ProviderView = z.infer<typeof ProviderView>;

export const ProviderId = z.object({ id: z.string().min(1, 'Provider id is required.') });

export const TestProgress = z.object({ providerId: z.string(), runId: z.string(), step: TestStep });
export type TestProgress = z.infer<typeof TestProgress>;
