// Calls to one Jamf Pro server: an API client's OAuth token (renewed before it ends), at most five requests in
// flight (Jamf's scalability guidance), one retry with a new token on INVALID_TOKEN, Jamf's errors as diagnoses.
import { z } from 'zod';
import { createLimiter } from '../batches';
import type { Clock } from '../clock';
import { ProviderError } from '../diagnosis';
import type { HttpClient, HttpRequest, HttpResponse } from '../http';

/** Jamf asks integrations to keep at most five connections open. */
export const JAMF_MAX_CONCURRENT = 5;
/** A token is renewed when less than this is left (Jamf's default lifetime is a few minutes). */
const RENEW_MARGIN_MS = 60_000;

/** The server URL as the admin enters it; the API lives under `/api`. An `/api` or `/api/...` tail is dropped. */
export function jamfServerUrl(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/api(\/.*)?$/i, '');
  return `${parsed.origin}${path}`;
}

// expires_in is the client's configured lifetime; a value that is no lifetime (0, negative, absurd) is not trusted.
const OAuthToken = z.looseObject({ access_token: z.string().min(1), expires_in: z.unknown().optional(), scope: z.unknown().optional() });
/** Without a believable lifetime the token is renewed after a minute, as if it were short-lived. */
const FALLBACK_TTL_S = 60;
const MAX_TTL_S = 86_400;
const OAuthError = z.looseObject({ error: z.string(), error_description: z.string().optional() });
const ApiError = z.looseObject({
  httpStatus: z.number().optional(),
  errors: z.array(z.looseObject({ code: z.string().nullish(), description: z.string().nullish() })).optional(),
});

export interface JamfCall {
  method?: HttpRequest['method'];
  /** Path under `/api`, e.g. `/v4/computers-inventory`. */
  path: string;
  query?: HttpRequest['query'];
  signal?: AbortSignal;
  /** Statuses handed back instead of thrown (e.g. 404 for the version fallback). */
  expect?: readonly number[];
  what: string;
}

export interface JamfSession {
  readonly serverUrl: string;
  call(call: JamfCall): Promise<HttpResponse>;
  /** Requests the server without a token (the reachability probe). */
  callAnonymous(call: JamfCall): Promise<HttpResponse>;
  /** Fetches a token now (the Test's authentication step); returns what Jamf said about it. */
  authenticate(signal?: AbortSignal): Promise<{ expiresInSeconds: number | null; scope: string | null }>;
}

export interface JamfSessionOptions {
  serverUrl: string;
  clientId: string;
  getSecret: () => Promise<string>;
  http: HttpClient;
  clock?: Clock;
}

export function createJamfSession(options: JamfSessionOptions): JamfSession {
  const serverUrl = jamfServerUrl(options.serverUrl);
  const host = new URL(serverUrl).host;
  const clock = options.clock ?? options.http.clock;
  const limit = createLimiter(JAMF_MAX_CONCURRENT);
  let token: { value: string; renewAt: number; expiresIn: number | null; scope: string | null } | undefined;
  let pending: Promise<NonNullable<typeof token>> | undefined;
  /** The token path this server answers (the guides' unversioned one, else the schema's /v1). */
  let tokenPath = '/api/oauth/token';

  async function fetchToken(signal?: AbortSignal): Promise<NonNullable<typeof token>> {
    const secret = await options.getSecret();
    const send = (path: string) =>
      limit(() =>
        options.http.request({
          method: 'POST',
          url: `${serverUrl}${path}`,
          form: { grant_type: 'client_credentials', client_id: options.clientId, client_secret: secret },
          secrets: [secret],
          idempotent: true,
          signal,
        }),
      );
    let res = await send(tokenPath);
    if (res.status === 404 && tokenPath === '/api/oauth/token') {
      res = await send('/api/v1/oauth/token');
      if (res.status !== 404) tokenPath = '/api/v1/oauth/token';
    }
    if (res.status === 200) {
      const parsed = OAuthToken.safeParse(res.body);
      if (parsed.success) {
        const reported = parsed.data.expires_in;
        const believable = typeof reported === 'number' && Number.isFinite(reported) && reported > 0 && reported <= MAX_TTL_S ? reported : null;
        const ttlMs = (believable ?? FALLBACK_TTL_S) * 1000;
        return {
          value: parsed.data.access_token,
          // Renew a minute early, or at three quarters of a short lifetime.
          renewAt: clock.now() + Math.max(ttlMs - RENEW_MARGIN_MS, ttlMs * 0.75),
          expiresIn: believable,
          scope: typeof parsed.data.scope === 'string' ? parsed.data.scope : null,
        };
      }
    }
    throw tokenFailure(res, host);
  }

  async function currentToken(signal?: AbortSignal): Promise<string> {
    if (token && clock.now() < token.renewAt) return token.value;
    pending ??= fetchToken(signal).finally(() => (pending = undefined));
    token = await pending;
    return token.value;
  }

  const send = (c: JamfCall, bearer: string | undefined) =>
    limit(() =>
      options.http.request({
        method: c.method ?? 'GET',
        url: `${serverUrl}/api${c.path}`,
        query: c.query,
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
        signal: c.signal,
      }),
    );

  return {
    serverUrl,
    async call(c) {
      let res = await send(c, await currentToken(c.signal));
      // An expired or invalidated token: fetch a new one and try once more.
      if (res.status === 401) {
        token = undefined;
        res = await send(c, await currentToken(c.signal));
      }
      if (res.status === 200 || (c.expect ?? []).includes(res.status)) return res;
      throw jamfFailure(res, host, c.what);
    },
    async callAnonymous(c) {
      return send(c, undefined);
    },
    async authenticate(signal) {
      token = undefined;
      await currentToken(signal);
      const fresh = token as { expiresIn: number | null; scope: string | null } | undefined;
      return { expiresInSeconds: fresh?.expiresIn ?? null, scope: fresh?.scope ?? null };
    },
  };
}

