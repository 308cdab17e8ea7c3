// The Kandji client the rest of the app uses: one tenant API URL (US or EU host) + one API token.
import { z } from 'zod';
import type { Clock } from '../clock';
import type { HttpClient } from '../http';
import { plausibleCount } from '../records';
import { readDevices } from './devices';
import { createKandjiSession } from './session';

const Licensing = z.looseObject({
  counts: z.looseObject({ computers_count: z.unknown(), ios_count: z.unknown(), ipados_count: z.unknown(), tvos_count: z.unknown() }).partial().nullish(),
});

export interface KandjiClientOptions {
  apiUrl: string;
  getToken: () => Promise<string>;
  http: HttpClient;
  clock?: Clock;
  requestsPerHour?: number;
}

export function createKandjiClient(options: KandjiClientOptions) {
  const session = createKandjiSession(options);
  return {
    apiBase: session.apiBase,
    session,
    devices: (signal?: AbortSignal, onPage?: (done: number) => void) => readDevices(session, { signal, ...(onPage ? { onPage } : {}) }),
    firstPage: (signal?: AbortSignal) => readDevices(session, { signal, firstPageOnly: true }),
    /** Enrolled devices by the tenant's licence counts (a cheap total the device list does not give). */
    async enrolledCount(signal?: AbortSignal): Promise<number | undefined> {
      const res = await session.call({ path: '/settings/licensing', signal, what: 'read the licence counts' });
      const counts = Licensing.safeParse(res.body).data?.counts;
      if (!counts) return undefined;
      const parts = [counts.computers_count, counts.ios_count, counts.ipados_count, counts.tvos_count].map(plausibleCount);
      return parts.every((p) => p === undefined) ? undefined : parts.reduce<number>((sum, p) => sum + (p ?? 0), 0);
    },
    requestsThisHour: () => session.requestsThisHour(),
  };
}

export type KandjiClient = ReturnType<typeof createKandjiClient>;
