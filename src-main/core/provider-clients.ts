// One Falcon or SentinelOne client per provider configuration, sharing the app's HTTP pools; a changed
// configuration gets a fresh client (and so a fresh token).
import type { PostureProviderKind } from '../../src-shared/schemas/posture';
import type { FalconKind, ProviderConfig } from '../../src-shared/schemas/providers';
import type { Connections } from './connections/service';
import { createFalconClient, type FalconClient } from './providers/crowdstrike/client';
import type { HttpClient } from './providers/http';
import { sourceModule, type PostureClient } from './providers/registry';
import { createSentinelOneClient, type SentinelOneClient } from './providers/sentinelone/client';

type FalconConfig = Extract<ProviderConfig, { kind: FalconKind }>;
type S1Config = Extract<ProviderConfig, { kind: 'sentinelone' }>;

export function createProviderClients(deps: { http: HttpClient; connections: Connections }) {
  const cache = new Map<string, { fingerprint: string; client: unknown }>();
  const cached = <T>(config: ProviderConfig, make: () => T): T => {
    const fingerprint = JSON.stringify(config);
    const hit = cache.get(config.id);
    if (hit && hit.fingerprint === fingerprint) return hit.client as T;
    const client = make();
    cache.set(config.id, { fingerprint, client });
    return client;
  };

  return {
    falcon(config: FalconConfig): FalconClient {
      return cached(config, () =>
        createFalconClient({
          region: config.region,
          baseUrl: config.baseUrl,
          clientId: config.clientId,
          getSecret: () => deps.connections.getSecret(config.id),
          http: deps.http,
          onRegionDiscovered: (found) => deps.connections.moveRegion(config.id, found),
        }),
      );
    },
    sentinelOne(config: S1Config): SentinelOneClient {
      return cached(config, () => createSentinelOneClient({ apiUrl: config.apiUrl, getToken: () => deps.connections.getSecret(config.id), http: deps.http }));
    },
    /** The client of any posture source, built by its registry entry. */
    posture(config: Extract<ProviderConfig, { kind: PostureProviderKind }>): PostureClient {
      return cached(
        config,
        () =>
          sourceModule(config.kind).createClient(config, {
            http: deps.http,
            getSecret: () => deps.connections.getSecret(config.id),
            onRegionDiscovered: (found) => deps.connections.moveRegion(config.id, found),
          }) as PostureClient,
      );
    },
    forget(id: string): void {
      cache.delete(id);
    },
  };
}

export type ProviderClients = ReturnType<typeof createProviderClients>;
