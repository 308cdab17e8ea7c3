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
    options: [['--api-url <url>', 'SentinelOne REST API URL']],
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
};
