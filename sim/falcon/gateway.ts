// The Falcon API gateway: region routing (308), bearer auth (401), per-CID rate limits (429), scopes (403).
import type { SimContext } from '../context';
import { Router, type SimReply, type SimRequest } from '../http';
import { RateLimiter } from '../rate-limit';
import type { Surface } from '../surface';
import { alertRoutes } from './alerts';
import { FalconAuth, oauthRoutes } from './auth';
import { fail } from './envelope';
import { hostRoutes } from './hosts';
import { iocRoutes, IocStore } from './iocs';
import { isFalconRegion } from './regions';
import type { FalconCtx, FalconRouteMeta } from './route';
import { ztaRoutes } from './zta';

/** Documented: 15 requests per minute per IP for calls with a missing or expired token. */
const UNAUTHENTICATED_LIMIT = 15;

const STATUS_TEXT: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface FalconGatewayOptions {
  rateLimitPerMinute: number;
  tokenTtlSeconds: number;
}

export class FalconGateway implements Surface {
  readonly listKey = 'resources';
  readonly auth: FalconAuth;
  readonly iocs: IocStore;
  private readonly router = new Router<FalconCtx, FalconRouteMeta>();
  private readonly cidLimiter: RateLimiter;
  /** Counts only, for the headers unauthenticated calls and redirects carry. */
  private readonly unauthenticated: RateLimiter;

  constructor(
    private readonly sim: SimContext,
    options: FalconGatewayOptions,
  ) {
    this.auth = new FalconAuth(options.tokenTtlSeconds);
    this.iocs = new IocStore(sim.seed);
    this.cidLimiter = new RateLimiter(options.rateLimitPerMinute, 60_000, sim.rateNow);
    this.unauthenticated = new RateLimiter(UNAUTHENTICATED_LIMIT, 60_000, sim.rateNow, false);
    for (const r of [...oauthRoutes(sim, this.auth), ...hostRoutes(sim), ...ztaRoutes(sim), ...alertRoutes(sim), ...iocRoutes(this.iocs)]) this.router.add(r);
  }

  routes(): string[] {
    return this.router.list();
  }

  async handle(req: SimRequest): Promise<SimReply> {
    const nowMs = this.sim.now();
    const home = this.sim.homeRegion;
    if (req.region !== undefined) {
      if (!isFalconRegion(req.region)) return fail(req, 404, `unknown region "${req.region}"`);
      if (req.region !== home) return this.redirect(req);
    } else if (this.sim.faults.fire('wrong_region', req)) return this.redirect(req);

    // The Detects API was decommissioned in 2025; its paths now answer 405.
    if (req.apiPath.startsWith('/detects/')) return fail(req, 405, 'Method Not Allowed: the Detects API is decommissioned; use /alerts/queries/alerts/v2');
    const match = this.router.match(req.method, req.apiPath);
    // route_missing: a cloud (or proxy) that does not serve this path, e.g. one without the 2026 endpoints.
    if (match.kind === 'not_found' || this.sim.faults.fire('route_missing', req)) return fail(req, 404, 'Not Found');
    if (match.kind === 'method_not_allowed') return fail(req, 405, 'Method Not Allowed');
    const { route } = match;
    const cid = this.sim.fleet.cid;
    if (!route.meta.scope) return route.handler(req, { nowMs, clientId: '', cid });

    const bearer = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const token = bearer ? this.auth.verify(bearer, nowMs) : undefined;
    if (!token) return this.unauthorized(req);
    // token_expiry: the token dies after `value` (default 1) successful calls, i.e. mid-poll.
    if (this.sim.faults.fire('token_expiry', req, (rule) => token.uses >= (rule.value ?? 1))) {
      this.auth.revoke(token.value);
      return this.unauthorized(req);
    }

    const decision = this.cidLimiter.take(cid);
    const headers = { 'X-RateLimit-Limit': String(decision.limit), 'X-RateLimit-Remaining': String(decision.remaining) };
    if (!decision.allowed) {
      const retryAfter = String(Math.ceil(decision.retryAtMs / 1000));
      return { ...fail(req, 429, 'API rate limit exceeded.'), headers: { ...headers, 'X-RateLimit-RetryAfter': retryAfter } };
    }
    const scope = route.meta.scope;
    // The body never names the missing scope, as on the live API.
    if (!token.scopes.has(scope) || this.sim.faults.fire('missing_scope', req, (rule) => rule.scope === scope))
      return { ...fail(req, 403, 'access denied, authorization failed'), headers };
    token.uses++;
    const reply = await route.handler(req, { nowMs, clientId: token.clientId, cid });
    return { ...reply, headers: { ...headers, ...reply.headers } };
  }

  /** 308 to the same path in the home cloud, as a wrong regional host answers. */
  private redirect(req: SimRequest): SimReply {
    const home = this.sim.homeRegion;
    const isToken = req.apiPath.startsWith('/oauth2/');
    const counted = this.unauthenticated.take(req.ip);
    return {
      status: 308,
      headers: {
        Location: `${this.sim.baseUrl}/region/${home}${req.apiPath}${req.search}`,
        'X-RateLimit-Limit': String(isToken ? 300 : UNAUTHENTICATED_LIMIT),
        'X-RateLimit-Remaining': String(isToken ? 299 : counted.remaining),
      },
      text: '',
    };
  }

  private unauthorized(req: SimRequest): SimReply {
    const counted = this.unauthenticated.take(req.ip);
    return {
      ...fail(req, 401, 'access denied, invalid bearer token'),
      headers: { 'X-RateLimit-Limit': String(UNAUTHENTICATED_LIMIT), 'X-RateLimit-Remaining': String(counted.remaining) },
    };
  }

  rateLimited(req: SimRequest, retryAfterSeconds: number): SimReply {
    return {
      ...fail(req, 429, 'API rate limit exceeded.'),
      headers: {
        'X-RateLimit-Limit': String(this.cidLimiter.limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-RetryAfter': String(Math.ceil(this.sim.rateNow() / 1000) + retryAfterSeconds),
      },
    };
  }

  serverError(req: SimRequest, status: number): SimReply {
    return fail(req, status, STATUS_TEXT[status] ?? 'Internal Server Error');
  }

  decorate(req: SimRequest, reply: SimReply): SimReply {
    return { ...reply, headers: { 'X-Cs-Traceid': req.traceId, 'X-Cs-Region': this.sim.homeRegion, ...reply.headers } };
  }
}
