// Calls to one tenant's Graph as one Entra app: a client-credentials token (renewed 5 minutes early, and once
// on a 401), the 2,000-per-20-s budget, and 429s waited out (Retry-After when sent, else 2, 4, 8 … 60 s).
import type { Clock } from '../clock';
import { isProviderError, ProviderError } from '../diagnosis';
import type { HttpClient, HttpResponse } from '../http';
import { graphFailure, tokenFailure } from './errors';
import { WindowBudget } from './throttle';
import { retryAtFromHeaders } from '../retry';

export interface IntuneSessionOptions {
  tenantId: string;
  clientId: string;
  /** Login host (https://login.microsoftonline.com) and Graph host (https://graph.microsoft.com) of the cloud. */
  loginUrl: string;
  graphUrl: string;
  getSecret: () => Promise<string>;
  http: HttpClient;
  clock?: Clock;
  /** First backoff after a 429 without Retry-After (doubles to 60 s); tests shorten it. */
  backoffBaseMs?: number;
  random?: () => number;
}

export interface IntuneToken {
  accessToken: string;
  expiresAt: number;
  /** The `roles` claim of the token (application permissions granted with admin consent). */
  roles: string[] | null;
  tenant: string | null;
}

const RENEW_EARLY_MS = 5 * 60_000;
const MAX_ATTEMPTS = 6;
const MAX_BACKOFF_MS = 60_000;

/** The roles and tenant of a JWT access token (not verified: read only to explain a refusal). */
export function tokenClaims(token: string): { roles: string[] | null; tenant: string | null } {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { roles?: unknown; tid?: unknown };
    return {
      roles: Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : null,
      tenant: typeof payload.tid === 'string' ? payload.tid : null,
    };
  } catch {
    return { roles: null, tenant: null };
  }
}

export function createIntuneSession(options: IntuneSessionOptions) {
  const clock = options.clock ?? options.http.clock;
  const random = options.random ?? Math.random;
  const backoffBase = options.backoffBaseMs ?? 2_000;
  const budget = new WindowBudget(clock);
  const graphOrigin = new URL(options.graphUrl).origin;
  const scope = `${graphOrigin}/.default`;
  let token: IntuneToken | undefined;
  let pending: Promise<IntuneToken> | undefined;

  /** Sends once more after a 429/503/504, waiting what the answer asks or backing off. */
  async function withRetries(send: () => Promise<HttpResponse>, signal: AbortSignal | undefined): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse | undefined;
      let wait: number | undefined;
      try {
        res = await send();
      } catch (error) {
        // The shared client reports a 429/5xx it did not retry (one attempt) as a diagnosis.
        const code = isProviderError(error) ? error.diagnosis.code : undefined;
        if ((code !== 'http.rate_limited' && code !== 'http.server_error') || attempt >= MAX_ATTEMPTS) throw error;
        const retryAt = isProviderError(error) ? error.diagnosis.retryAt : undefined;
        wait = retryAt !== undefined ? Math.max(0, retryAt - clock.now()) : undefined;
      }
      if (res) {
        if (res.status !== 429 && res.status !== 503 && res.status !== 504) return res;
        if (attempt >= MAX_ATTEMPTS) return res;
        const retryAt = retryAtFromHeaders(res.headers, res.receivedAt);
        wait = retryAt !== undefined ? Math.max(0, retryAt - res.receivedAt) : undefined;
      }
      // Intune often sends no Retry-After: exponential backoff with jitter, 2 s, 4 s, 8 s … capped at 60 s.
      const delay = wait ?? Math.min(MAX_BACKOFF_MS, backoffBase * 2 ** (attempt - 1)) * (0.5 + random() / 2);
      budget.pauseUntil(clock.now() + delay);
      await clock.sleep(delay, signal);
    }
  }

  async function fetchToken(signal?: AbortSignal): Promise<IntuneToken> {
    const secret = await options.getSecret();
    const url = `${new URL(options.loginUrl).origin}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`;
    const res = await withRetries(
      () =>
        options.http.request({
          method: 'POST',
          url,
          form: { grant_type: 'client_credentials', client_id: options.clientId, client_secret: secret, scope },
          secrets: [secret],
          signal,
          idempotent: true,
          maxAttempts: 1,
        }),
      signal,
    );
    const body = res.body as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (res.status !== 200 || typeof body?.access_token !== 'string') throw tokenFailure(res, options.tenantId);
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3599);
    return { accessToken: body.access_token, expiresAt: clock.now() + (Number.isFinite(lifetime) ? lifetime : 3599) * 1000, ...tokenClaims(body.access_token) };
  }

  async function currentToken(signal?: AbortSignal, fresh = false): Promise<IntuneToken> {
    if (!fresh && token && token.expiresAt - RENEW_EARLY_MS > clock.now()) return token;
    pending ??= fetchToken(signal).finally(() => (pending = undefined));
    token = await pending;
    return token;
  }

  /** GET a Graph URL (absolute, on the Graph host only), with one fresh token after a 401. */
  async function get(url: string, what: string, signal?: AbortSignal): Promise<HttpResponse> {
    if (new URL(url).origin !== graphOrigin)
      throw new ProviderError({
        code: 'intune.foreign_link',
        message: `Graph sent a next-page link to another host (${new URL(url).host}); it was not followed.`,
        fix: 'A proxy may be rewriting Graph answers: exempt the Graph host from inspection.',
      });
    for (let fresh = false; ; fresh = true) {
      const t = await currentToken(signal, fresh);
      const res = await withRetries(async () => {
        await budget.acquire(signal);
        return options.http.request({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${t.accessToken}` },
          signal,
          maxAttempts: 1,
          budget: `intune:${options.tenantId}:${options.clientId}`,
        });
      }, signal);
      if (res.status === 200) return res;
      if (res.status === 401 && !fresh) continue;
      throw graphFailure(res, what);
    }
  }

  return { graphOrigin, loginOrigin: new URL(options.loginUrl).origin, token: currentToken, get };
}

export type IntuneSession = ReturnType<typeof createIntuneSession>;
