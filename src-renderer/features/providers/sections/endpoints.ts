// Where a posture source's requests go, in one line for the provider lists (Falcon's is in ../describe.ts).
import type { ProviderConfig } from '../../../../src-shared/schemas/providers';

type SourceConfig = Exclude<ProviderConfig, { kind: 'crowdstrike-zta' | 'crowdstrike-falcon-incidents' }>;

export function sourceEndpoint(config: SourceConfig): string {
  switch (config.kind) {
    case 'sentinelone':
      return config.apiUrl;
  }
}