const CLIENT_PLACE = 'Jamf Pro > Settings > System > API roles and clients > API Clients';

function tokenFailure(res: HttpResponse, host: string): ProviderError {
  const oauth = OAuthError.safeParse(res.body);
  const observed = `HTTP ${res.status}${oauth.success ? `: ${oauth.data.error}${oauth.data.error_description ? ` (${res.redact(oauth.data.error_description)})` : ''}` : ''}`;
  if (res.status === 404 || (!oauth.success && res.body === undefined))
    return new ProviderError({
      code: 'jamf.not_jamf',
      status: res.status,
      message: `${host} has no Jamf Pro token endpoint (${observed} for /api/oauth/token): this is not a Jamf Pro server URL.`,
      fix: 'Enter the address you open the Jamf Pro console at, e.g. https://yourcompany.jamfcloud.com (on-premises often :8443), without /api.',
      observed,
    });
  if (res.status === 400 || res.status === 401)
    return new ProviderError({
      code: 'jamf.bad_client',
      status: res.status,
      message: 'Jamf Pro refused the API client: the client ID or client secret is wrong, the secret was rotated, or the client is disabled.',
      fix: `In ${CLIENT_PLACE}, check that the client is enabled, copy its Client ID, choose Generate client secret, and paste both here.`,
      observed,
    });
  if (res.status === 200)
    return new ProviderError({
      code: 'http.malformed',
      status: 200,
      message: 'Jamf Pro answered the token request without an access token.',
      fix: 'Usually transient; if it persists, check that no proxy rewrites /api/oauth/token and that the URL is the Jamf Pro server.',
      observed,
    });
  return new ProviderError({
    code: 'http.unexpected',
    status: res.status,
    message: `Jamf Pro answered the token request with HTTP ${res.status}.`,
    fix: 'Try again; if it persists, check the Jamf Pro server status.',
    observed,
  });
}

export function jamfFailure(res: HttpResponse, host: string, what: string): ProviderError {
  const api = ApiError.safeParse(res.body);
  const codes = api.success ? (api.data.errors ?? []).map((e) => e.code).filter(Boolean) : [];
  const observed = `HTTP ${res.status}${codes.length ? `: ${codes.join(', ')}` : res.body === undefined && res.text ? ' (not JSON)' : ''}`;
  if (res.status === 401)
    return new ProviderError({
      code: 'jamf.token_rejected',
      status: 401,
      message: `Jamf Pro refused a new access token to ${what} (${observed}).`,
      fix: `Check that the API client is enabled in ${CLIENT_PLACE}; if its roles were changed, generate a new client secret and paste it here.`,
      observed,
    });
  if (res.status === 403)
    return new ProviderError({
      code: 'jamf.role_missing',
      status: 403,
      message: `The API client may not ${what}: its API role lacks the “Read Computers” privilege (HTTP 403).`,
      fix: 'In Jamf Pro > Settings > System > API roles and clients > API Roles, add “Read Computers” to the role assigned to this client (or assign a role that has it). If you just added a role to the client, generate a new client secret: role changes apply only after the secret is rotated.',
      observed,
    });
  if (res.status === 404)
    return new ProviderError({
      code: 'jamf.not_jamf',
      status: 404,
      message: `${host} answered HTTP 404 to ${what}: no Jamf Pro API at this address.`,
      fix: 'Enter the Jamf Pro console address only (e.g. https://yourcompany.jamfcloud.com), without /api or a page path.',
      observed,
    });
  return new ProviderError({
    code: 'http.unexpected',
    status: res.status,
    message: `Jamf Pro answered HTTP ${res.status} to ${what}.`,
    fix: 'Try again; if it persists, check the Jamf Pro server status.',
    observed,
  });
}
