// Jamf Pro API (under /api): OAuth client credentials, jamf-pro-version and computers-inventory v1-v4 with
// page/page-size paging, sections, privileges ("Read Computers") and the faults an admin meets.
import type { SimContext } from '../context';
import { Router, type SimReply, type SimRequest } from '../http';
import { mdmMembership, type MdmMembership } from '../mdm-members';
import { deriveSeed, Random } from '../prng';
import type { Surface } from '../surface';
import { jamfComputer, jamfSections, shapeComputer, type InventoryVersion, type JamfSection } from './records';

export const JAMF_SERVER_VERSION = '11.30.1-t1784555528405';
/** What a server without the v4 endpoint reports (11.29 had v3 as the newest). */
const OLD_SERVER_VERSION = '11.29.2-t1779452036112';
export const READ_COMPUTERS = 'Read Computers';
const MAX_PAGE_SIZE = 2_000;

export interface JamfClientOptions {
  clientId: string;
  clientSecret: string;
  /** Privileges of the client's API roles; default ["Read Computers"]. */
  privileges?: string[];
}

interface Token {
  clientId: string;
  expiresAtMs: number;
}

const apiError = (status: number, code: string, description: string): SimReply => ({
  status,
  json: { httpStatus: status, errors: [{ code, field: null, description, id: '0' }] },
});

/** Tomcat's page for a path it does not serve: some Jamf 404s are HTML, never assume JSON. */
const tomcat404: SimReply = {
  status: 404,
  headers: { 'Content-Type': 'text/html;charset=utf-8' },
  text: '<!doctype html><html lang="en"><head><title>HTTP Status 404 – Not Found</title></head><body><h1>HTTP Status 404 – Not Found</h1></body></html>',
};

export class JamfApi implements Surface {
  readonly listKey = 'results';
  private readonly clients = new Map<string, { secret: string; privileges: string[] }>();
  private readonly tokens = new Map<string, Token>();
  private readonly router = new Router<void>();
  private membership: MdmMembership | undefined;
  private computers: Record<string, unknown>[] | undefined;
  tokensIssued = 0;

  // Fields assigned in the body: strip-only TypeScript (the crash test's child) cannot load parameter properties.
  private readonly sim: SimContext;
  private readonly tokenTtlSeconds: number;

  constructor(sim: SimContext, tokenTtlSeconds: number) {
    this.sim = sim;
    this.tokenTtlSeconds = tokenTtlSeconds;
    const add = (method: string, path: string, handler: (req: SimRequest) => SimReply) => this.router.add({ method, path, meta: undefined, handler });
    add('POST', '/api/oauth/token', (req) => this.token(req));
    add('POST', '/api/v1/oauth/token', (req) => this.token(req));
    add('GET', '/api/v1/jamf-pro-version', (req) => this.authed(req, () => ({ status: 200, json: { version: this.serverVersion(req) } }), false));
    for (const v of [1, 2, 3, 4] as const) add('GET', `/api/v${v}/computers-inventory`, (req) => this.authed(req, () => this.inventory(req, v), true));
  }

  routes(): string[] {
    return this.router.list();
  }

  addClient(client: JamfClientOptions): void {
    this.clients.set(client.clientId, { secret: client.clientSecret, privileges: client.privileges ?? [READ_COMPUTERS] });
  }

  /** The machines Jamf manages, and the fleet's gaps (built on first use). */
  members(): MdmMembership {
    return (this.membership ??= mdmMembership(this.sim.fleet, 'jamf', this.sim.now()));
  }

  private all(): Record<string, unknown>[] {
    const now = this.sim.now();
    return (this.computers ??= this.members().members.map((m) => jamfComputer(m, String(m.index + 1), now)));
  }

  handle(req: SimRequest): SimReply | Promise<SimReply> {
    // A base URL with /api typed twice, or a version the server lacks, lands here.
    const newest = this.newestVersion(req);
    const version = /^\/api\/v(\d)\/computers-inventory/.exec(req.apiPath)?.[1];
    if (version !== undefined && Number(version) > newest) return apiError(404, 'NOT_FOUND', 'Resource not found');
    const match = this.router.match(req.method, req.apiPath);
    if (match.kind === 'not_found') return tomcat404;
    if (match.kind === 'method_not_allowed') return apiError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed');
    return match.route.handler(req, undefined);
  }

  private newestVersion(req: SimRequest): InventoryVersion {
    const old = this.sim.faults.fire('jamf_old_server', req, () => true);
    return old ? ((old.value ?? 3) as InventoryVersion) : 4;
  }

  private serverVersion(req: SimRequest): string {
    return this.newestVersion(req) < 4 ? OLD_SERVER_VERSION : JAMF_SERVER_VERSION;
  }

