// A loopback Entra sign-in + Graph managedDevices server over the shared fleet, speaking the wire format of
// shared/reference/intune-graph-api.md, with the failures an admin meets switchable per run.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan, normalizeFaults, type FaultRule } from '../faults';
import { FleetStore, type Fleet } from '../fleet';
import type { SimExchange } from '../server';
import { intuneDevices, type IntuneDevice } from './devices';

export const INTUNE_READ = 'DeviceManagementManagedDevices.Read.All';

/** Failures to imitate (reference §8 and §11). */
export interface IntuneFaults {
  /** AADSTS90002 for every tenant. */
  tenantNotFound?: boolean;
  /** AADSTS7000222 on the token call. */
  expiredSecret?: boolean;
  /** Tokens without roles; Graph answers 403 with Intune's double-encoded message. */
  missingConsent?: boolean;
  /** Every nth Graph request answers 429, with or without Retry-After (seconds). */
  throttle?: { every: number; retryAfterSeconds?: number };
  /** The device list stops after this many pages (no nextLink), while @odata.count tells the truth. */
  cutShortAfterPages?: number;
  /** This Graph belongs to another national cloud: tokens carry an audience it refuses (401 Invalid audience). */
  wrongCloud?: boolean;
}

export interface IntuneSimOptions {
  port?: number;
  /** Fleet hosts to generate when no fleet is given (default 200, same generator as Falcon/S1). */
  devices?: number;
  seed?: number;
  fleet?: Fleet;
  pageSize?: number;
  latencyMs?: number;
  faults?: IntuneFaults;
  /** The shared fault grammar (sim/faults.ts): intune_* kinds, e.g. `intune_rate_limit:0.2,intune_secret_expired`. */
  faultRules?: string | readonly FaultRule[];
  now?: () => number;
  /** Every Graph answer as it is sent (the spec judges these; Entra's sign-in is not in the Graph spec). */
  onExchange?: (exchange: SimExchange) => void;
}

export interface IntuneSimulator {
  /** Both the login and the Graph host (use as loginUrl and graphUrl with cloud: custom). */
  url: string;
  credentials: { tenantId: string; clientId: string; clientSecret: string };
  devices: readonly IntuneDevice[];
  faults: IntuneFaults;
  /** Requests served per path kind, for tests. */
  requests: { token: number; graph: number; throttled: number };
  close(): Promise<void>;
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const SECRET = 'sim~intune-secret-value-0001';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Where each answer is reported, per response (set by the handler for Graph requests). */
const reporters = new WeakMap<ServerResponse, (status: number, text: string) => void>();

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  reporters.get(res)?.(status, JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', date: new Date().toUTCString(), ...headers });
  res.end(JSON.stringify(body));
}

function tokenError(res: ServerResponse, status: number, error: string, code: number, text: string) {
  send(res, status, {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: 0000 Correlation ID: 0000 Timestamp: 2026-12-06 00:00:00Z`,
    error_codes: [code],
    timestamp: '2026-12-06 00:00:00Z',
    trace_id: '00000000-0000-0000-0000-000000000000',
    correlation_id: '00000000-0000-0000-0000-000000000000',
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}

function graphError(res: ServerResponse, status: number, code: string, message: string) {
  // Intune's quirk: the message is itself JSON (reference §7).
  const inner = JSON.stringify({
    _version: 3,
    Message: `${message} - Operation ID (for customer support): 0000 - Activity ID: 0000 - Url: https://fef.sim/`,
    CustomApiErrorPhrase: '',
    RetryAfter: null,
    ErrorSourceService: '',
    HttpHeaders: '{}',
  });
  send(res, status, {
    error: { code, message: inner, innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), 'request-id': '0000', 'client-request-id': '0000' } },
  });
}

