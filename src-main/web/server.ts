// The loopback web host: the same handler table as the Electron shell, over HTTP + server-sent events.
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import { streamSSE } from 'hono/streaming';
import { dispatch } from '../../src-shared/dispatch';
import type { App } from '../core/app';
import { contentSecurityPolicy } from '../core/csp';
import { hostForUrl, reachableAddresses } from './addresses';
import type { CallContext } from '../../src-shared/schemas/audit';
import { authenticated, hostAndOrigin, sameSecret, SESSION_COOKIE, type Access } from './guards';

export interface WebHostOptions {
  app: App;
  port?: number;
  host?: string;
  /** Built renderer (out/renderer). Without it the API still works. */
  staticDir?: string;
  token?: string;
  maxBodyBytes?: number;
}

export interface WebHost {
  url: string;
  /** The URL to open: the token rides in the fragment, which browsers never send to a server. */
  openUrl: string;
  /** One URL to open per address the host answers on (the machine's addresses for 0.0.0.0). */
  openUrls: string[];
  port: number;
  token: string;
  close(): Promise<void>;
}

const STATUS_BY_CODE: Record<string, 400 | 404 | 422 | 500> = {
  invalid_input: 400,
  unknown_channel: 404,
  internal: 500,
};

/**
 * Built chunks carry a hash of their content in their name (assets/index-CTcRFZtV.js), so a browser may keep them for
 * good and a reopened console compiles from its cache instead of fetching every chunk again; anything else (the page,
 * which names the current chunks) is checked with the server each time.
 */
export function cacheControlOf(path: string): string {
  return /^\/assets\/[^/]+-[\w-]{8}\.(?:js|css)$/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { app } = options;
  const bindHost = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(32).toString('base64url');
  let port = 0;
  const addresses = reachableAddresses(bindHost).map(hostForUrl);
  const access: Access = {
    token,
    sessions: new Set(),
    allowedHosts: () => new Set([`${bindHost}:${port}`, ...addresses.map((a) => `${a.toLowerCase()}:${port}`), `127.0.0.1:${port}`, `localhost:${port}`]),
  };

  // The audit trail names each browser session by an id of its own: the cookie is a credential and never recorded.
  const sessionIds = new Map<string, string>();
  const callerOf = (cookie: string | undefined): CallContext => ({
    surface: 'web',
    session: (cookie !== undefined ? sessionIds.get(cookie) : undefined) ?? 'access token',
  });

  const web = new Hono();
  web.use(
    secureHeaders({
      contentSecurityPolicy: undefined,
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
      crossOriginResourcePolicy: 'same-origin',
    }),
  );
  web.use(async (c, next) => {
    await next();
    c.header('Content-Security-Policy', contentSecurityPolicy);
  });
  web.use(hostAndOrigin(access));
  web.use(
    '/api/*',
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 1024 * 1024,
      onError: (c) => c.json({ ok: false, error: { code: 'too_large', message: 'Request body is too large.' } }, 413),
    }),
  );

  // Exchange the token from the URL fragment for an HttpOnly cookie, so it is not kept in the page.
  web.post('/api/session', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { token?: unknown };
    if (typeof body.token !== 'string' || !sameSecret(body.token, token))
      return c.json({ ok: false, error: { code: 'unauthorized', message: 'The access token is wrong or missing.' } }, 401);
    const session = randomBytes(32).toString('base64url');
    access.sessions.add(session);
    sessionIds.set(session, `web-${randomBytes(6).toString('hex')}`);
    setCookie(c, SESSION_COOKIE, session, { httpOnly: true, sameSite: 'Strict', path: '/' });
    return c.json({ ok: true, value: {} });
  });

  web.use('/api/*', authenticated(access));

  web.post('/api/invoke/:channel', async (c) => {
    const raw = await c.req.json().catch(() => undefined);
    if (raw === undefined) return c.json({ ok: false, error: { code: 'invalid_input', message: 'The request body must be JSON.' } }, 400);
    const envelope = await dispatch(
      app.handlers,
      c.req.param('channel'),
      raw,
      (error, channel) => app.logger.error({ err: error, channel }, 'handler failed'),
      callerOf(getCookie(c, SESSION_COOKIE)),
    );
    if (envelope.ok) return c.json(envelope);
    return c.json(envelope, STATUS_BY_CODE[envelope.error.code] ?? 422);
  });

  web.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      const queue: string[] = [];
      let wake: (() => void) | undefined;
      const stop = app.events.listen((event, payload) => {
        queue.push(JSON.stringify({ event, payload }));
        wake?.();
      });
      stream.onAbort(() => {
        stop();
        wake?.();
      });
      await stream.writeSSE({ event: 'ready', data: '{}' });
      while (!stream.aborted) {
        const next = queue.shift();
        if (next !== undefined) {
          await stream.writeSSE({ event: 'message', data: next });
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 15_000).unref();
        });
        wake = undefined;
        if (queue.length === 0 && !stream.aborted) await stream.writeSSE({ event: 'ping', data: '{}' });
      }
      stop();
    }),
  );

  // A finished CSV export, by id: the browser's download of what `postureLog.export` wrote.
  web.get('/api/exports/:id', async (c) => {
    const file = app.exports.fileOf(c.req.param('id'));
    if (!file) return c.json({ ok: false, error: { code: 'not_found', message: 'No finished export with that id.' } }, 404);
    const id = c.req.param('id');
    const stream = createReadStream(file);
    // Read to the end: the browser has it all, so the copy goes (an aborted download can still be retried).
    stream.once('end', () => app.exports.downloaded(id));
    const body = Readable.toWeb(stream) as ReadableStream;
    return new Response(body, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${basename(file)}"`,
        'cache-control': 'no-store',
      },
    });
  });

  web.all('/api/*', (c) => c.json({ ok: false, error: { code: 'not_found', message: 'No such endpoint.' } }, 404));

  // A page is on its way: the log's worker boots while the page loads, instead of when it first asks for rows.
  web.use('/*', async (_c, next) => {
    app.warmUp();
    await next();
  });
  if (options.staticDir && existsSync(options.staticDir)) {
    web.use('/*', serveStatic({ root: options.staticDir, onFound: (_path, c) => c.header('Cache-Control', cacheControlOf(c.req.path)) }));
    web.get('*', serveStatic({ root: options.staticDir, path: 'index.html', onFound: (_path, c) => c.header('Cache-Control', 'no-cache') }));
  }

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: web.fetch, port: options.port ?? 0, hostname: bindHost }, () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${bindHost}:${port}`;

  return {
    url,
    openUrl: `${url}/#token=${token}`,
    openUrls: addresses.map((a) => `http://${a}:${port}/#token=${token}`),
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        // SSE streams would keep the server open forever.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
