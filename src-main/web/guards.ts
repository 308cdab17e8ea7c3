// Who may talk to the web host: the right Host (no DNS rebinding), the right Origin (no cross-site
// requests), and a holder of the access token (bearer) or of the session cookie it was exchanged for.
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'pc_session';

export interface Access {
  /** host:port values the server answers to, e.g. 127.0.0.1:5123 and localhost:5123 */
  allowedHosts: () => Set<string>;
  token: string;
  sessions: Set<string>;
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function problem(code: string, message: string) {
  return { ok: false, error: { code, message } } as const;
}

export function hostAndOrigin(access: Access): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host') ?? '';
    if (!access.allowedHosts().has(host.toLowerCase())) return c.json(problem('forbidden_host', `Host '${host}' is not served here.`), 403);
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      let originHost = '';
      try {
        const url = new URL(origin);
        originHost = url.protocol === 'http:' ? url.host : '';
      } catch {
        // an unparseable Origin is treated as foreign
      }
      if (!access.allowedHosts().has(originHost.toLowerCase())) return c.json(problem('forbidden_origin', 'Cross-origin requests are refused.'), 403);
    }
    await next();
  };
}

export function authenticated(access: Access): MiddlewareHandler {
  return async (c, next) => {
    const bearer = c.req.header('authorization')?.match(/^Bearer (.+)$/)?.[1];
    const session = getCookie(c, SESSION_COOKIE);
    const ok = (bearer !== undefined && sameSecret(bearer, access.token)) || (session !== undefined && access.sessions.has(session));
    if (!ok) return c.json(problem('unauthorized', 'Open the console with the URL printed by `posture-console serve` (it carries the access token).'), 401);
    await next();
  };
}
