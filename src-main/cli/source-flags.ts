// `providers add` flags of each posture source, named after its fields, and how they become the source's input.
// Falcon's flags are the hand-written ones in providers.ts (shared with the incidents connection).
import type { ProviderKind } from '../../src-shared/schemas/providers';

type Options = Record<string, string | boolean | undefined>;

export interface SourceFlags {
  /** [commander flags, help]; a flag another kind already declares is declared once (its help names both). */
  options: [string, string][];
  input(opts: Options, secret: string | undefined): Record<string, unknown>;
}

export const sourceFlags: Partial<Record<ProviderKind, SourceFlags>> = {
  sentinelone: {
    options: [['--api-url <url>', 'SentinelOne REST API URL, or the Kandji API URL (https://<subdomain>.api.kandji.io or .api.eu.kandji.io)']],
    input: (opts, secret) => ({ apiUrl: opts.apiUrl, apiToken: secret }),
  },
  intune: {
    options: [
      ['--tenant-id <id>', 'Intune: Directory (tenant) ID (a GUID or a verified domain)'],
      ['--client-id <id>', 'Intune: Application (client) ID (a GUID)'],
      ['--cloud <cloud>', 'Intune: global, usgov-l4, usgov-l5, china or custom (default global, or custom with --login-url/--graph-url)'],
      ['--login-url <url>', 'Intune with --cloud custom: the sign-in host (a proxy, the simulator)'],
      ['--graph-url <url>', 'Intune with --cloud custom: the Graph host'],
    ],
    input: (opts, secret) => ({
      tenantId: opts.tenantId,
      clientId: opts.clientId,
      cloud: opts.cloud ?? (opts.loginUrl || opts.graphUrl ? 'custom' : 'global'),
      loginUrl: opts.loginUrl,
      graphUrl: opts.graphUrl,
      clientSecret: secret,
    }),
  },
  jamf: {
    options: [
      ['--server-url <url>', 'Jamf Pro URL (the console address, without /api)'],
      ['--client-id <id>', 'API client ID (Falcon: 32 hex characters; Jamf Pro: the API client’s Client ID)'],
    ],
    input: (opts, secret) => ({ serverUrl: opts.serverUrl, clientId: opts.clientId, clientSecret: secret }),
  },
  kandji: {
    options: [['--api-url <url>', 'SentinelOne REST API URL, or the Kandji API URL (https://<subdomain>.api.kandji.io or .api.eu.kandji.io)']],
    input: (opts, secret) => ({ apiUrl: opts.apiUrl, apiToken: secret }),
  },
  custom: {
    options: [
      ['--url <url>', 'custom endpoint URL (POST {"devices":[…]})'],
      ['--auth <mode>', 'custom endpoint authentication: bearer (default), cloudflareAccess or none (loopback only)'],
      ['--access-client-id <id>', 'Cloudflare Access service token client ID (with --auth cloudflareAccess)'],
      ['--batch-size <n>', 'custom endpoint: devices per request, 1-1000 (default 500)'],
      ['--timeout-ms <ms>', 'custom endpoint: timeout per request, 1000-120000 (default 15000)'],
      ['--fail-open', 'custom endpoint: a device it does not score is unknown rather than failing'],
    ],
    input: (opts, secret) => ({
      url: opts.url,
      auth: opts.auth ?? 'bearer',
      ...(opts.accessClientId !== undefined ? { accessClientId: opts.accessClientId } : {}),
      ...(opts.batchSize !== undefined ? { batchSize: numberOrText(opts.batchSize) } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: numberOrText(opts.timeoutMs) } : {}),
      failClosed: opts.failOpen !== true,
      ...(secret !== undefined ? { secret } : {}),
    }),
  },
};

/** Numbers as numbers, anything else as typed, so the schema's own message names what is wrong with it. */
function numberOrText(v: string | boolean | undefined): unknown {
  return typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
}
