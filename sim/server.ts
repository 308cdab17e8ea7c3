// The loopback HTTP server: routes each request to a provider surface and applies the generic faults.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnswerRewrite, SimContext } from './context';
import { serializeJson, type SimReply, type SimRequest } from './http';
import { S1_PREFIX } from './sentinelone';
import { deriveSeed, Random } from './prng';
import type { Surface } from './surface';
import { variesRoute, withVariance } from './variance';

/** Bodies beyond this are refused; nothing the providers accept comes close. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface SimStats {
  requests: number;
  byRoute: Record<string, number>;
  status429: number;
  /** Most requests in flight at once per provider (Jamf asks for at most 5). */
  peakConcurrency: Partial<Record<SimProvider, number>>;
}

/** One request and the answer the simulator sent, as a test's recorder sees it. */
/** The APIs one simulator serves; each is judged by its own spec. */
export type SimProvider = 'falcon' | 'sentinelone' | 'intune' | 'jamf' | 'kandji' | 'custom';

/**
 * An API served under a path prefix of the one loopback origin (`/jamf/api/...`, `/kandji/us/api/v1/...`): the
 * prefix (and, when `regional`, the region segment after it) is removed before the surface routes the request.
 */
export interface Mount {
  provider: Exclude<SimProvider, 'falcon' | 'sentinelone' | 'intune'>;
  prefix: string;
  regional?: boolean;
  surface: Surface;
}

export interface SimExchange {
  /** `intune` exchanges come from the Intune simulator (sim/intune), Graph answers only. */
  provider: SimProvider;
  method: string;
  /** Path inside the API (`/region/<name>` and `/web/api/v2.1` removed). */
  apiPath: string;
  rawPath: string;
  status: number;
  /** The body as sent (possibly cut by `malformed_json`). */
  body: string;
  /** The fault kinds that shaped this answer. */
  faults: string[];
}

export interface Surfaces {
  falcon: Surface;
  sentinelOne: Surface;
}

export class SimServer {
  readonly stats: SimStats = { requests: 0, byRoute: {}, status429: 0, peakConcurrency: {} };
  private readonly inFlight = new Map<SimProvider, number>();
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closing = false;
  /** Answers the variance fault changed so far: each draws its own seeded stream, in request order. */
  private variedAnswers = 0;

