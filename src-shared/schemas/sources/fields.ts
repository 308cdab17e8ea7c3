// Field types every source's connection and every source's checks are built from (names, polling, URLs,
// secrets, rule operators and values). Kept apart so a source's schema file never imports the registry.
import { z } from 'zod';

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

/** Loopback: the simulator or a local proxy may speak plain http. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.startsWith('127.');
}

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
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return null;
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

export const Secret = (what: string) => z.string().trim().min(1, `Enter the ${what}.`).max(4096, `The ${what} is too long (4096 characters at most).`);

export const ProviderName = z.string().trim().min(1, 'Enter a name for this connection.').max(64, 'Keep the name to 64 characters.');

// ---- rule values -------------------------------------------------------------------------------

export const CompareOperator = z.enum(['<', '<=', '>', '>=', '=='], {
  error: 'Operator must be one of <, <=, >, >=, ==.',
});
export type CompareOperator = z.infer<typeof CompareOperator>;

export const VersionOperator = z.enum(['==', '!=', '>=', '<='], {
  error: 'Version operator must be one of ==, !=, >=, <=.',
});
export type VersionOperator = z.infer<typeof VersionOperator>;

export const DottedVersion = z
  .string({ error: 'Enter a version such as 2.1.0.' })
  .trim()
  .regex(/^\d{1,9}(\.\d{1,9}){0,3}$/, 'Version must be numbers separated by dots, such as 2.1.0.');

/** "Seen within" buckets of the Cloudflare ZTA page; `>30d` accepts any device whose last-seen time is known. */
export const LastSeenBucket = z.enum(['1h', '3h', '6h', '12h', '24h', '7d', '30d', '>30d'], {
  error: 'Last seen must be one of 1h, 3h, 6h, 12h, 24h, 7d, 30d, >30d.',
});
export type LastSeenBucket = z.infer<typeof LastSeenBucket>;

/** A set of accepted values: at least one, duplicates dropped, kept in the enum's own order so texts are stable. */
export function acceptedSet<T extends string>(values: z.ZodEnum<{ [K in T]: K }>, what: string) {
  return z
    .array(values, { error: `Choose the accepted ${what} values.` })
    .min(1, `Choose at least one accepted ${what}.`)
    .transform((chosen) => values.options.filter((v) => chosen.includes(v)));
}

export const booleanExpected = (what: string) => z.boolean({ error: `Choose whether the device must ${what}.` });

/** A record of this device the provider sent but the console could not read: the checks it feeds are unknown. */
export const unreadableNote = <K extends string>(records: z.ZodEnum<{ [P in K]: P }>) =>
  z.object({
    record: records,
    /** "Falcon sent an unreadable host record: field serial_number: expected string, received number" */
    reason: z.string(),
  });
