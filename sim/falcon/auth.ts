// OAuth2 client credentials: registered API clients, issued bearer tokens, and the token/revoke endpoints.
import { randomBytes } from 'node:crypto';
import type { SimContext } from '../context';
import type { SimReply, SimRequest } from '../http';
import { RateLimiter } from '../rate-limit';
import { fail, falconMeta } from './envelope';
import { route, type FalconRoute } from './route';
import type { FalconScope } from './scopes';

export interface FalconClientRecord {
  clientId: string;
  clientSecret: string;
  scopes: ReadonlySet<FalconScope>;
}

export interface FalconToken {
  value: string;
  clientId: string;
  scopes: ReadonlySet<FalconScope>;
  expiresAtMs: number;
  /** Successful bearer calls made with this token (drives the token_expiry fault). */
  uses: number;
  revoked: boolean;
}

const CLIENT_ID = /^[0-9a-f]{32}$/i;
/** Documented: /oauth2/token is limited to 300 requests per minute per IP. */
const TOKEN_LIMIT_PER_MINUTE = 300;

export class FalconAuth {
  private readonly clients = new Map<string, FalconClientRecord>();
  private readonly tokens = new Map<string, FalconToken>();
  tokensIssued = 0;

  constructor(private readonly ttlSeconds: number) {}

  addClient(client: { clientId: string; clientSecret: string; scopes: readonly FalconScope[] }): void {
    if (!CLIENT_ID.test(client.clientId)) throw new Error(`Falcon client ids are 32 hex characters; got "${client.clientId}"`);
    if (!client.clientSecret) throw new Error('A Falcon client needs a secret');
    this.clients.set(client.clientId.toLowerCase(), { ...client, clientId: client.clientId.toLowerCase(), scopes: new Set(client.scopes) });
  }

  authenticate(clientId: string, secret: string): FalconClientRecord | undefined {
    const client = this.clients.get(clientId.toLowerCase());
    return client && client.clientSecret === secret ? client : undefined;
  }

  issue(client: FalconClientRecord, nowMs: number): FalconToken {
    if (this.tokens.size > 5_000) this.sweep(nowMs);
    const header = Buffer.from('{"alg":"RS256","kid":"public:simulator","typ":"JWT"}').toString('base64url');
    const claims = Buffer.from(
      JSON.stringify({ client_id: client.clientId, exp: Math.floor(nowMs / 1000) + this.ttlSeconds, jti: randomBytes(8).toString('hex') }),
    ).toString('base64url');
    const token: FalconToken = {
      value: `${header}.${claims}.${randomBytes(48).toString('base64url')}`,
      clientId: client.clientId,
      scopes: client.scopes,
      expiresAtMs: nowMs + this.ttlSeconds * 1000,
      uses: 0,
      revoked: false,
    };
    this.tokens.set(token.value, token);
    this.tokensIssued++;
    return token;
  }

  get ttl(): number {
    return this.ttlSeconds;
  }

  /** The live token behind a bearer value; undefined when unknown, revoked or expired. */
  verify(value: string, nowMs: number): FalconToken | undefined {
    const token = this.tokens.get(value);
    return token && !token.revoked && token.expiresAtMs > nowMs ? token : undefined;
  }

  revoke(value: string): void {
    const token = this.tokens.get(value);
    if (token) token.revoked = true;
  }

  private sweep(nowMs: number): void {
    for (const [value, token] of this.tokens) if (token.revoked || token.expiresAtMs <= nowMs) this.tokens.delete(value);
  }
}

function rateHeaders(limit: number, remaining: number): Record<string, string> {
  return { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(remaining) };
}

/** Printable, bounded echo of a client id for error messages (never the secret). */
function echo(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}

export function oauthRoutes(sim: SimContext, auth: FalconAuth): FalconRoute[] {
  const limiter = new RateLimiter(TOKEN_LIMIT_PER_MINUTE, 60_000, sim.rateNow);

  const limited = (req: SimRequest, run: () => SimReply): SimReply => {
    const decision = limiter.take(req.ip);
    const headers = rateHeaders(decision.limit, decision.remaining);
    if (!decision.allowed) {
      const reply = fail(req, 429, 'API rate limit exceeded.', { poweredBy: 'csam' });
      return { ...reply, headers: { ...headers, 'X-RateLimit-RetryAfter': String(Math.ceil(decision.retryAtMs / 1000)) } };
    }
    const reply = run();
    return { ...reply, headers: { ...headers, ...reply.headers } };
  };

  const token = route('POST', '/oauth2/token', undefined, (req, ctx) =>
    limited(req, () => {
      const form = new URLSearchParams(req.body.toString('utf8'));
      const clientId = form.get('client_id') ?? '';
      const secret = form.get('client_secret') ?? '';
      if (!CLIENT_ID.test(clientId)) return fail(req, 400, `Failed to generate access token for clientID=${echo(clientId)}`, { poweredBy: 'csam' });
      const client = auth.authenticate(clientId, secret);
      if (!client || sim.faults.fire('bad_credentials', req)) return fail(req, 403, 'Failed to issue access token - Not Authorized', { poweredBy: 'csam' });
      const issued = auth.issue(client, ctx.nowMs);
      return { status: 201, json: { access_token: issued.value, expires_in: auth.ttl, token_type: 'bearer' } };
    }),
  );

  const revoke = route('POST', '/oauth2/revoke', undefined, (req) =>
    limited(req, () => {
      const basic = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
      const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      const id = colon < 0 ? '' : decoded.slice(0, colon);
      const secret = colon < 0 ? '' : decoded.slice(colon + 1);
      if (!auth.authenticate(id, secret)) return fail(req, 403, 'access denied, authorization failed', { poweredBy: 'csam' });
      const value = new URLSearchParams(req.body.toString('utf8')).get('token');
      if (!value) return fail(req, 400, 'token is required', { poweredBy: 'csam' });
      auth.revoke(value);
      return { status: 200, json: { meta: falconMeta(req, { poweredBy: 'csam' }), errors: [] } };
    }),
  );

  return [token, revoke];
}
