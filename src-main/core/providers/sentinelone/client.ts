// The SentinelOne client the rest of the app uses: one console + API token.
import type { Clock } from '../clock';
import type { HttpClient } from '../http';
import { countAgents, listAgents, pageAgents, type AgentFilters } from './agents';
import { createS1Session } from './session';
import { getSystemStatus, getTokenExpiry } from './token-details';

export interface SentinelOneClientOptions {
  /** The console URL as pasted; only scheme and host are kept. */
  apiUrl: string;
  getToken: () => Promise<string>;
  http: HttpClient;
  clock?: Clock;
  /** For a site-scoped token: the sites it may list (sent as siteIds on every agents call). */
  siteIds?: readonly string[];
}

export function createSentinelOneClient(options: SentinelOneClientOptions) {
  const session = createS1Session(options);
  const clock = options.clock ?? options.http.clock;
  const scoped = (filters: AgentFilters = {}): AgentFilters => (options.siteIds?.length ? { siteIds: options.siteIds, ...filters } : filters);
  return {
    apiUrl: session.apiUrl,
    systemStatus: (signal?: AbortSignal) => getSystemStatus(session, signal).then(({ health }) => ({ health })),
    tokenExpiry: (signal?: AbortSignal) => getTokenExpiry(session, clock, signal),
    agents: {
      pages: (filters?: AgentFilters, signal?: AbortSignal) => pageAgents(session, scoped(filters), signal),
      list: (filters?: AgentFilters, signal?: AbortSignal) => listAgents(session, scoped(filters), signal),
      count: (filters?: AgentFilters, signal?: AbortSignal) => countAgents(session, scoped(filters), signal),
    },
  };
}

export type SentinelOneClient = ReturnType<typeof createSentinelOneClient>;
