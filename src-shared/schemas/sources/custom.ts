// Your own HTTPS endpoint as a posture source (shared/reference/custom-posture-source.md §2): its connection (URL,
// authentication, batch size, timeout), the score and attributes it answers per device, and the rules checks take.
import { z } from 'zod';
import { keyedRule, numberRule, type AttributeSpec } from './attributes';
import { PollInterval, ProviderName, Secret, isLoopbackHost, unreadableNote } from './fields';

export const kind = 'custom' as const;

export const CustomAuthMode = z.enum(['bearer', 'cloudflareAccess', 'none'], {
  error: 'Authentication must be bearer, cloudflareAccess or none.',
});
export type CustomAuthMode = z.infer<typeof CustomAuthMode>;

export const CustomRecord = z.enum(['score']);

/** https://…; http only to loopback; no credentials, query or fragment in the URL (§2.1). */
export const CustomUrl = z
  .string()
  .trim()
  .min(1, 'Enter the URL of your posture endpoint.')
  .superRefine((v, ctx) => {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Enter a full URL such as https://posture.example.com/posture.' });
      return;
    }
    if (url.username || url.password)
      ctx.addIssue({ code: 'custom', message: 'Remove the user name and password from the URL: tokens go in the secret field.' });
    else if (url.search || url.hash) ctx.addIssue({ code: 'custom', message: 'Remove the query string and fragment from the URL.' });
    else if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname)))
      ctx.addIssue({ code: 'custom', message: 'Use an https:// URL (plain http is allowed only to 127.0.0.1 or localhost).' });
  });

const BATCH_MESSAGE = 'Batch size must be a whole number from 1 to 1000.';
const TIMEOUT_MESSAGE = 'Timeout must be a whole number of milliseconds from 1000 to 120000.';

const CustomFieldsBase = z.object({
  kind: z.literal(kind),
  name: ProviderName,
  url: CustomUrl,
  auth: CustomAuthMode.default('bearer'),
  /** The Cloudflare Access service token's client ID (its secret goes to the vault). */
  accessClientId: z.string().trim().max(256, 'Keep the client ID to 256 characters.').optional(),
  batchSize: z.number({ error: BATCH_MESSAGE }).int(BATCH_MESSAGE).min(1, BATCH_MESSAGE).max(1000, BATCH_MESSAGE).default(500),
  timeoutMs: z.number({ error: TIMEOUT_MESSAGE }).int(TIMEOUT_MESSAGE).min(1000, TIMEOUT_MESSAGE).max(120_000, TIMEOUT_MESSAGE).default(15_000),
  /** Devices the endpoint leaves out are unscored: fail the score check (true, the contract's default) or unknown. */
  failClosed: z.boolean().default(true),
  pollInterval: PollInterval.default('1h'),
});
export const CustomFields = CustomFieldsBase;

/** Cross-field rules: Access needs its client ID; `none` only on loopback. */
export function refineCustom(v: { url: string; auth: CustomAuthMode; accessClientId?: string | undefined }, ctx: z.RefinementCtx): void {
  if (v.auth === 'cloudflareAccess' && !v.accessClientId)
    ctx.addIssue({ code: 'custom', path: ['accessClientId'], message: 'Enter the service token’s Client ID (Zero Trust > Access > Service auth).' });
  let loopback: boolean;
  try {
    loopback = isLoopbackHost(new URL(v.url).hostname);
  } catch {
    return;
  }
  if (v.auth === 'none' && !loopback)
    ctx.addIssue({ code: 'custom', path: ['auth'], message: 'No authentication is allowed only for a loopback endpoint; choose bearer or Cloudflare Access.' });
}

export const config = CustomFieldsBase.extend({ id: z.string() });
export const input = CustomFieldsBase.extend({ id: z.string().optional(), secret: Secret('token').optional() });

export const rules = [numberRule('score', 0, 100, 'Score'), keyedRule('custom_attribute')] as const;

export const attributes = {
  score: { shape: 'number', label: 'Score (custom)', field: 'score', min: 0, max: 100, defaultOperator: '>=', defaultValue: 60, closedField: 'failClosed' },
  custom_attribute: { shape: 'keyed', label: 'Attribute (custom)', field: 'attributes', placeholder: 'encrypted' },
} as const satisfies Record<string, AttributeSpec>;

export const CustomPosture = z.object({
  kind: z.literal(kind),
  /** null: the endpoint left the device out (unscored), its entry was invalid, or the last score went stale. */
  score: z.number().nullable(),
  /** Why there is no score, in words (unscored, invalid entry, stale). */
  noScore: z.string().nullable(),
  /** The source's setting: a device without a score fails the score check instead of being unknown. */
  failClosed: z.boolean(),
  externalId: z.string().nullable(),
  reason: z.string().nullable(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  unreadable: z.array(unreadableNote(CustomRecord)).optional(),
});
export type CustomPosture = z.infer<typeof CustomPosture>;

export const customSource = {
  kind,
  label: 'Custom HTTPS endpoint (device posture)',
  short: 'Custom endpoint',
  recordNoun: 'custom endpoint score',
  secret: { field: 'secret', label: 'Token' },
  attributes,
} as const;
