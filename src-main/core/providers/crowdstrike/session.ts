// Authenticated calls to Falcon: a cached bearer token refreshed early, one re-auth on 401, region
// auto-discovery on 308 (re-authenticate at the new cloud, revoke the stray token at the old one),
// and a missing-scope 403 named after the scope the endpoint needs.
import { falconRegionHosts, type FalconRegion } from '../../../../src-shared/schemas/providers';
import { ProviderError } from '../diagnosis';
import type { HttpClient, HttpRequest, HttpResponse } from '../http';
import { isRedirect, requestToken, revokeToken, type Credentials, type FalconToken } from './auth';
import { falconErrorText } from './envelope';
import { parseRecordsEnvelope } from '../record-bytes';
import { discoverFromRedirect, parseRegion, regionOfBase, type DiscoveredRegion } from './regions';
import { addScopeFix, falconScopes, type FalconScope } from './scopes';

/** FalconPy renews 120 s before expiry; short-lived tokens renew at three quarters of their life. */
const REFRESH_EARLY_MS = 120_000;
const MAX_REGION_HOPS = 2;

export interface FalconCall {
  method: HttpRequest['method'];
  /** Path under the base URL, e.g. /devices/queries/devices-scroll/v1 */
  path: string;
  query?: HttpRequest['query'];
  json?: unknown;
  signal?: AbortSignal;
  idempotent?: boolean;
  /** The scope this endpoint needs: a 403 names it. */
  scope: FalconScope;
  /** Success statuses; anything else becomes a diagnosis. */
  expect?: readonly number[];
  /** What the call does, for messages ("list hosts"). */
  what: string;
  /**
   * A list answer read record by record from its bytes (record-bytes.ts), never held as one string (its `text` is then
   * empty); `fields` keeps only those members of each record (for a schema that strips unknown keys).
   */
  records?: boolean | { fields: readonly string[] };
  /** With `records`: called when the list's bytes are all in, before they are read (HttpRequest.received). */
  received?: () => void;
  /** With `records`: called with the answer's first bytes before they are read (HttpRequest.peek). */
  peek?: (head: Buffer) => void;
}

export interface FalconRegionState {
  configured: FalconRegion;
  /** The cloud in use now (after any discovery). */
  region: FalconRegion;
  baseUrl: string;
  /** `X-Cs-Region` of the last token answer. */
  reported: string | undefined;
  discovered: DiscoveredRegion | undefined;
}

export interface FalconSessionOptions extends Credentials {
  http: HttpClient;
  baseUrl: string;
  configuredRegion: FalconRegion;
  onRegionDiscovered?: (discovered: DiscoveredRegion) => void | Promise<void>;
}

export interface FalconSession {
  call(call: FalconCall): Promise<HttpResponse>;
  /** Makes sure a token is held; returns it (for the Test's authentication step). */
  authenticate(signal?: AbortSignal): Promise<FalconToken>;
  revoke(signal?: AbortSignal): Promise<void>;
  regionState(): FalconRegionState;
}

