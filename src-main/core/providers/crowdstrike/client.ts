// The Falcon client the rest of the app uses: one connection (credentials + cloud) and its operations.
import { falconEndpoint } from '../../../../src-shared/schemas/falcon-endpoint';
import type { FalconRegion } from '../../../../src-shared/schemas/providers';
import type { HttpClient } from '../http';
import { getAlerts, pollAlerts, queryAlertIds, type AlertQuery } from './alerts';
import { setContainment } from './containment';
import { countHosts, getHostDetails, getOnlineStates, scrollHostIds, type RecordOptions, type ScrollOptions } from './hosts';
import { pullInventory, type HostRoute, type InventoryOptions } from './fleet-pull';
import { createIoc, deleteIocs, getIocs, listIocs, searchIocIds, type IocInput } from './iocs';
import { probeScope } from './probes';
import type { DiscoveredRegion } from './regions';
import type { FalconScope } from './scopes';
import { createFalconSession } from './session';
import { getZtaAssessments, queryZtaAids } from './zta';

export interface FalconClientOptions {
  /** Omitted means custom: then `baseUrl` is where requests go. */
  region?: FalconRegion;
  /** The custom cloud's base URL (a proxy, the simulator); falconEndpoint() decides what a named region does with one. */
  baseUrl?: string;
  clientId: string;
  getSecret: () => Promise<string>;
  http: HttpClient;
  /** MSSP child CID. */
  memberCid?: string;
  /** Called when a 308 moves the connection to another cloud, so the app can save it. */
  onRegionDiscovered?: (discovered: DiscoveredRegion) => void | Promise<void>;
}

type Opts = RecordOptions;

export function createFalconClient(options: FalconClientOptions) {
  // The one place a connection's fields become an endpoint: Test, polls, alerts, IOCs and containment all come here.
  const endpoint = falconEndpoint({ region: options.region ?? 'custom', baseUrl: options.baseUrl });
  const session = createFalconSession({
    http: options.http,
    clientId: options.clientId,
    getSecret: options.getSecret,
    memberCid: options.memberCid,
    baseUrl: endpoint.baseUrl,
    configuredRegion: endpoint.region,
    onRegionDiscovered: options.onRegionDiscovered,
  });
  // Remembered for the life of the client: a cloud that answered 404 to the combined endpoint is not asked again.
  const hostRoute: HostRoute = { combined: true };
  return {
    regionState: session.regionState,
    /** Gets a token now; reports when it expires (never the token itself). */
    async authenticate(signal?: AbortSignal) {
      const token = await session.authenticate(signal);
      return { expiresAt: token.expiresAt, reportedRegion: token.reportedRegion };
    },
    revokeToken: (signal?: AbortSignal) => session.revoke(signal),
    probeScope: (scope: FalconScope, signal?: AbortSignal) => probeScope(session, scope, signal),
    hosts: {
      scrollIds: (o?: ScrollOptions) => scrollHostIds(session, o),
      count: (o?: { filter?: string; signal?: AbortSignal }) => countHosts(session, o),
      details: (ids: readonly string[], o?: Opts) => getHostDetails(session, ids, o),
      onlineStates: (ids: readonly string[], o?: Opts) => getOnlineStates(session, ids, o),
      inventory: (o?: InventoryOptions) => pullInventory(session, o, hostRoute),
    },
    zta: {
      assessments: (aids: readonly string[], o?: Opts) => getZtaAssessments(session, aids, o),
      queryAids: (o?: { filter?: string; limit?: number; signal?: AbortSignal }) => queryZtaAids(session, o),
    },
    alerts: {
      queryIds: (q?: AlertQuery) => queryAlertIds(session, q),
      get: (compositeIds: readonly string[], o?: Opts) => getAlerts(session, compositeIds, o),
      poll: (q?: AlertQuery) => pollAlerts(session, q),
    },
    iocs: {
      create: (input: IocInput, o?: { comment?: string; signal?: AbortSignal }) => createIoc(session, input, o),
      search: (o?: { filter?: string; limit?: number; offset?: number; signal?: AbortSignal }) => searchIocIds(session, o),
      get: (ids: readonly string[], signal?: AbortSignal) => getIocs(session, ids, signal),
      list: (o?: { filter?: string; limit?: number; signal?: AbortSignal }) => listIocs(session, o),
      delete: (ids: readonly string[], o?: { comment?: string; signal?: AbortSignal }) => deleteIocs(session, ids, o),
    },
    containment: {
      contain: (ids: readonly string[], signal?: AbortSignal) => setContainment(session, 'contain', ids, signal),
      lift: (ids: readonly string[], signal?: AbortSignal) => setContainment(session, 'lift_containment', ids, signal),
    },
  };
}

export type FalconClient = ReturnType<typeof createFalconClient>;
