// Calls to one Kandji tenant: `Authorization: Bearer <token>` on its US or EU API host, a per-tenant budget of
// 10,000 requests per hour kept client-side, and Kandji's answers (DRF-style {detail}, HTML 404s) as diagnoses.
import type { Clock } from '../clock';
import { ProviderError } from '../diagnosis';
import type { HttpClient, HttpRequest, HttpResponse } from '../http';

export type KandjiRegion = 'us' | 'eu';

/** Kandji's documented budget, shared by every token and integration of the tenant. */
export const KANDJI_REQUESTS_PER_HOUR = 10_000;
const HOUR_MS = 3_600_000;
/** Kept for the tenant's other integrations. */
const RESERVE = 200;

/**
 * The API base of a pasted URL: scheme, host and any path before `/api` (a proxy's prefix), without `/api/v1/...`.
 * `https://acme.api.kandji.io/api/v1/devices` → `https://acme.api.kandji.io`.
 */
export function kandjiApiBase(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/api(\/.*)?$/i, '');
  return `${parsed.origin}${path}`;
}

/** The region a Kandji API host is in, or null for another host (a proxy, the simulator). */
export function kandjiRegionOf(url: string): KandjiRegion | null {
  const host = new URL(url).hostname.toLowerCase();
  if (host.endsWith('.api.eu.kandji.io')) return 'eu';
  if (host.endsWith('.api.kandji.io')) return 'us';
  return null;
}

/**
 * The same tenant's API base in the other region: `acme.api.kandji.io` ↔ `acme.api.eu.kandji.io`; for a base whose
 * last path segment is `us` or `eu` (the simulator's `/kandji/<region>`), that segment swapped. Null otherwise.
 */
export function kandjiOtherRegion(base: string): string | null {
  const url = new URL(base);
  const host = url.hostname.toLowerCase();
  if (host.endsWith('.api.eu.kandji.io'))
    return `${url.protocol}//${host.replace(/\.api\.eu\.kandji\.io$/, '.api.kandji.io')}${url.port ? `:${url.port}` : ''}${url.pathname.replace(/\/$/, '')}`;
  if (host.endsWith('.api.kandji.io'))
    return `${url.protocol}//${host.replace(/\.api\.kandji\.io$/, '.api.eu.kandji.io')}${url.port ? `:${url.port}` : ''}${url.pathname.replace(/\/$/, '')}`;
  const swapped = url.pathname.replace(/\/(us|eu)\/?$/, (_, r: string) => `/${r === 'us' ? 'eu' : 'us'}`);
  return swapped === url.pathname ? null : `${url.origin}${swapped}`;
}

/** Departures in the last hour, per tenant base: one per process, shared by Test and polls. */
class HourlyBudget {
  readonly sent: number[] = [];
  readonly limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }

  async acquire(clock: Clock, signal?: AbortSignal): Promise<void> {
    const now = clock.now();
    while (this.sent.length > 0 && (this.sent[0] ?? 0) <= now - HOUR_MS) this.sent.shift();
    if (this.sent.length >= this.limit - RESERVE) {
      const wait = (this.sent[0] ?? now) + HOUR_MS - now;
      throw new ProviderError({
        code: 'kandji.budget_exhausted',
        message: `This app has used Kandji’s hourly budget for the tenant (${this.limit - RESERVE} of ${this.limit} requests per hour are its share); the next request is allowed in ${Math.ceil(wait / 60_000)} minutes.`,
        fix: 'Poll less often, or check which other integrations use this Kandji tenant’s API; the budget frees up on its own within the hour.',
        retryAt: now + wait,
      });
    }
    if (signal?.aborted) throw new ProviderError({ code: 'net.aborted', message: 'The request to Kandji was cancelled.', fix: 'Run it again when ready.' });
    this.sent.push(now);
  }
}

const budgets = new Map<string, HourlyBudget>();

