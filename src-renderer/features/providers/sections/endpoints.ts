// Where a posture source's requests go, in one line for the provider lists (Falcon's is in ../describe.ts).
import { intuneHosts } from '../../../../src-shared/schemas/sources/intune';
import type { ProviderConfig } from '../../../../src-shared/schemas/providers';

type SourceConfig = Exclude<ProviderConfig, { kind: 'crowdstrike-zta' | 'crowdstrike-falcon-incidents' }>;

export function sourceEndpoint(config: SourceConfig): string {
  switch (config.kind) {
    case 'sentinelone':
      return config.apiUrl;
    case 'jamf':
      return config.serverUrl;
    case 'kandji':
      return config.apiUrl;
    case 'custom':
      return config.url;
    case 'intune': {
      const hosts = intuneHosts(config);
      return `${config.cloud} · ${hosts.graph}`;
    }
  }
}
