// An HttpClient whose answers a test scripts per endpoint: the product's real clients and parsers run on top of
// it, fed bodies generated from the vendors' specs, with no socket and no time spent (thousands of cases a second).
import type { HttpClient, HttpRequest, HttpResponse } from '../../core/providers/http';

export interface ScriptedAnswer {
  status: number;
  body: unknown;
}

/** `falcon POST /oauth2/token`, `sentinelone GET /agents` — the endpoint keys the recorder produces. */
export type EndpointKey = string;

const S1_PATH = '/web/api/v2.1';
export const SCRIPTED_BASE = 'https://spec-fuzz.invalid';

export function endpointOf(req: Pick<HttpRequest, 'method' | 'url'>): EndpointKey {
  const path = new URL(req.url).pathname;
  // Jamf Pro, Kandji and custom-endpoint clients are pointed at SCRIPTED_BASE/jamf, /kandji and /custom.
  for (const provider of ['jamf', 'kandji', 'custom'] as const)
    if (path.startsWith(`/${provider}/`)) return `${provider} ${req.method} ${path.slice(provider.length + 1)}`;
  // Graph under /v1.0; Entra's token call is tenant-scoped (the tenant is left out of the key).
  if (path.startsWith('/v1.0/')) return `intune ${req.method} ${path}`;
  if (path.endsWith('/oauth2/v2.0/token')) return `intune ${req.method} /oauth2/v2.0/token`;
  return path.startsWith(S1_PATH) ? `sentinelone ${req.method} ${path.slice(S1_PATH.length)}` : `falcon ${req.method} ${path}`;
}

/** A Falcon token for every session (unless the token endpoint itself is the one under test). */
const TOKEN: ScriptedAnswer = { status: 201, body: { access_token: 'scripted-token', expires_in: 1799, token_type: 'bearer' } };
/** An Entra app-only token whose roles claim grants the read permission. */
const ENTRA_TOKEN: ScriptedAnswer = {
  status: 200,
  body: {
    token_type: 'Bearer',
    expires_in: 3599,
    access_token: `e30.${Buffer.from(JSON.stringify({ roles: ['DeviceManagementManagedDevices.Read.All'] })).toString('base64url')}.sig`,
  },
};

export interface ScriptedHttp extends HttpClient {
  /** Requests received per endpoint, for paging assertions and "was it called" checks. */
  calls: Map<EndpointKey, HttpRequest[]>;
}

/** `answer(endpoint, n, req)` gives the n-th (0-based) answer of that endpoint; undefined answers 404. */
export function scriptedHttp(answer: (endpoint: EndpointKey, n: number, req: HttpRequest) => ScriptedAnswer | undefined, now = Date.now): ScriptedHttp {
  const calls = new Map<EndpointKey, HttpRequest[]>();
  return {
    calls,
    clock: { now, sleep: async () => {} },
    clockSkewMs: () => 0,
    close: async () => {},
    async request(req) {
      const key = endpointOf(req);
      // Appended in place: drivers reuse one client for thousands of cases, and a copy per request was quadratic.
      const seen = calls.get(key) ?? [];
      const n = seen.length;
      seen.push(req);
      calls.set(key, seen);
      const scripted =
        answer(key, n, req) ??
        (key === 'falcon POST /oauth2/token'
          ? TOKEN
          : key === 'intune POST /oauth2/v2.0/token'
            ? ENTRA_TOKEN
            : { status: 404, body: { errors: [{ code: 404, message: 'Not Found' }] } });
      const receivedAt = now();
      return {
        status: scripted.status,
        headers: { 'content-type': 'application/json' },
        body: scripted.body,
        // The product quotes text in diagnoses; building it is the cost of a faithful answer.
        get text() {
          return scripted.body === undefined ? '' : JSON.stringify(scripted.body);
        },
        url: req.url,
        serverDate: receivedAt,
        receivedAt,
        elapsedMs: 0,
        attempts: 1,
        redact: (text: string) => text,
      } satisfies HttpResponse;
    },
  };
}