  constructor(
    private readonly sim: SimContext,
    private readonly surfaces: Surfaces,
    private readonly latencyMs: number,
    private readonly onExchange?: (exchange: SimExchange) => void,
    private readonly mounts: readonly Mount[] = [],
  ) {
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(`simulator error: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
    });
    // Clients may keep connections open between polls; the server must not time them out mid-test.
    this.server.keepAliveTimeout = 60_000;
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      // Loopback only: the simulator never listens on an external interface.
      this.server.listen(port, '127.0.0.1', () => resolve((this.server.address() as AddressInfo).port));
    });
  }

  resetStats(): void {
    this.stats.requests = 0;
    this.stats.byRoute = {};
    this.stats.status429 = 0;
    this.stats.peakConcurrency = {};
  }

  /** Stops listening and destroys every connection, including requests a `hang` fault is holding. */
  close(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async serve(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    const mount = this.mountOf(new URL(incoming.url ?? '/', 'http://127.0.0.1').pathname);
    const provider: SimProvider = mount?.provider ?? (isS1Path(incoming.url ?? '/') ? 'sentinelone' : 'falcon');
    const flying = (this.inFlight.get(provider) ?? 0) + 1;
    this.inFlight.set(provider, flying);
    this.stats.peakConcurrency[provider] = Math.max(this.stats.peakConcurrency[provider] ?? 0, flying);
    try {
      await this.serveAs(incoming, res, provider, mount);
    } finally {
      this.inFlight.set(provider, (this.inFlight.get(provider) ?? 1) - 1);
    }
  }

  private mountOf(path: string): Mount | undefined {
    return this.mounts.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
  }

  private async serveAs(incoming: IncomingMessage, res: ServerResponse, provider: SimProvider, mount: Mount | undefined): Promise<void> {
    const req = await this.parse(incoming, mount);
    if (!req) {
      res.writeHead(413, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":413,"message":"request body too large"}]}');
      return;
    }
    const isS1 = provider === 'sentinelone';
    const surface = mount ? mount.surface : isS1 ? this.surfaces.sentinelOne : this.surfaces.falcon;
    const routeKey = `${req.method} ${mount ? mount.prefix : isS1 ? S1_PREFIX : ''}${req.apiPath}`;
    this.stats.requests++;
    this.stats.byRoute[routeKey] = (this.stats.byRoute[routeKey] ?? 0) + 1;

    const faults = this.sim.faults;
    // hang: accept the request and never answer; close() destroys the socket.
    if (faults.fire('hang', req)) return;
    const delay = this.latencyMs + faults.fireAll('latency', req).reduce((sum, rule) => sum + (rule.value ?? 0), 0);

    const limited = faults.fire('rate_limit', req);
    const broken = limited ? undefined : faults.fire('server_error', req);
    let reply = limited ? surface.rateLimited(req, limited.value ?? 1) : broken ? surface.serverError(req, broken.value ?? 500) : await surface.handle(req);

    const applied: string[] = limited ? ['rate_limit'] : broken ? ['server_error'] : [];
    if (this.sim.rewrite && reply.json !== undefined) {
      reply = rewritten(reply, req, this.sim.rewrite);
      applied.push('rewrite');
    }
    const varied = reply.status < 300 && reply.json !== undefined && variesRoute(req.method, req.apiPath) ? faults.fire('variance', req) : undefined;
    if (varied) {
      const random = new Random(deriveSeed(this.sim.seed, `variance:${this.variedAnswers++}`));
      reply = withVariance(reply, `${req.method} ${req.apiPath}`, plainJson(reply.json), Math.min(100, varied.value ?? 20) / 100, random);
      applied.push('variance');
    }
    const trimmed = reply.status < 300 ? faults.fire('truncated_page', req, () => hasList(reply, surface.listKey)) : undefined;
    if (trimmed) {
      reply = truncate(reply, surface.listKey, trimmed.value);
      applied.push('truncated_page');
    }
    reply = surface.decorate(req, reply);

    // A string, or UTF-8 chunks to write in order when the reply lists prerendered records.
    let body: string | Buffer[] = reply.text ?? (reply.json === undefined ? '' : serializeJson(reply.json));
    let status = reply.status;
    if (faults.fire('malformed_json', req)) {
      // A 200 whose body stops mid-document, as a proxy cutting the stream would leave it (half the characters).
      const text = typeof body === 'string' ? body : Buffer.concat(body).toString('utf8');
      body = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      status = 200;
      applied.push('malformed_json');
    }
    this.onExchange?.({
      provider,
      method: req.method,
      apiPath: req.apiPath,
      rawPath: req.rawPath,
      status,
      body: typeof body === 'string' ? body : Buffer.concat(body).toString('utf8'),
      faults: applied,
    });
    if (status === 429) this.stats.status429++;
    // The latency counts from the request's arrival: the simulator's own work on the answer is part of it, as a live
    // service's time is part of the round trip a client sees (it adds to the delay only where it is longer).
    const wait = delay - (performance.now() - req.startedAt);
    if (wait > 0) await this.sleep(wait);
    if (this.closing || res.destroyed) return;
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.reduce((sum, chunk) => sum + chunk.length, 0);
    const headers: Record<string, string | number> = { ...reply.headers, 'Content-Length': length };
    if (reply.json !== undefined) headers['Content-Type'] = 'application/json';
    else if (reply.headers?.['Content-Type']) headers['Content-Type'] = reply.headers['Content-Type'];
    res.writeHead(status, headers);
    if (typeof body === 'string') {
      res.end(body);
      return;
    }
    res.cork();
    for (const chunk of body) res.write(chunk);
    res.end();
    res.uncork();
  }

  private async parse(incoming: IncomingMessage, mount: Mount | undefined): Promise<SimRequest | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return undefined;
      chunks.push(chunk as Buffer);
    }
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const rawPath = url.pathname;
    if (mount) {
      let rest = rawPath.slice(mount.prefix.length) || '/';
      let region: string | undefined;
      if (mount.regional) {
        const m = /^\/([^/]+)(\/.*)?$/.exec(rest);
        region = m ? decodeURIComponent(m[1] ?? '') : '';
        rest = m?.[2] ?? '/';
      }
      return {
        method: incoming.method ?? 'GET',
        rawPath,
        apiPath: rest,
        query: url.searchParams,
        search: url.search,
        headers: incoming.headers,
        body: Buffer.concat(chunks),
        ip: incoming.socket.remoteAddress ?? '127.0.0.1',
        traceId: randomUUID(),
        startedAt: performance.now(),
        ...(region !== undefined ? { region } : {}),
      };
    }
    const regional = /^\/region\/([^/]+)(\/.*)?$/.exec(rawPath);
    const inS1 = rawPath === S1_PREFIX || rawPath.startsWith(`${S1_PREFIX}/`);
    const apiPath = regional ? (regional[2] ?? '/') : inS1 ? rawPath.slice(S1_PREFIX.length) || '/' : rawPath;
    return {
      method: incoming.method ?? 'GET',
      rawPath,
      apiPath,
      query: url.searchParams,
      search: url.search,
      headers: incoming.headers,
      body: Buffer.concat(chunks),
      ip: incoming.socket.remoteAddress ?? '127.0.0.1',
      traceId: randomUUID(),
      startedAt: performance.now(),
      ...(regional ? { region: decodeURIComponent(regional[1] ?? '') } : {}),
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

/** Applies a test's rewrite to a JSON answer (its body parsed to plain values, prerendered records included). */
/** The body as plain values, prerendered records parsed: for the faults and hooks that change records. */
function plainJson(json: unknown): unknown {
  const serialized = serializeJson(json);
  return JSON.parse(typeof serialized === 'string' ? serialized : Buffer.concat(serialized).toString('utf8'));
}

function rewritten(reply: SimReply, req: SimRequest, rewrite: AnswerRewrite): SimReply {
  const body = plainJson(reply.json);
  const change = rewrite({ method: req.method, path: req.apiPath, query: req.query, status: reply.status, body });
  if (!change) return reply;
  if ('json' in change) return { ...reply, json: change.json };
  return { status: reply.status, headers: { ...reply.headers, 'Content-Type': change.contentType ?? 'text/html; charset=utf-8' }, text: change.text };
}

function isS1Path(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path === S1_PREFIX || path.startsWith(`${S1_PREFIX}/`);
}

/** The page's list: under `key`, or the body itself when `key` is '' (Kandji answers a bare array). */
function listOf(reply: SimReply, key: string): unknown[] | undefined {
  const list = key === '' ? reply.json : (reply.json as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(list) ? list : undefined;
}

function hasList(reply: SimReply, key: string): boolean {
  return (listOf(reply, key)?.length ?? 0) > 0;
}

/** Drops items from the page while leaving its pagination untouched. */
function truncate(reply: SimReply, key: string, drop: number | undefined): SimReply {
  const list = listOf(reply, key) ?? [];
  const remove = Math.min(list.length, Math.max(1, drop ?? Math.ceil(list.length / 4)));
  const kept = list.slice(0, list.length - remove);
  return { ...reply, json: key === '' ? kept : { ...(reply.json as Record<string, unknown>), [key]: kept } };
}