export function createFalconSession(options: FalconSessionOptions): FalconSession {
  const { http } = options;
  let baseUrl = options.baseUrl;
  let current: FalconToken | undefined;
  let pending: Promise<FalconToken> | undefined;
  let discovered: DiscoveredRegion | undefined;
  let reported: string | undefined;

  async function moveTo(next: DiscoveredRegion): Promise<void> {
    baseUrl = next.baseUrl;
    discovered = next;
    current = undefined;
    await options.onRegionDiscovered?.(next);
  }

  /** Best effort: a token left behind in the wrong cloud should not linger until it expires. */
  async function revokeStray(atBase: string, token: string): Promise<void> {
    try {
      await revokeToken(http, atBase, options, token);
    } catch {
      // It expires on its own within 30 minutes; the move itself must not fail because of it.
    }
  }

  async function fetchToken(signal?: AbortSignal): Promise<FalconToken> {
    for (let hops = 0; ; hops += 1) {
      const outcome = await requestToken(http, baseUrl, options, signal);
      if (outcome.kind === 'redirect') {
        const next = discoverFromRedirect(outcome.response, '/oauth2/token', baseUrl);
        if (!next || next.baseUrl === baseUrl || hops >= MAX_REGION_HOPS) throw wrongRegion(outcome.response, next);
        await moveTo(next);
        continue;
      }
      const { token } = outcome;
      reported = token.reportedRegion;
      // gofalcon's autodiscovery: a commercial host that names another commercial cloud in X-Cs-Region.
      const named = parseRegion(token.reportedRegion);
      const here = regionOfBase(baseUrl);
      if (isCommercial(named) && isCommercial(here) && named !== here && hops < MAX_REGION_HOPS) {
        const previous = baseUrl;
        await moveTo({ region: named, reported: token.reportedRegion, baseUrl: falconRegionHosts[named], previousBaseUrl: previous });
        await revokeStray(previous, token.accessToken);
        continue;
      }
      return token;
    }
  }

  async function authenticate(signal?: AbortSignal): Promise<FalconToken> {
    const now = http.clock.now();
    if (current && now < current.expiresAt - Math.min(REFRESH_EARLY_MS, current.ttlMs / 4)) return current;
    pending ??= fetchToken(signal).finally(() => {
      pending = undefined;
    });
    const token = await pending;
    current = token;
    return token;
  }

  async function call(c: FalconCall): Promise<HttpResponse> {
    let reauthenticated = false;
    for (let hops = 0; ;) {
      const token = await authenticate(c.signal);
      const requestBase = baseUrl;
      const res = await http.request({
        method: c.method,
        url: `${requestBase}${c.path}`,
        query: c.query,
        json: c.json,
        headers: { authorization: `Bearer ${token.accessToken}` },
        signal: c.signal,
        idempotent: c.idempotent,
        budget: new URL(requestBase).origin,
        ...(c.records ? { decode: recordsDecoder(c.records), received: c.received, peek: c.peek } : {}),
      });
      if (isRedirect(res.status)) {
        const next = discoverFromRedirect(res, c.path, requestBase);
        hops += 1;
        if (!next || next.baseUrl === requestBase || hops > MAX_REGION_HOPS) throw wrongRegion(res, next);
        // Concurrent calls see the same 308; only the first moves, the rest just retry at the new base.
        if (baseUrl === requestBase) {
          await moveTo(next);
          await revokeStray(requestBase, token.accessToken);
        }
        continue;
      }
      if (res.status === 401) {
        if (reauthenticated) throw tokenRejected(res);
        reauthenticated = true;
        if (current?.accessToken === token.accessToken) current = undefined;
        continue;
      }
      if ((c.expect ?? [200]).includes(res.status)) return res;
      throw callFailure(res, c);
    }
  }

  return {
    call,
    authenticate,
    async revoke(signal) {
      const token = current;
      current = undefined;
      if (token) await revokeToken(http, baseUrl, options, token.accessToken, signal);
    },
    regionState: () => ({
      configured: options.configuredRegion,
      region: discovered ? discovered.region : regionOfBase(baseUrl) === 'custom' ? options.configuredRegion : regionOfBase(baseUrl),
      baseUrl,
      reported,
      discovered,
    }),
  };
}

/** GovCloud is never auto-discovered (FalconPy #462): it must be chosen explicitly. */
function isCommercial(region: FalconRegion): region is 'us-1' | 'us-2' | 'eu-1' | 'us-3' {
  return region === 'us-1' || region === 'us-2' || region === 'eu-1' || region === 'us-3';
}

function wrongRegion(res: HttpResponse, next: DiscoveredRegion | undefined): ProviderError {
  return new ProviderError({
    code: 'falcon.wrong_region',
    status: res.status,
    observed: `HTTP ${res.status}${res.headers['x-cs-region'] ? `, X-Cs-Region: ${res.headers['x-cs-region']}` : ''}${next ? `, Location: ${next.baseUrl}` : ''}`,
    message: next
      ? `Falcon keeps redirecting between clouds (${next.previousBaseUrl} → ${next.baseUrl}).`
      : 'Falcon says these credentials belong to another cloud but did not say which.',
    fix: 'Choose the cloud region shown in your Falcon console address (falcon.us-2.crowdstrike.com → us-2; GovCloud must be chosen explicitly).',
  });
}

function tokenRejected(res: HttpResponse): ProviderError {
  return new ProviderError({
    code: 'falcon.token_rejected',
    status: res.status,
    observed: `HTTP ${res.status}${falconErrorText(res) && `: ${falconErrorText(res)}`}`,
    message: 'Falcon rejected a freshly issued token (HTTP 401 twice).',
    fix: 'Check that the region matches the API client’s cloud and that the client was not deleted or reset; then test again.',
  });
}

function recordsDecoder(records: true | { fields: readonly string[] }): (bytes: Buffer) => unknown {
  return records === true ? (bytes) => parseRecordsEnvelope(bytes) : (bytes) => parseRecordsEnvelope(bytes, records.fields);
}

function callFailure(res: HttpResponse, c: FalconCall): ProviderError {
  const text = falconErrorText(res);
  const observed = `HTTP ${res.status}${text ? `: ${text}` : ''}`;
  if (res.status === 403) {
    const { label } = falconScopes[c.scope];
    return new ProviderError({
      code: 'falcon.scope_missing',
      status: res.status,
      scope: label,
      observed,
      message: `Falcon refused to ${c.what} (HTTP 403): the API client lacks the ${label} scope.`,
      fix: addScopeFix(c.scope),
    });
  }
  if (res.status === 400)
    return new ProviderError({
      code: 'falcon.bad_request',
      status: res.status,
      observed,
      message: `Falcon rejected the request to ${c.what} (HTTP 400)${text ? `: ${text}` : ''}.`,
      fix: 'Check the values entered (filters, IOC value for its type, ids); the message above says which one Falcon refused.',
    });
  return new ProviderError({
    code: 'http.unexpected',
    status: res.status,
    observed,
    message: `Falcon answered the request to ${c.what} with HTTP ${res.status}.`,
    fix: 'Try again; if it persists, check the base URL and the Falcon status page.',
  });
}
