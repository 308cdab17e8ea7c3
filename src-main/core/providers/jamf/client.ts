// The Jamf Pro client the rest of the app uses: one server + one API client (client ID and secret).
import type { Clock } from '../clock';
import type { HttpClient } from '../http';
import { readComputers, type InventoryState } from './inventory';
import { createJamfSession } from './session';

export interface JamfClientOptions {
  serverUrl: string;
  clientId: string;
  getSecret: () => Promise<string>;
  http: HttpClient;
  clock?: Clock;
  pageSize?: number;
}

export function createJamfClient(options: JamfClientOptions) {
  const session = createJamfSession(options);
  // The version the server answered is remembered for the next poll (no 404s on every poll of an old server).
  const state: InventoryState = { version: undefined };
  return {
    serverUrl: session.serverUrl,
    session,
    authenticate: (signal?: AbortSignal) => session.authenticate(signal),
    computers: (signal?: AbortSignal, onPage?: (done: number, total: number | undefined) => void) =>
      readComputers(session, state, { signal, ...(options.pageSize ? { pageSize: options.pageSize } : {}), ...(onPage ? { onPage } : {}) }),
    get inventoryVersion() {
      return state.version;
    },
  };
}

export type JamfClient = ReturnType<typeof createJamfClient>;
