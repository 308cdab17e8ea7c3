// Forwarding sinks as data: where events go (syslog, Splunk HEC, OTLP/HTTP), which ones, and how the outbox is doing.
// Tokens are write-only, as provider secrets are: they appear in input schemas, never in output ones.
import { z } from 'zod';
import { ForwardEventKind } from './forward';
import { SecretStatus } from './secret';
import { TestStep } from './providers';

export const SinkKind = z.enum(['syslog', 'splunk-hec', 'otlp-http']);
export type SinkKind = z.infer<typeof SinkKind>;

export const sinkKindLabels: Record<SinkKind, string> = {
  syslog: 'Syslog (RFC 5424 over TLS or TCP)',
  'splunk-hec': 'Splunk HTTP Event Collector',
  'otlp-http': 'OpenTelemetry logs (OTLP/HTTP JSON)',
};

export const forwardEventKindLabels: Record<ForwardEventKind, string> = {
  'posture.change': 'Posture changes',
  'incident.created': 'New incidents',
  'incident.state': 'Incident state changes',
  'user.risk': 'User-risk changes',
  audit: 'Audit entries',
};

export const SinkName = z.string().trim().min(1, 'Enter a name for this sink.').max(64, 'Keep the name to 64 characters.');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** https everywhere; plain http only to loopback (a local collector, the tests). */
export function checkSinkUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full URL such as https://splunk.example.com:8088/services/collector/event.';
  }
  if (url.username || url.password) return 'Remove the user name and password from the URL.';
  if (url.hash) return 'Remove the fragment (#…) from the URL.';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.'))) return null;
  return 'Use an https:// URL (plain http is allowed only to 127.0.0.1 or localhost).';
}