  private token(req: SimRequest): SimReply {
    const form = new URLSearchParams(req.body.toString('utf8'));
    const oauthError = (status: number, error: string, description: string): SimReply => ({
      status,
      json: { error, error_description: description, error_uri: 'https://datatracker.ietf.org/doc/html/rfc6749#section-5.2' },
    });
    if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'OAuth 2.0 Parameter: grant_type');
    const clientId = form.get('client_id') ?? '';
    const client = this.clients.get(clientId);
    if (!client || client.secret !== form.get('client_secret') || this.sim.faults.fire('jamf_bad_credentials', req))
      return oauthError(401, 'invalid_client', 'Client authentication failed');
    const accessToken = `eyJhbGciOiJIUzI1NiJ9.${new Random(deriveSeed(this.sim.seed, `jamf-token:${this.tokensIssued}`)).hex(48)}`;
    this.tokensIssued++;
    this.tokens.set(accessToken, { clientId, expiresAtMs: this.sim.now() + this.tokenTtlSeconds * 1000 });
    return { status: 200, json: { access_token: accessToken, scope: 'api-role:7', token_type: 'Bearer', expires_in: this.tokenTtlSeconds } };
  }

  private authed(req: SimRequest, handler: () => SimReply, needsReadComputers: boolean): SimReply {
    const value = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const token = value ? this.tokens.get(value) : undefined;
    if (!token || token.expiresAtMs <= this.sim.now() || this.sim.faults.fire('jamf_token_expired', req)) return apiError(401, 'INVALID_TOKEN', 'Unauthorized');
    const privileges = this.clients.get(token.clientId)?.privileges ?? [];
    if (needsReadComputers && (!privileges.includes(READ_COMPUTERS) || this.sim.faults.fire('jamf_missing_role', req)))
      return apiError(403, 'INVALID_PRIVILEGE', 'Forbidden');
    return handler();
  }

  private inventory(req: SimRequest, version: InventoryVersion): SimReply {
    const q = req.query;
    const page = Number(q.get('page') ?? '0');
    const size = Number(q.get('page-size') ?? '100');
    if (!Number.isInteger(page) || page < 0) return apiError(400, 'INVALID_FIELD', 'page must be a non-negative integer');
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) return apiError(400, 'INVALID_FIELD', `page-size must be between 1 and ${MAX_PAGE_SIZE}`);
    const asked = q
      .getAll('section')
      .flatMap((s) => s.split(','))
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean);
    const unknown = asked.find((s) => !(jamfSections as readonly string[]).includes(s) && !(version === 1 && (s === 'PLUGINS' || s === 'FONTS')));
    if (unknown) return apiError(400, 'INVALID_FIELD', `Unknown section ${unknown}`);
    const sections = new Set<JamfSection>((asked.length ? asked : ['GENERAL']) as JamfSection[]);
    let rows = this.all();
    const filter = q.get('filter');
    if (filter) {
      const serial = /^hardware\.serialNumber=="?([^"]*)"?$/.exec(filter)?.[1];
      if (serial === undefined) return apiError(400, 'INVALID_FILTER', 'Only hardware.serialNumber== filters are simulated');
      rows = rows.filter((c) => String((c.hardware as Record<string, unknown>).serialNumber).toLowerCase() === serial.toLowerCase());
    }
    const sort = q.get('sort') ?? 'general.name:asc';
    rows = sortComputers(rows, sort);
    const slice = rows.slice(page * size, page * size + size).map((c) => shapeComputer(c, version, sections));
    return { status: 200, json: { totalCount: rows.length, results: slice } };
  }

  rateLimited(): SimReply {
    // Jamf Cloud's edge under load: no Retry-After, no rate headers.
    return { status: 429, headers: { 'Content-Type': 'text/html' }, text: '<html><body><h1>429 Too Many Requests</h1></body></html>' };
  }

  serverError(_req: SimRequest, status: number): SimReply {
    return apiError(status, 'SERVER_ERROR', 'Internal server error');
  }

  decorate(_req: SimRequest, reply: SimReply): SimReply {
    return reply;
  }
}

function sortComputers(rows: Record<string, unknown>[], sort: string): Record<string, unknown>[] {
  const [field = 'general.name', dir = 'asc'] = (sort.split(',')[0] ?? '').split(':');
  const value = (c: Record<string, unknown>): string | number => {
    if (field === 'id') return Number(c.id);
    if (field === 'udid') return String(c.udid);
    const general = c.general as Record<string, unknown>;
    return String(general.name ?? '').toLowerCase();
  };
  const sign = dir === 'desc' ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    return (va < vb ? -1 : va > vb ? 1 : Number(a.id) - Number(b.id)) * sign;
  });
}
