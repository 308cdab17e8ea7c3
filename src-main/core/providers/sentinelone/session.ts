// Calls to one SentinelOne console: `ApiToken` auth under /web/api/v2.1, S1 errors as diagnoses.
import { z } from 'zod';
import { ProviderError } from '../diagnosis';
import type { HttpClient, HttpRequest, HttpResponse } from '../http';

export const S1_API_PATH = '/web/api/v2.1';

const S1ErrorItem = z.looseObject({
  code: z.union([z.number(), z.string()]).nullish(),
  title: z.string().nullish(),
  detail: z.string().nullish(),
});
const S1Errors = z.looseObject({ errors: z.array(S1ErrorItem).nullish() });

export interface S1Call {
  method: HttpRequest['method'];
  /** Path under /web/api/v2.1, e.g. /agents */
  path: string;
  query?: HttpRequest['query'];
  json?: unknown;
  signal?: AbortSignal;
  idempotent?: boolean;
  expect?: readonly number[];
  what: string;
  /** Reads a successful answer from its bytes (HttpRequest['decode']). */
  decode?: HttpRequest['decode'];
}

export interface S1Session {
  readonly apiUrl: string;
  call(call: S1Call): Promise<HttpResponse>;
  /** Calls that need no token (system/status). */
  callAnonymous(call: S1Call): Promise<HttpResponse>;
  /** The token, for the one endpoint that takes it in the body (api-token-details). */
  token(): Promise<string>;
}

/** Keeps scheme and host of a pasted console URL (people paste …/dashboard or …/web/api/v2.1/). */
export function s1ConsoleOrigin(apiUrl: string): string {
  return new URL(apiUrl).origin;
}

export function createS1Session(options: { apiUrl: string; getToken: () => Promise<string>; http: HttpClient }): S1Session {
  const origin = s1ConsoleOrigin(options.apiUrl);
  const send = async (c: S1Call, token: string | undefined) => {
    const res = await options.http.request({
      method: c.method,
      url: `${origin}${S1_API_PATH}${c.path}`,
      query: c.query,
      json: c.json,
      headers: token ? { authorization: `ApiToken ${token}` } : {},
      secrets: token ? [token] : [],
      signal: c.signal,
      idempotent: c.idempotent,
      decode: c.decode,
    });
    if ((c.expect ?? [200]).includes(res.status)) return res;
    throw s1Failure(res, c.what);
  };
  return {
    apiUrl: origin,
    call: async (c) => send(c, await options.getToken()),
    callAnonymous: (c) => send(c, undefined),
    token: options.getToken,
  };
}

export function s1ErrorItems(body: unknown): z.output<typeof S1ErrorItem>[] {
  const parsed = S1Errors.safeParse(body);
  return parsed.success ? (parsed.data.errors ?? []) : [];
}

export function s1Failure(res: HttpResponse, what: string): ProviderError {
  const items = s1ErrorItems(res.body);
  const text = res.redact(items.map((e) => [e.code, e.title, e.detail].filter((v) => v !== null && v !== undefined && v !== '').join(' ')).join('; '));
  const observed = `HTTP ${res.status}${text ? `: ${text}` : ''}`;
  const lower = text.toLowerCase();
  const codes = items.map((e) => String(e.code ?? ''));
  if (res.status === 401 && (codes.includes('4010011') || lower.includes('expired')))
    return new ProviderError({
      code: 's1.token_expired',
      status: 401,
      observed,
      message: `SentinelOne refused to ${what}: the API token has expired.`,
      fix: 'Generate a new API token for the service user (SentinelOne > Settings > Users > Service Users > the user > Actions > Generate API Token) and paste it here. Choose a later expiration date.',
    });
  if (res.status === 401)
    return new ProviderError({
      code: 's1.unauthorized',
      status: 401,
      observed,
      message: `SentinelOne refused to ${what}: the API token is not valid (wrong, revoked, regenerated elsewhere, or expired).`,
      fix: 'Copy the API token again from SentinelOne (Settings > Users > Service Users > Generate API Token). Regenerating a token kills the old one at once, so update every tool that shares it.',
    });
  if (res.status === 403 && lower.includes('not allowed to site users'))
    return new ProviderError({
      code: 's1.site_scoped',
      status: 403,
      observed,
      message: `SentinelOne refused to ${what}: the token belongs to a site-scoped user, which cannot call account-level endpoints.`,
      fix: 'Create the service user with Scope of Access: Account and the Viewer role (Settings > Users > Service Users), and paste its token; a site-scoped token sees only its own sites.',
    });
  if (res.status === 403)
    return new ProviderError({
      code: 's1.forbidden',
      status: 403,
      observed,
      message: `SentinelOne refused to ${what}: the token’s user lacks the permission (Endpoints view).`,
      fix: 'Give the service user the Viewer role (it includes Endpoints view) in Settings > Users > Service Users.',
    });
  if (res.status === 404)
    return new ProviderError({
      code: 's1.not_console',
      status: 404,
      observed,
      message: `There is no SentinelOne API at ${new URL(res.url).host} (HTTP 404 for ${S1_API_PATH}).`,
      fix: 'Copy the console address from the browser’s address bar while logged in to SentinelOne, e.g. https://your-domain.sentinelone.net.',
    });
  if (res.status === 400)
    return new ProviderError({
      code: 's1.bad_request',
      status: 400,
      observed,
      message: `SentinelOne rejected the request to ${what}${text ? `: ${text}` : ''}.`,
      fix: 'Check the filter values; the message says which one SentinelOne refused.',
    });
  return new ProviderError({
    code: 'http.unexpected',
    status: res.status,
    observed,
    message: `SentinelOne answered the request to ${what} with HTTP ${res.status}.`,
    fix: 'Try again; if it persists, check the console URL and SentinelOne’s status.',
  });
}
