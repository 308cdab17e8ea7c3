// How long the SentinelOne API token has left, and whether the console is up (no auth needed).
import { z } from 'zod';
import type { Clock } from '../clock';
import type { S1Session } from './session';

const TokenDetails = z.looseObject({
  data: z.looseObject({ createdAt: z.string().nullish(), expiresAt: z.string().nullish() }),
});

export interface TokenExpiry {
  createdAt: string | null;
  expiresAt: string | null;
  /** Whole days left (negative once expired); null when the console does not say. */
  daysToExpiry: number | null;
}

export async function getTokenExpiry(session: S1Session, clock: Clock, signal?: AbortSignal): Promise<TokenExpiry> {
  const token = await session.token();
  const res = await session.call({
    method: 'POST',
    path: '/users/api-token-details',
    json: { data: { apiToken: token } },
    idempotent: true,
    what: 'read the API token’s expiry',
    signal,
  });
  const parsed = TokenDetails.safeParse(res.body);
  const data = parsed.success ? parsed.data.data : { createdAt: null, expiresAt: null };
  const expires = data.expiresAt ? Date.parse(data.expiresAt) : Number.NaN;
  return {
    createdAt: data.createdAt ?? null,
    expiresAt: data.expiresAt ?? null,
    daysToExpiry: Number.isFinite(expires) ? Math.floor((expires - clock.now()) / 86_400_000) : null,
  };
}

const SystemStatus = z.looseObject({ data: z.looseObject({ health: z.string().nullish() }).nullish() });

/** GET system/status needs no token: it proves only that this is a reachable S1 console. */
export async function getSystemStatus(session: S1Session, signal?: AbortSignal) {
  const res = await session.callAnonymous({ method: 'GET', path: '/system/status', what: 'read the console status', signal });
  const parsed = SystemStatus.safeParse(res.body);
  return { health: parsed.success ? (parsed.data.data?.health ?? null) : null, response: res };
}
