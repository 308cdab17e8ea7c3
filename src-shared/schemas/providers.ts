// Provider connections as data. Secrets are write-only: they appear in input schemas, never in output ones.
import { z } from 'zod';
import { FalconRegion, canonicalFalconEndpoint, falconEndpointConflict, falconEndpointConflictMessage, withFalconEndpoint } from './falcon-endpoint';
import { SecretStatus } from './secret';

export const ProviderKind = z.enum(['crowdstrike-zta', 'sentinelone', 'crowdstrike-falcon-incidents']);
export type ProviderKind = z.infer<typeof ProviderKind>;

export const providerKindLabels: Record<ProviderKind, string> = {
  'crowdstrike-zta': 'CrowdStrike Falcon ZTA (device posture)',
  sentinelone: 'SentinelOne (device posture)',
  'crowdstrike-falcon-incidents': 'CrowdStrike Falcon detections → incidents',
};

export { FalconRegion, falconRegionHosts } from './falcon-endpoint';

export const PollInterval = z.enum(['5m', '10m', '15m', '30m', '1h', '3h', '6h', '12h', '24h'], {
  error: 'Polling frequency must be one of 5m, 10m, 15m, 30m, 1h, 3h, 6h, 12h, 24h.',
});
export type PollInterval = z.infer<typeof PollInterval>;

export const pollIntervalMs: Record<PollInterval, number> = {
  '5m': 5 * 60_000,
  '10m': 10 * 60_000,
  '15m': 15 * 60_000,
  '30m': 30 * 60_000,
  '1h': 3_600_000,
  '3h': 3 * 3_600_000,
  '6h': 6 * 3_600_000,
  '12h': 12 * 3_600_000,
  '24h': 24 * 3_600_000,
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** https everywhere; plain http only to loopback (the simulator, a local proxy). */
export function checkApiUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full URL such as https://api.crowdstrike.com.';
  }
  if (url.username || url.password) return 'Remove the user name and password from the URL.';
  if (url.search || url.hash) return 'Remove the query string and fragment from the URL.';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.'))) return null;
  return 'Use an https:// URL (plain http is allowed only to 127.0.0.1 or localhost).';
}

export const ApiUrl = z
  .string()
  .trim()
  .min(1, 'Enter the API URL.')
  .superRefine((v, ctx) => {
    const problem = checkApiUrl(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((v) => v.replace(/\/+$/, ''));

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

const Secret = (what: string) => z.string().trim().min(1, `Enter the ${what}.`).max(4096, `The ${what} is too long (4096 characters at most).`);

export const ProviderName = z.string().trim().min(1, 'Enter a name for this connection.').max(64, 'Keep the name to 64 characters.');

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
  if (v.kind === 'sentinelone' || !v.region || (v.region === 'custom' && !v.baseUrl)) return v;
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

const SentinelOneFields = z.object({
  kind: z.literal('sentinelone'),
  name: ProviderName,
  apiUrl: ApiUrl,
  pollInterval: PollInterval.default('1h'),
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
  .discriminatedUnion('kind', [
    CrowdStrikeZtaFields.extend({ id: z.string() }),
    SentinelOneFields.extend({ id: z.string() }),
    FalconIncidentsFields.extend({ id: z.string() }),
  ])
  .superRefine((v, ctx) => {
    if (v.kind !== 'sentinelone') requireBaseUrlForCustom(v, ctx);
  })
  // Settings written before the endpoint rule may hold a named region and a base URL: read as custom.
  .transform(canonical);
export type ProviderConfig = z.infer<typeof ProviderConfig>;

/** Input for create/update. Secrets are optional on update: omitted means keep the stored one. */
export const ProviderInput = z
  .discriminatedUnion('kind', [
    CrowdStrikeZtaFields.extend({ id: z.string().optional(), clientSecret: Secret('client secret').optional() }),
    SentinelOneFields.extend({ id: z.string().optional(), apiToken: Secret('API token').optional() }),
    FalconIncidentsFields.extend({ id: z.string().optional(), clientSecret: Secret('client secret').optional() }),
  ])
  .superRefine((v, ctx) => {
    if (v.kind === 'sentinelone') return;
    requireBaseUrlForCustom(v, ctx);
    refuseRegionWithBaseUrl(v, ctx);
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