export interface KandjiCall {
  path: string;
  query?: HttpRequest['query'];
  signal?: AbortSignal;
  expect?: readonly number[];
  what: string;
}

export interface KandjiSession {
  readonly apiBase: string;
  call(call: KandjiCall): Promise<HttpResponse>;
  /** Requests spent on this tenant in the last hour (by this app). */
  requestsThisHour(): number;
}

export function createKandjiSession(options: {
  apiUrl: string;
  getToken: () => Promise<string>;
  http: HttpClient;
  clock?: Clock;
  requestsPerHour?: number;
}): KandjiSession {
  const apiBase = kandjiApiBase(options.apiUrl);
  const clock = options.clock ?? options.http.clock;
  const key = `${apiBase} ${options.requestsPerHour ?? KANDJI_REQUESTS_PER_HOUR}`;
  let budget = budgets.get(key);
  if (!budget) budgets.set(key, (budget = new HourlyBudget(options.requestsPerHour ?? KANDJI_REQUESTS_PER_HOUR)));
  const tenantBudget = budget;
  return {
    apiBase,
    requestsThisHour: () => tenantBudget.sent.filter((t) => t > clock.now() - HOUR_MS).length,
    async call(c) {
      // Admins paste "Bearer abc…" or a token with spaces around it.
      const token = (await options.getToken()).trim().replace(/^Bearer\s+/i, '');
      await tenantBudget.acquire(clock, c.signal);
      const res = await options.http.request({
        method: 'GET',
        url: `${apiBase}/api/v1${c.path}`,
        query: c.query,
        headers: { authorization: `Bearer ${token}` },
        secrets: [token],
        signal: c.signal,
        budget: `kandji ${apiBase}`,
      });
      if (res.status === 200 || (c.expect ?? []).includes(res.status)) return res;
      throw kandjiFailure(res, apiBase, c.what);
    },
  };
}

const TOKEN_PLACE = 'Kandji > Settings > Access > API Token';

export function kandjiFailure(res: HttpResponse, apiBase: string, what: string): ProviderError {
  const host = new URL(apiBase).host;
  const detail = typeof (res.body as { detail?: unknown } | undefined)?.detail === 'string' ? String((res.body as { detail: string }).detail) : '';
  const observed = `HTTP ${res.status}${detail ? `: ${res.redact(detail)}` : res.body === undefined && /^\s*</.test(res.text) ? ' (an HTML page)' : ''}`;
  if (res.status === 401 && /permission/i.test(detail))
    return new ProviderError({
      code: 'kandji.permission_missing',
      status: 401,
      message: `The API token may not ${what}: Kandji answered that the required permissions are missing.`,
      fix: `In ${TOKEN_PLACE}, open this token’s Manage API Permissions and tick Devices → Device list (and Device details), then save.`,
      observed,
    });
  if (res.status === 401 || res.status === 403)
    return new ProviderError({
      code: 'kandji.token_rejected',
      status: res.status,
      message: 'Kandji refused the API token: it is wrong, was revoked or regenerated, or belongs to another tenant.',
      fix: `Create a token in ${TOKEN_PLACE} > Add Token (it is shown once), give it Devices → Device list, and paste it here without the word Bearer.`,
      observed,
    });
  if (res.status === 404)
    return new ProviderError({
      code: 'kandji.not_kandji',
      status: 404,
      message: `${host} answered HTTP 404 to ${what}: no Kandji tenant API here. The subdomain may be mistyped, or the tenant is in the other region (US vs EU).`,
      fix: 'Copy the API URL from Kandji > Settings > Access (it looks like https://yourcompany.api.kandji.io, or https://yourcompany.api.eu.kandji.io for EU tenants).',
      observed,
    });
  return new ProviderError({
    code: 'http.unexpected',
    status: res.status,
    message: `Kandji answered HTTP ${res.status} to ${what}.`,
    fix: 'Try again; if it persists, check Kandji’s status page.',
    observed,
  });
}