const SinkUrl = z
  .string()
  .trim()
  .min(1, 'Enter the URL.')
  .superRefine((v, ctx) => {
    const problem = checkSinkUrl(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const Token = (what: string) => z.string().trim().min(1, `Enter the ${what}.`).max(4096, `The ${what} is too long (4096 characters at most).`);

export const SyslogFacility = z.enum(['user', 'daemon', 'auth', 'authpriv', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7']);
export type SyslogFacility = z.infer<typeof SyslogFacility>;
/** RFC 5424 §6.2.1 facility numbers. */
export const syslogFacilityCodes: Record<SyslogFacility, number> = {
  user: 1,
  daemon: 3,
  auth: 4,
  authpriv: 10,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

const PemCertificate = z
  .string()
  .trim()
  .max(65_536, 'The CA certificate is too long (64 KiB of PEM at most).')
  .refine((v) => /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(v), {
    message: 'Paste the CA certificate in PEM form (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).',
  });

/** A host name or IP literal, no scheme, no port. */
const SyslogHost = z
  .string()
  .trim()
  .min(1, 'Enter the syslog receiver host name or IP address.')
  .max(253, 'The host name is too long.')
  .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'Enter only the host name or IP address (no scheme, path or port), e.g. siem.example.com.');

/** RFC 5424 APP-NAME: 1–48 printable US-ASCII characters, no spaces. */
const AppName = z
  .string()
  .trim()
  .regex(/^[\x21-\x7e]{1,48}$/, 'The app name is 1 to 48 printable characters without spaces (RFC 5424 APP-NAME).');

const GUID = z
  .string()
  .trim()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    'The channel is a GUID such as 0aeeac95-ac74-4aa9-b30d-6c4c0ac581ba.',
  );

const HeaderName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'A header name is letters, digits and - only.');
/** Extra OTLP headers are not secret (they appear in the configuration); credentials go in the token. */
const OtlpHeaders = z.record(HeaderName, z.string().max(1024, 'Keep header values to 1024 characters.')).superRefine((headers, ctx) => {
  for (const name of Object.keys(headers)) {
    if (/^(authorization|proxy-authorization|cookie)$/i.test(name) || /api[-_]?key|token|secret/i.test(name))
      ctx.addIssue({ code: 'custom', path: [name], message: `${name} looks like a credential: put it in the token field, which is kept in the vault.` });
  }
});

/** What flows and how: shared by every sink kind. */
const deliveryFields = {
  name: SinkName,
  enabled: z.boolean().default(true),
  events: z
    .array(ForwardEventKind)
    .min(1, 'Choose at least one kind of event to forward.')
    .default(['posture.change', 'incident.created', 'incident.state', 'user.risk', 'audit']),
  batchSize: z.number().int().min(1, 'A batch holds at least 1 event.').max(5000, 'A batch holds at most 5000 events.').default(100),
  /** Outbox cap: beyond this many undelivered events the oldest are dropped (and counted). */
  maxPendingEvents: z.number().int().min(100, 'Keep at least 100 events pending.').max(10_000_000, 'At most 10,000,000 pending events.').default(1_000_000),
};

const SyslogFields = z.object({
  kind: z.literal('syslog'),
  ...deliveryFields,
  host: SyslogHost,
  port: z.number().int().min(1, 'Ports run from 1 to 65535.').max(65535, 'Ports run from 1 to 65535.').default(6514),
  transport: z.enum(['tls', 'tcp']).default('tls'),
  /** Trust this CA (PEM) instead of the system store, for a private PKI. Verification stays on. */
  caCertificate: PemCertificate.optional(),
  /** The name the receiver's certificate must carry, when it differs from `host` (connecting by IP). */
  serverName: z.string().trim().min(1).max(253).optional(),
  appName: AppName.default('posture-console'),
  facility: SyslogFacility.default('local0'),
});

const HecFields = z.object({
  kind: z.literal('splunk-hec'),
  ...deliveryFields,
  /** The collector base or its /services/collector/event endpoint. */
  url: SinkUrl,
  index: z.string().trim().min(1).max(256).optional(),
  source: z.string().trim().min(1).max(256).optional(),
  sourcetype: z.string().trim().min(1).max(256).optional(),
  /** Wait for indexer acknowledgement: a 200 alone means received, not indexed. Needs a channel. */
  useAck: z.boolean().default(false),
  channel: GUID.optional(),
});

const OtlpFields = z.object({
  kind: z.literal('otlp-http'),
  ...deliveryFields,
  /** The logs endpoint, e.g. https://collector.example.com:4318/v1/logs. */
  url: SinkUrl,
  headers: OtlpHeaders.optional(),
  serviceName: z.string().trim().min(1).max(128).default('posture-console'),
});

function hecNeedsChannelForAck(v: { kind: SinkKind; useAck?: boolean; channel?: string }, ctx: z.RefinementCtx) {
  if (v.kind === 'splunk-hec' && v.useAck && !v.channel)
    ctx.addIssue({ code: 'custom', path: ['channel'], message: 'Indexer acknowledgement needs a channel GUID (any GUID you choose; keep it stable).' });
}

/** Stored configuration (no secrets). */
export const SinkConfig = z
  .discriminatedUnion('kind', [SyslogFields.extend({ id: z.string() }), HecFields.extend({ id: z.string() }), OtlpFields.extend({ id: z.string() })])
  .superRefine(hecNeedsChannelForAck);
export type SinkConfig = z.infer<typeof SinkConfig>;
export type SyslogSinkConfig = Extract<SinkConfig, { kind: 'syslog' }>;
export type HecSinkConfig = Extract<SinkConfig, { kind: 'splunk-hec' }>;
export type OtlpSinkConfig = Extract<SinkConfig, { kind: 'otlp-http' }>;

/** Input for create/update. The token is optional on update: omitted means keep the stored one. */
export const SinkInput = z
  .discriminatedUnion('kind', [
    SyslogFields.extend({ id: z.string().optional() }),
    HecFields.extend({ id: z.string().optional(), token: Token('HEC token').optional() }),
    OtlpFields.extend({ id: z.string().optional(), token: Token('bearer token').optional() }),
  ])
  .superRefine(hecNeedsChannelForAck);
export type SinkInput = z.infer<typeof SinkInput>;

/** Which kinds carry a token in the vault (syslog authenticates by TLS, not a token). */
export const sinkKindTakesToken: Record<SinkKind, 'required' | 'optional' | 'none'> = { syslog: 'none', 'splunk-hec': 'required', 'otlp-http': 'optional' };

export const SinkError = z.object({ code: z.string(), message: z.string(), fix: z.string() });
export type SinkError = z.infer<typeof SinkError>;

/** How one sink's outbox is doing: what the Sinks screen and `sinks status` show. */
export const SinkStatus = z.object({
  sinkId: z.string(),
  /** Events waiting for this sink (behind its cursor, not dead-lettered). */
  pending: z.number().int(),
  /** ISO time of the oldest pending event; null when caught up. */
  oldestPendingAt: z.string().nullable(),
  delivered: z.number().int(),
  /** Dropped by the cap, oldest first, since the sink was added. */
  dropped: z.number().int(),
  deadLetters: z.number().int(),
  /** Events delivered per minute over the last few minutes. */
  ratePerMinute: z.number(),
  lastDeliveredAt: z.string().nullable(),
  lastError: SinkError.extend({ at: z.string() }).nullable(),
  /** When the next attempt is due after a failure; null when not backing off. */
  retryAt: z.string().nullable(),
  attempts: z.number().int(),
});
export type SinkStatus = z.infer<typeof SinkStatus>;

export const SinkView = z.object({ config: SinkConfig, token: SecretStatus.nullable(), status: SinkStatus });
export type SinkView = z.infer<typeof SinkView>;

export const DeadLetter = z.object({
  sinkId: z.string(),
  eventId: z.string(),
  kind: ForwardEventKind,
  time: z.string(),
  summary: z.string(),
  reason: z.string(),
  deadAt: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;

export const SinkTestReport = z.object({
  sinkId: z.string().nullable(),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  ok: z.boolean(),
  steps: z.array(TestStep),
});
export type SinkTestReport = z.infer<typeof SinkTestReport>;

export const SinkTestProgress = z.object({ sinkId: z.string().nullable(), runId: z.string(), step: TestStep });
export type SinkTestProgress = z.infer<typeof SinkTestProgress>;
