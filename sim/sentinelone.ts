// SentinelOne Management API v2.1 (paths under /web/api/v2.1): system, agents, token details.
import { z } from 'zod';
import type { SimContext } from './context';
import type { S1Agent } from './fleet';
import { parseJsonBody, Router, type SimReply, type SimRequest } from './http';
import { decodeToken, encodeToken, PositionToken, QueryMemo } from './paging';
import { RateLimiter } from './rate-limit';
import { sortRecords } from './sort';
import type { Surface } from './surface';
import { DAY, canonicalTime, isoFraction } from './time';

export const S1_PREFIX = '/web/api/v2.1';
/** A community SDK's per-token table: /agents at 25 requests per second. */
const AGENTS_PER_SECOND = 25;
const LATEST_AGENT_VERSION = '24.2.3.471';

export interface S1TokenOptions {
  token: string;
  siteScoped?: boolean;
  /** ISO timestamp; default 180 days from start. */
  expiresAt?: string;
}

interface S1Token {
  createdAt: string;
  expiresAt: string;
  siteScoped: boolean;
}

interface S1RouteMeta {
  /** Account-level endpoints refuse site-scoped tokens (unless the route allows scoping by siteIds). */
  accountLevel: boolean;
  public: boolean;
}

function s1Error(status: number, code: number, title: string, detail: string | null): SimReply {
  return { status, json: { errors: [{ code, title, detail }] } };
}

const validation = (detail: string) => s1Error(400, 4000010, 'Validation Error', detail);

const flag = z.enum(['true', 'false']);
const flags = z.string().regex(/^(true|false)(,(true|false))*$/, 'Must be true, false or a comma list of them.');
const isoTime = z.string().refine((v) => canonicalTime(v) !== undefined, 'Must be an ISO-8601 timestamp.');
const count = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name}: Must be an integer.`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name}: Must be between ${min} and ${max}.`);

const AgentsQuery = z
  .object({
    limit: count('limit', 1, 1000).optional(),
    skip: count('skip', 0, 1000).optional(),
    cursor: z.string().optional(),
    countOnly: flag.optional(),
    skipCount: flag.optional(),
    sortBy: z.enum(['id', 'updatedAt', 'createdAt', 'registeredAt', 'lastActiveDate', 'computerName', 'serialNumber']).optional(),
    sortOrder: z.enum(['asc', 'desc']).optional(),
    updatedAt__gt: isoTime.optional(),
    updatedAt__gte: isoTime.optional(),
    updatedAt__lt: isoTime.optional(),
    updatedAt__lte: isoTime.optional(),
    lastActiveDate__gt: isoTime.optional(),
    lastActiveDate__lt: isoTime.optional(),
    isDecommissioned: flags.optional(),
    isActive: flags.optional(),
    isUninstalled: flags.optional(),
    infected: flags.optional(),
    activeThreats: z.string().regex(/^\d+$/).optional(),
    activeThreats__gt: z.string().regex(/^\d+$/).optional(),
    serialNumber__contains: z.string().optional(),
    computerName__contains: z.string().optional(),
    computerName: z.string().optional(),
    ids: z.string().optional(),
    uuids: z.string().optional(),
    uuid: z.string().optional(),
    siteIds: z.string().optional(),
    accountIds: z.string().optional(),
    osTypes: z.string().optional(),
    networkStatuses: z.string().optional(),
    networkStatusesNin: z.string().optional(),
    operationalStates: z.string().optional(),
    query: z.string().optional(),
  })
  .loose();
type AgentsQuery = z.infer<typeof AgentsQuery>;

const TokenDetailsBody = z.object({ data: z.object({ apiToken: z.string().min(1, 'apiToken is required') }) });

