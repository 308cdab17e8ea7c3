// The Intune client the rest of the app uses: one tenant, one Entra app, one cloud.
import { intuneHosts, type IntuneCloud } from '../../../../src-shared/schemas/sources/intune';
import type { Clock } from '../clock';
import type { HttpClient } from '../http';
import { pageManagedDevices } from './devices';
import { createIntuneSession } from './session';

export interface IntuneClientOptions {
  tenantId: string;
  clientId: string;
  cloud: IntuneCloud;
  loginUrl?: string | undefined;
  graphUrl?: string | undefined;
  getSecret: () => Promise<string>;
  http: HttpClient;
  clock?: Clock;
  backoffBaseMs?: number;
}

export function createIntuneClient(options: IntuneClientOptions) {
  const hosts = intuneHosts(options);
  const session = createIntuneSession({ ...options, loginUrl: hosts.login, graphUrl: hosts.graph });
  return {
    session,
    loginOrigin: session.loginOrigin,
    graphOrigin: session.graphOrigin,
    token: (signal?: AbortSignal) => session.token(signal, true),
    devices: {
      pages: (options?: { signal?: AbortSignal; top?: number }) => pageManagedDevices(session, options),
    },
  };
}

export type IntuneClient = ReturnType<typeof createIntuneClient>;