/** A 429 with Intune's error blob; Retry-After only when asked for (Intune often omits it). */
function sendThrottled(res: ServerResponse, retryAfterSeconds: number | undefined) {
  const inner = JSON.stringify({
    _version: 3,
    Message: 'Too many requests.',
    CustomApiErrorPhrase: '',
    RetryAfter: null,
    ErrorSourceService: '',
    HttpHeaders: '{}',
  });
  send(res, 429, { error: { code: 'TooManyRequests', message: inner } }, retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {});
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startIntuneSimulator(options: IntuneSimOptions = {}): Promise<IntuneSimulator> {
  const now = options.now ?? Date.now;
  const fleet =
    options.fleet ??
    new FleetStore({ devices: options.devices ?? 200, seed: options.seed ?? 1, nowMs: now(), alerts: 0, consoleHost: 'falcon.crowdstrike.com' });
  const devices = intuneDevices(fleet, now());
  const pageSize = options.pageSize ?? 1000;
  const faults: IntuneFaults = { ...options.faults };
  const plan = new FaultPlan(normalizeFaults(options.faultRules ?? []), options.seed ?? 1);
  /** The first rule of this kind that hits the request (the grammar's route, rate and count apply). */
  const rule = (kind: FaultRule['kind'], path: string) => plan.fire(kind, { apiPath: path, rawPath: path });
  const tokens = new Map<string, { roles: string[]; audience: string }>();
  const requests = { token: 0, graph: 0, throttled: 0 };
  let url = '';

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const u = new URL(req.url ?? '/', url);
    if (options.onExchange && u.pathname.startsWith('/v1.0/'))
      reporters.set(res, (status, text) =>
        options.onExchange!({ provider: 'intune', method: req.method ?? 'GET', apiPath: u.pathname, rawPath: u.pathname, status, body: text, faults: [] }),
      );
    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(u.pathname);
    const metadataPath = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(u.pathname);
    if (metadataPath) {
      const tenant = decodeURIComponent(metadataPath[1]!);
      if (faults.tenantNotFound || rule('intune_tenant_not_found', u.pathname) || (tenant !== TENANT && tenant !== 'contoso.onmicrosoft.com'))
        return tokenError(res, 400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
      return send(res, 200, { issuer: `${url}/${TENANT}/v2.0`, token_endpoint: `${url}/${TENANT}/oauth2/v2.0/token` });
    }
    if (tokenPath && req.method === 'POST') {
      requests.token++;
      const tenant = decodeURIComponent(tokenPath[1]!);
      const form = await readForm(req);
      if (faults.tenantNotFound || rule('intune_tenant_not_found', u.pathname) || (tenant !== TENANT && tenant !== 'contoso.onmicrosoft.com'))
        return tokenError(res, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`);
      if (form.get('client_id') !== CLIENT)
        return tokenError(res, 400, 'unauthorized_client', 700016, `Application with identifier '${form.get('client_id')}' was not found in the directory.`);
      if (form.get('scope') !== `${url}/.default`) return tokenError(res, 400, 'invalid_scope', 1002012, 'The provided value for scope is not valid.');
      if (faults.expiredSecret || rule('intune_secret_expired', u.pathname))
        return tokenError(res, 401, 'invalid_client', 7000222, `The provided client secret keys for app '${CLIENT}' are expired.`);
      if (form.get('client_secret') !== SECRET) return tokenError(res, 401, 'invalid_client', 7000215, 'Invalid client secret provided.');
      const roles = faults.missingConsent || rule('intune_consent_missing', u.pathname) ? [] : [INTUNE_READ];
      const audience = faults.wrongCloud || rule('intune_wrong_cloud', u.pathname) ? 'https://graph.microsoft.us' : url;
      const accessToken = `${b64({ typ: 'JWT', alg: 'none' })}.${b64({ aud: audience, tid: TENANT, appid: CLIENT, ...(roles.length ? { roles } : {}) })}.sim${tokens.size}`;
      tokens.set(accessToken, { roles, audience });
      return send(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
    }
    if (u.pathname === '/v1.0/deviceManagement/managedDevices' && req.method === 'GET') {
      requests.graph++;
      if (faults.throttle && requests.graph % faults.throttle.every === 0) {
        requests.throttled++;
        return sendThrottled(res, faults.throttle.retryAfterSeconds);
      }
      const storm = rule('intune_rate_limit', u.pathname);
      if (storm) {
        requests.throttled++;
        return sendThrottled(res, storm.value);
      }
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = auth ? tokens.get(auth) : undefined;
      if (!token) return send(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } });
      if (token.audience !== url)
        return send(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid audience.' } });
      if (!token.roles.includes(INTUNE_READ))
        return graphError(
          res,
          403,
          'Forbidden',
          `Application is not authorized to perform this operation. Application must have one of the following scopes: ${INTUNE_READ}, DeviceManagementManagedDevices.ReadWrite.All`,
        );
      const top = Math.min(pageSize, Number(u.searchParams.get('$top') ?? pageSize) || pageSize);
      const skip = Number(u.searchParams.get('$skiptoken') ?? 0) || 0;
      const select = u.searchParams.get('$select')?.split(',');
      const page = devices
        .slice(skip, skip + top)
        .map((d) => (select ? Object.fromEntries(select.map((f) => [f, (d as unknown as Record<string, unknown>)[f] ?? null])) : d));
      const pageIndex = Math.floor(skip / top);
      const cut = faults.cutShortAfterPages ?? plan.peekValue('intune_paging_cut');
      const more = skip + top < devices.length && !(cut !== undefined && pageIndex + 1 >= cut);
      const next = new URL(u.toString());
      next.searchParams.set('$skiptoken', String(skip + top));
      next.searchParams.delete('$count');
      return send(res, 200, {
        '@odata.context': `${url}/v1.0/$metadata#deviceManagement/managedDevices`,
        ...(u.searchParams.get('$count') === 'true' ? { '@odata.count': devices.length } : {}),
        ...(more ? { '@odata.nextLink': next.toString() } : {}),
        value: page,
      });
    }
    if (u.pathname === '/') return send(res, 200, {});
    return graphError(res, 404, 'ResourceNotFound', `No route ${req.method} ${u.pathname}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: { code: 'InternalServerError', message: 'simulator error' } }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    credentials: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET },
    devices,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