const list = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/** Builds the agent predicate from S1's `field__op` filters; undefined when nothing filters. */
function agentFilter(q: AgentsQuery): ((a: S1Agent) => boolean) | undefined {
  const tests: ((a: S1Agent) => boolean)[] = [];
  const time = (field: 'updatedAt' | 'lastActiveDate', value: string | undefined, pass: (cmp: number) => boolean) => {
    const bound = value === undefined ? undefined : canonicalTime(value);
    if (bound)
      tests.push((a) => {
        const t = canonicalTime(a[field]) ?? '';
        return pass(t < bound ? -1 : t > bound ? 1 : 0);
      });
  };
  time('updatedAt', q.updatedAt__gt, (c) => c > 0);
  time('updatedAt', q.updatedAt__gte, (c) => c >= 0);
  time('updatedAt', q.updatedAt__lt, (c) => c < 0);
  time('updatedAt', q.updatedAt__lte, (c) => c <= 0);
  time('lastActiveDate', q.lastActiveDate__gt, (c) => c > 0);
  time('lastActiveDate', q.lastActiveDate__lt, (c) => c < 0);
  const bool = (field: 'isDecommissioned' | 'isActive' | 'isUninstalled' | 'infected', value: string | undefined) => {
    const allowed = list(value);
    if (allowed) tests.push((a) => allowed.includes(String(a[field])));
  };
  bool('isDecommissioned', q.isDecommissioned);
  bool('isActive', q.isActive);
  bool('isUninstalled', q.isUninstalled);
  bool('infected', q.infected);
  const oneOf = (pick: (a: S1Agent) => string, value: string | undefined, negate = false) => {
    const allowed = list(value);
    if (allowed) tests.push((a) => allowed.includes(pick(a)) !== negate);
  };
  oneOf((a) => a.id, q.ids);
  oneOf((a) => a.uuid, q.uuids ?? q.uuid);
  oneOf((a) => a.siteId, q.siteIds);
  oneOf((a) => a.accountId, q.accountIds);
  oneOf((a) => a.osType, q.osTypes);
  oneOf((a) => a.networkStatus, q.networkStatuses);
  oneOf((a) => a.networkStatus, q.networkStatusesNin, true);
  oneOf((a) => a.operationalState, q.operationalStates);
  oneOf((a) => a.computerName, q.computerName);
  // __contains takes a comma list and matches any of its substrings, case-insensitively.
  const contains = (pick: (a: S1Agent) => string, value: string | undefined) => {
    const needles = list(value)?.map((n) => n.toLowerCase());
    if (needles)
      tests.push((a) => {
        const hay = pick(a).toLowerCase();
        return needles.some((n) => hay.includes(n));
      });
  };
  contains((a) => a.serialNumber, q.serialNumber__contains);
  contains((a) => a.computerName, q.computerName__contains);
  contains((a) => `${a.computerName} ${a.serialNumber} ${a.uuid} ${a.externalIp} ${a.lastLoggedInUserName}`, q.query);
  if (q.activeThreats !== undefined) tests.push((a) => a.activeThreats === Number(q.activeThreats));
  if (q.activeThreats__gt !== undefined) tests.push((a) => a.activeThreats > Number(q.activeThreats__gt));
  return tests.length === 0 ? undefined : (a) => tests.every((t) => t(a));
}

export class SentinelOneApi implements Surface {
  readonly listKey = 'data';
  private readonly tokens = new Map<string, S1Token>();
  private readonly router = new Router<void, S1RouteMeta>();
  private readonly limiter: RateLimiter;
  private readonly memo = new QueryMemo<S1Agent[]>();

  constructor(private readonly sim: SimContext) {
    this.limiter = new RateLimiter(AGENTS_PER_SECOND, 1_000, sim.rateNow);
    const add = (method: string, path: string, meta: S1RouteMeta, handler: (req: SimRequest) => SimReply) => this.router.add({ method, path, meta, handler });
    add('GET', '/system/status', { public: true, accountLevel: false }, () => ({ status: 200, json: { data: { health: 'ok' } } }));
    add('GET', '/system/info', { public: false, accountLevel: true }, () => ({
      status: 200,
      json: { data: { build: 'ga', version: 'Y SP1', release: 'Y', patch: '1', latestAgentVersion: LATEST_AGENT_VERSION } },
    }));
    add('GET', '/agents', { public: false, accountLevel: true }, (req) => this.agents(req));
    add('GET', '/agents/count', { public: false, accountLevel: true }, (req) => this.agentCount(req));
    add('POST', '/users/api-token-details', { public: false, accountLevel: false }, (req) => this.tokenDetails(req));
  }

  routes(): string[] {
    return this.router.list();
  }

  addToken(options: S1TokenOptions): void {
    const nowMs = this.sim.now();
    if (options.expiresAt !== undefined && Number.isNaN(Date.parse(options.expiresAt)))
      throw new Error(`expiresAt must be an ISO timestamp; got "${options.expiresAt}"`);
    this.tokens.set(options.token, {
      createdAt: isoFraction(nowMs - 30 * DAY, 6, 0),
      expiresAt: options.expiresAt ?? isoFraction(nowMs + 180 * DAY, 6, 0),
      siteScoped: options.siteScoped ?? false,
    });
  }

