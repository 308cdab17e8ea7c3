// OAuth2 client credentials against one Falcon cloud: issue (201) and revoke a bearer token.
import { z } from 'zod';
import { ProviderError } from '../diagnosis';
import type { HttpClient, HttpResponse } from '../http';
import { falconErrorText } from './envelope';

const TokenBody = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().catch(1799),
  token_type: z.string().nullish(),
});

export interface FalconToken {
  accessToken: string;
  expiresAt: number;
  /** Lifetime granted, ms. */
  ttlMs: number;
  /** `X-Cs-Region` of the answer. */
  reportedRegion: string | undefined;
}

export type TokenOutcome = { kind: 'token'; token: FalconToken; response: HttpResponse } | { kind: 'redirect'; response: HttpResponse };

export interface Credentials {
  clientId: string;
  getSecret: () => Promise<string>;
  memberCid?: string;
}

export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** The token endpoint has its own per-IP quota (300/min), apart from the per-account 6000/min. */
export function tokenBudget(baseUrl: string): string {
  return `${new URL(baseUrl).origin} oauth2`;
}

export async function requestToken(http: HttpClient, baseUrl: string, credentials: Credentials, signal?: AbortSignal): Promise<TokenOutcome> {
  const secret = await credentials.getSecret();
  const response = await http.request({
    method: 'POST',
    url: `${baseUrl}/oauth2/token`,
    form: { client_id: credentials.clientId, client_secret: secret, member_cid: credentials.memberCid },
    // Asking again for a token is harmless, so a 5xx or a reset may be retried.
    idempotent: true,
    budget: tokenBudget(baseUrl),
    secrets: [secret],
    signal,
  });
  if (isRedirect(response.status)) return { kind: 'redirect', response };
  if (response.status !== 201 && response.status !== 200) throw tokenFailure(response);
  const body = TokenBody.safeParse(response.body);
  if (!body.success)
    throw new ProviderError({
      code: 'http.malformed',
      status: response.status,
      message: 'Falcon issued a token in an unexpected shape (no access_token).',
      fix: 'Check that the base URL points at the Falcon API (api.…crowdstrike.com), not the console (falcon.…).',
    });
  const ttlMs = body.data.expires_in * 1000;
  return {
    kind: 'token',
    response,
    token: {
      accessToken: body.data.access_token,
      ttlMs,
      expiresAt: response.receivedAt + ttlMs,
      reportedRegion: response.headers['x-cs-region'],
    },
  };
}

/** Token-call failures in the admin's terms (reference §1 token errors, StackFlow troubleshooting). */
export function tokenFailure(res: HttpResponse): ProviderError {
  const quoted = falconErrorText(res);
  const observed = `HTTP ${res.status}${quoted ? `: ${quoted}` : ''}`;
  const text = quoted.toLowerCase();
  if (res.status === 403 && text.includes('access denied, authorization failed'))
    return new ProviderError({
      code: 'falcon.ip_not_allowed',
      status: res.status,
      observed,
      message:
        'Falcon refused to issue a token (“access denied, authorization failed”): the API client’s IP allow-list does not include this computer’s public IP address.',
      fix: 'In Falcon > Support and resources > API clients and keys, add this network’s public IP to the client’s allowed IP ranges (or remove the restriction), or run the app from an allowed network.',
    });
  if (res.status === 400)
    return new ProviderError({
      code: 'falcon.bad_client_id',
      status: res.status,
      observed,
      message: 'Falcon could not use this Client ID (HTTP 400 on the token request): it is malformed.',
      fix: 'Re-copy Client ID and Secret from Falcon API Clients page (Support and resources > API clients and keys); the Client ID is 32 hexadecimal characters.',
    });
  if (res.status === 401 || res.status === 403)
    return new ProviderError({
      code: 'falcon.bad_credentials',
      status: res.status,
      observed,
      message: `Falcon rejected the Client ID or Client Secret (HTTP ${res.status} on the token request).`,
      fix: 'Re-copy Client ID and Secret from Falcon API Clients page (Support and resources > API clients and keys). The secret is shown only once: if it is lost, reset it there and paste the new one.',
    });
  if (res.status === 404)
    return new ProviderError({
      code: 'falcon.wrong_region',
      status: res.status,
      observed,
      message: 'There is no Falcon token endpoint at this base URL.',
      fix: 'Choose the Falcon cloud region (as in your console address, e.g. falcon.us-2.crowdstrike.com → us-2) or enter the API base URL, e.g. https://api.us-2.crowdstrike.com.',
    });
  return new ProviderError({
    code: 'http.unexpected',
    status: res.status,
    observed,
    message: `Falcon answered the token request with HTTP ${res.status}.`,
    fix: 'Try again; if it persists, check the base URL and the Falcon status page.',
  });
}

/** Revokes a token where it was issued. Basic auth with the client credentials, never logged. */
export async function revokeToken(http: HttpClient, baseUrl: string, credentials: Credentials, token: string, signal?: AbortSignal): Promise<void> {
  const secret = await credentials.getSecret();
  const basic = Buffer.from(`${credentials.clientId}:${secret}`).toString('base64');
  const res = await http.request({
    method: 'POST',
    url: `${baseUrl}/oauth2/revoke`,
    headers: { authorization: `Basic ${basic}` },
    form: { token, client_id: credentials.clientId },
    idempotent: true,
    budget: tokenBudget(baseUrl),
    secrets: [secret, token],
    signal,
  });
  if (res.status !== 200 && res.status !== 204) throw tokenFailure(res);
}
