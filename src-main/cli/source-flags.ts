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
};