  handle(req: SimRequest): SimReply | Promise<SimReply> {
    const match = this.router.match(req.method, req.apiPath);
    if (match.kind === 'not_found') return s1Error(404, 4040010, 'Resource not found', `${req.rawPath} does not exist`);
    if (match.kind === 'method_not_allowed') return s1Error(405, 4050010, 'Method Not Allowed', null);
    const { route } = match;
    if (route.meta.public) return route.handler(req);

    const value = /^ApiToken\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const token = value ? this.tokens.get(value) : undefined;
    const nowMs = this.sim.now();
    if (!token) return s1Error(401, 4010010, 'Authentication Failed', null);
    if (Date.parse(token.expiresAt) <= nowMs || this.sim.faults.fire('s1_token_expired', req))
      return s1Error(401, 4010010, 'Authentication Failed', 'API token has expired');
    const siteScoped = token.siteScoped || this.sim.faults.fire('s1_site_scoped', req) !== undefined;
    // A site-scoped token may list agents when it names its sites; other account-level calls are refused.
    const scopedBySite = req.apiPath.startsWith('/agents') && (req.query.get('siteIds') ?? '') !== '';
    if (siteScoped && route.meta.accountLevel && !scopedBySite) return s1Error(403, 4030010, 'Insufficient permissions', 'Action is not allowed to site users');
    if (req.apiPath.startsWith('/agents') && value) {
      const decision = this.limiter.take(value);
      if (!decision.allowed) return this.rateLimited(req, Math.max(1, Math.ceil((decision.retryAtMs - this.sim.rateNow()) / 1000)));
    }
    return route.handler(req);
  }

  /** Parses the query and selects agents: a total plus a way to read any slice of the ordered result. */
  private select(
    req: SimRequest,
  ): { ok: true; query: AgentsQuery; total: number; slice: (start: number, end: number) => S1Agent[] } | { ok: false; reply: SimReply } {
    const parsed = AgentsQuery.safeParse(Object.fromEntries(req.query));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      const message = issue?.message ?? 'Invalid query';
      return { ok: false, reply: validation(message.startsWith(`${field}:`) ? message : `${field}: ${message}`) };
    }
    const q = parsed.data;
    const fleet = this.sim.fleet;
    const predicate = agentFilter(q);
    const sortBy = q.sortBy ?? 'id';
    const descending = q.sortOrder === 'desc';
    if (!predicate && sortBy === 'id' && !descending) {
      // Unfiltered and id-ordered: page straight off registration order without building every record.
      const slice = (start: number, end: number) => {
        const out: S1Agent[] = [];
        for (let k = start; k < end; k++) {
          const agent = fleet.agentAt(k);
          if (agent) out.push(agent);
        }
        return out;
      };
      return { ok: true, query: q, total: fleet.agentCount, slice };
    }
    const key = JSON.stringify({ ...q, limit: undefined, skip: undefined, cursor: undefined, countOnly: undefined });
    const rows = this.memo.get(key, fleet.version, () =>
      sortRecords(predicate ? fleet.agents.filter(predicate) : [...fleet.agents], { path: [sortBy], descending }),
    );
    return { ok: true, query: q, total: rows.length, slice: (start, end) => rows.slice(start, end) };
  }

  private agents(req: SimRequest): SimReply {
    const selected = this.select(req);
    if (!selected.ok) return selected.reply;
    const { query: q, total } = selected;
    if (q.countOnly === 'true') return { status: 200, json: { data: [], pagination: { totalItems: total, nextCursor: null } } };
    let start = q.skip ?? 0;
    if (q.cursor) {
      const position = decodeToken('', q.cursor, PositionToken);
      if (!position) return validation('cursor: Invalid cursor.');
      start = position.p;
    }
    const end = Math.min(total, start + (q.limit ?? 10));
    const data = start < end ? selected.slice(start, end) : [];
    // nextCursor is null on the last page: that is how callers know to stop.
    return { status: 200, json: { data, pagination: { totalItems: total, nextCursor: end < total ? encodeToken('', { p: end }) : null } } };
  }

  private agentCount(req: SimRequest): SimReply {
    const selected = this.select(req);
    return selected.ok ? { status: 200, json: { data: { total: selected.total } } } : selected.reply;
  }

  private tokenDetails(req: SimRequest): SimReply {
    const body = parseJsonBody(req.body, TokenDetailsBody);
    if (!body.ok) return validation(body.message);
    const token = this.tokens.get(body.value.data.apiToken);
    if (!token) return validation('apiToken: Invalid API token.');
    const expiring = this.sim.faults.fire('s1_token_expiring', req);
    const expiresAt = expiring ? isoFraction(this.sim.now() + 5 * DAY, 6, 0) : token.expiresAt;
    return { status: 200, json: { data: { createdAt: token.createdAt, expiresAt } } };
  }

  rateLimited(_req: SimRequest, retryAfterSeconds: number): SimReply {
    return {
      ...s1Error(429, 4290010, 'Too Many Requests', 'Rate limit exceeded; retry after the number of seconds in Retry-After.'),
      headers: { 'Retry-After': String(retryAfterSeconds) },
    };
  }

  serverError(_req: SimRequest, status: number): SimReply {
    return s1Error(status, status * 10_000 + 10, 'Server Error', null);
  }

  decorate(_req: SimRequest, reply: SimReply): SimReply {
    return reply;
  }
}
