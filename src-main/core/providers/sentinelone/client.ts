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
}

export function createSentinelOneClient(options: SentinelOneClientOptions) {
  const session = createS1Session(options);
  const clock = options.clock ?? options.http.clock;
  return {
    apiUrl: session.apiUrl,
    systemStatus: (signal?: AbortSignal) => getSystemStatus(session, signal).then(({ health }) => ({ health })),
    tokenExpiry: (signal?: AbortSignal) => getTokenExpiry(session, clock, signal),
    agents: {
      pages: (filters?: AgentFilters, signal?: AbortSignal) => pageAgents(session, filters, signal),
      list: (filters?: AgentFilters, signal?: AbortSignal) => listAgents(session, filters, signal),
      count: (filters?: AgentFilters, signal?: AbortSignal) => countAgents(session, filters, signal),
    },
  };
}

export type SentinelOneClient = ReturnType<typeof createSentinelOneClient>;
