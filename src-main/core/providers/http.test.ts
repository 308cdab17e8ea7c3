import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isProviderError, scrub, type ProviderError } from './diagnosis';
import { DEFAULT_PULL_CONCURRENCY } from './crowdstrike/fleet-pull';
import { createHttp, type HttpClient } from './http';
import { createManualClock } from './manual-clock.testkit';
import { diagnoseNetworkError } from './network-diagnosis';
import { RateBudget } from './rate-budget';
import { backoffDelayMs, defaultRetryPolicy, retryAtFromHeaders } from './retry';
import { hasOpenssl, selfSignedCertificate } from './tls-fixture.testkit';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

const servers: Server[] = [];
const clients: HttpClient[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createHttpServer();
  let n = 0;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => handler(req, res, ++n));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

function client(options: Parameters<typeof createHttp>[0] = {}) {
  const clock = createManualClock();
  const http = createHttp({ clock, random: () => 0.5, ...options });
  clients.push(http);
  return { http, clock };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (isProviderError(error)) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections?.();
    await new Promise((resolve) => s.close(resolve));
  }
});

describe('retry hints', () => {
  it('reads X-RateLimit-RetryAfter as epoch seconds, or milliseconds above 1e12, against the server Date', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    const date = new Date(now).toUTCString();
    expect(retryAtFromHeaders({ 'x-ratelimit-retryafter': String(now / 1000 + 3), date }, now)).toBe(now + 3000);
    expect(retryAtFromHeaders({ 'x-ratelimit-retryafter': String(now + 1500), date }, now)).toBe(now + 1500);
    // Our clock is an hour ahead: the wait is still three seconds, not "already passed".
    expect(retryAtFromHeaders({ 'x-ratelimit-retryafter': String(now / 1000 + 3), date }, now + 3_600_000)).toBe(now + 3_600_000 + 3000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(retryAtFromHeaders({ 'retry-after': '2' }, now)).toBe(now + 2000);
    expect(retryAtFromHeaders({ 'retry-after': new Date(now + 5000).toUTCString(), date: new Date(now).toUTCString() }, now)).toBe(now + 5000);
    expect(retryAtFromHeaders({}, now)).toBeUndefined();
  });

  it('backs off exponentially with full jitter, capped', () => {
    const top = (attempt: number) => backoffDelayMs(attempt, defaultRetryPolicy, () => 0.999999);
    expect(top(1)).toBeLessThan(defaultRetryPolicy.baseDelayMs);
    expect(top(3)).toBeGreaterThan(top(2));
    expect(top(30)).toBeLessThanOrEqual(defaultRetryPolicy.maxDelayMs);
    expect(backoffDelayMs(4, defaultRetryPolicy, () => 0)).toBe(0);
  });
});

describe('rate budget', () => {
  it('never lets more than the learned limit leave within a sliding minute', async () => {
    const clock = createManualClock();
    const budget = new RateBudget(clock);
    budget.observe(100, 100);
    const start = clock.now();
    for (let i = 0; i < 250; i += 1) await budget.acquire();
    // 98 per window (2 % held back for other integrations): 250 requests need two full windows.
    expect(clock.now() - start).toBeGreaterThanOrEqual(120_000);
  });

  it('drips at the sustained rate once the server says the quota is nearly spent', async () => {
    const clock = createManualClock();
    const budget = new RateBudget(clock);
    budget.observe(600, 3);
    for (let i = 0; i < 5; i += 1) await budget.acquire();
    expect(clock.sleeps.length).toBeGreaterThan(0);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(100);
  });

  it('holds everyone back until a 429 says so', async () => {
    const clock = createManualClock();
    const budget = new RateBudget(clock);
    budget.pauseUntil(clock.now() + 4000);
    await budget.acquire();
    expect(clock.sleeps).toEqual([4000]);
  });
});

describe('http client over loopback', () => {
  it('retries a 429 after the X-RateLimit-RetryAfter moment, then succeeds', async () => {
    const url = await serve((_req, res, n) => {
      if (n < 3) {
        const retryAt = Math.floor(Date.now() / 1000) + 2;
        return json(
          res,
          429,
          { meta: {}, errors: [{ code: 429, message: 'API rate limit exceeded.' }] },
          { 'x-ratelimit-retryafter': String(retryAt), 'x-ratelimit-limit': '6000', 'x-ratelimit-remaining': '0' },
        );
      }
      json(res, 200, { ok: true }, { 'x-ratelimit-limit': '6000', 'x-ratelimit-remaining': '5990' });
    });
    const { http, clock } = client();
    const res = await http.request({ method: 'GET', url: `${url}/x` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(res.attempts).toBe(3);
    // Each wait is measured to the server's epoch (1–2 s away), not the backoff guess.
    expect(clock.sleeps.filter((ms) => ms >= 900 && ms <= 3000).length).toBeGreaterThanOrEqual(2);
  });

  it('gives up on a persistent 503 after the configured attempts with a server-error diagnosis', async () => {
    let hits = 0;
    const url = await serve((_req, res) => {
      hits += 1;
      json(res, 503, { errors: [{ message: 'upstream down' }] });
    });
    const { http } = client({ retry: { maxAttempts: 4 } });
    const error = await failure(http.request({ method: 'GET', url: `${url}/x` }));
    expect(error.diagnosis).toMatchObject({ code: 'http.server_error', status: 503 });
    expect(error.diagnosis.message).toContain('4 attempts');
    expect(hits).toBe(4);
  });

  it('does not resend a non-idempotent POST after a 500', async () => {
    let hits = 0;
    const url = await serve((_req, res) => {
      hits += 1;
      json(res, 500, {});
    });
    const { http } = client();
    const error = await failure(http.request({ method: 'POST', url: `${url}/create`, json: { a: 1 }, idempotent: false }));
    expect(error.diagnosis.code).toBe('http.server_error');
    expect(hits).toBe(1);
  });

  it('reports a hung server as a timeout', async () => {
    const url = await serve(() => {
      // never answers
    });
    const { http } = client({ headersTimeoutMs: 200 });
    const error = await failure(http.request({ method: 'GET', url: `${url}/hang` }));
    expect(error.diagnosis.code).toBe('net.timeout');
    expect(error.diagnosis.fix).toMatch(/firewall|proxy/);
  });

  it('reports malformed JSON after retrying it', async () => {
    let hits = 0;
    const url = await serve((_req, res) => {
      hits += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"resources": [1, 2');
    });
    const { http } = client({ retry: { maxAttempts: 2 } });
    const error = await failure(http.request({ method: 'GET', url: `${url}/bad` }));
    expect(error.diagnosis.code).toBe('http.malformed');
    expect(hits).toBe(2);
  });

  it('refuses a body above the size bound', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ blob: 'x'.repeat(4096) }));
    });
    const { http } = client({ maxBodyBytes: 1024 });
    const error = await failure(http.request({ method: 'GET', url: `${url}/big` }));
    expect(error.diagnosis.code).toBe('http.too_large');
  });

  it('returns redirects instead of following them', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(308, { location: 'http://127.0.0.1:1/elsewhere', 'x-cs-region': 'us-2' });
      res.end();
    });
    const { http } = client();
    const res = await http.request({ method: 'GET', url: `${url}/x` });
    expect(res.status).toBe(308);
    expect(res.headers['x-cs-region']).toBe('us-2');
  });

  it('sends repeated keys for array query values', async () => {
    let seen = '';
    const url = await serve((req, res) => {
      seen = req.url ?? '';
      json(res, 200, {});
    });
    const { http } = client();
    await http.request({ method: 'GET', url: `${url}/ids`, query: { ids: ['a', 'b'], limit: 2, skip: undefined } });
    expect(seen).toBe('/ids?ids=a&ids=b&limit=2');
  });

  it('keeps more connections to an origin than a pull keeps requests in flight', async () => {
    // A pull's requests in flight and the one a freed slot starts, each on a connection of its own at once: the new
    // one need not wait for a connection undici has just finished with (it reuses one only a loop turn later).
    const wanted = DEFAULT_PULL_CONCURRENCY + 1;
    const held: ServerResponse[] = [];
    const sockets = new Set<unknown>();
    let released = false;
    let release!: () => void;
    const all = new Promise<void>((resolve) => (release = resolve));
    const url = await serve((req, res) => {
      sockets.add(req.socket);
      if (released) return json(res, 200, {});
      held.push(res);
      if (held.length === wanted) release();
    });
    // With fewer connections the last request never arrives while the others are held: answer them after a while.
    const fallback = setTimeout(release, 2_000);
    const { http } = client();
    const answers = Array.from({ length: wanted }, () => http.request({ method: 'GET', url: `${url}/held` }));
    await all;
    clearTimeout(fallback);
    released = true;
    for (const res of held) json(res, 200, {});
    await Promise.all(answers);
    expect(sockets.size).toBe(wanted);
  });

  it('reports a refused connection', async () => {
    const url = await serve(() => {});
    const port = new URL(url).port;
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
    const { http } = client({ retry: { maxAttempts: 2 } });
    const error = await failure(http.request({ method: 'GET', url: `http://127.0.0.1:${port}/x` }));
    expect(error.diagnosis.code).toBe('net.refused');
  });

  it('stops waiting when the caller cancels', async () => {
    const url = await serve(() => {});
    const http = createHttp({ headersTimeoutMs: 10_000 });
    clients.push(http);
    const controller = new AbortController();
    const pending = http.request({ method: 'GET', url: `${url}/slow`, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).diagnosis.code).toBe('net.aborted');
  });

  it('does not take the unauthenticated per-IP quota on a 401 for the API budget', async () => {
    const url = await serve((_req, res, n) =>
      n === 1
        ? json(res, 401, { errors: [{ message: 'access denied, invalid bearer token' }] }, { 'x-ratelimit-limit': '15', 'x-ratelimit-remaining': '14' })
        : json(res, 200, {}, { 'x-ratelimit-limit': '6000', 'x-ratelimit-remaining': '5990' }),
    );
    const { http, clock } = client();
    for (let i = 0; i < 30; i += 1) await http.request({ method: 'GET', url: `${url}/x` });
    expect(clock.sleeps).toEqual([]);
  });

  it('learns the clock skew from the Date header', async () => {
    const url = await serve((_req, res) => json(res, 200, {}, { date: new Date(Date.now() - 10 * 60_000).toUTCString() }));
    const http = createHttp();
    clients.push(http);
    await http.request({ method: 'GET', url: `${url}/x` });
    expect(http.clockSkewMs(url)).toBeLessThan(-9 * 60_000);
  });
});

describe('TLS', () => {
  it.skipIf(!hasOpenssl())('calls an untrusted certificate likely TLS interception, and trusts it once its CA is added', async () => {
    const { key, cert } = selfSignedCertificate();
    const server = createHttpsServer({ key, cert });
    server.on('request', (_req, res) => json(res, 200, { ok: true }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const { http } = client();
    const error = await failure(http.request({ method: 'GET', url: `${url}/x` }));
    expect(error.diagnosis.code).toBe('net.tls');
    expect(error.diagnosis.message).toMatch(/not trusted.*intercepting/);
    expect(error.diagnosis.fix).toMatch(/root certificate|TLS inspection/);

    const trusting = client({ ca: cert }).http;
    expect((await trusting.request({ method: 'GET', url: `${url}/x` })).body).toEqual({ ok: true });
  });
});

describe('network errors', () => {
  it.each([
    ['ENOTFOUND', 'net.dns'],
    ['EAI_AGAIN', 'net.dns'],
    ['ECONNREFUSED', 'net.refused'],
    ['UND_ERR_CONNECT_TIMEOUT', 'net.timeout'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'net.tls'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'net.tls'],
    ['CERT_HAS_EXPIRED', 'net.tls'],
    ['ECONNRESET', 'net.reset'],
    ['EHOSTUNREACH', 'net.unreachable'],
  ])('%s is diagnosed as %s', (code, expected) => {
    const error = Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error(`connect ${code}`), { code }) });
    expect(diagnoseNetworkError(error, 'api.crowdstrike.com', []).diagnosis.code).toBe(expected);
  });
});

describe('secrets', () => {
  it('scrub removes known secrets and anything after an auth keyword', () => {
    const text = scrub('sent Bearer eyJabc.def and ApiToken zzz with client_secret=hunter2hunter2 and s3cr3t-value', ['s3cr3t-value']);
    expect(text).not.toMatch(/eyJabc|zzz|hunter2|s3cr3t-value/);
  });

  it('a server echoing the Authorization header back never puts it in a diagnosis or a log line', async () => {
    const url = await serve((req, res) => {
      json(res, 503, { errors: [{ message: `bad header ${req.headers.authorization}` }] });
    });
    const lines: string[] = [];
    const logger = { debug: (o: unknown) => lines.push(JSON.stringify(o)), warn: (o: unknown) => lines.push(JSON.stringify(o)) };
    const { http } = client({ retry: { maxAttempts: 2 }, logger: logger as never });
    const error = await failure(http.request({ method: 'GET', url: `${url}/x`, headers: { authorization: 'Bearer TOPSECRET-TOKEN-123' } }));
    const everything = [JSON.stringify(error), String(error), error.stack ?? '', JSON.stringify(error.diagnosis), ...lines].join('\n');
    expect(everything).not.toContain('TOPSECRET-TOKEN-123');
    expect(lines.length).toBeGreaterThan(0);
  });
});

describe('reading an answer from its bytes (decode)', () => {
  it('takes the decoded value as the body of a 2xx answer and keeps no text of it', async () => {
    const base = await serve((_req, res) => json(res, 200, { resources: [1, 2] }));
    const { http } = client();
    const seen: string[] = [];
    const res = await http.request({
      method: 'GET',
      url: `${base}/list`,
      decode: (bytes) => {
        seen.push(bytes.toString('utf8'));
        return { decoded: true };
      },
    });
    expect(seen).toEqual(['{"resources":[1,2]}']);
    expect(res.body).toEqual({ decoded: true });
    expect(res.text).toBe('');
  });

  it('gives every answer its own bytes when answers arrive in pieces and overlap (the gathering buffer is shared)', async () => {
    // Each answer is sent in three pieces with pauses between, so the client gathers several chunks for each while the
    // others are still arriving; sizes differ so a later, larger answer grows the shared buffer.
    const bodyOf = (n: number) => JSON.stringify({ resources: Array.from({ length: 200 * n }, (_, i) => `answer-${n}-record-${i}`) });
    const base = await serve((req, res) => {
      const body = bodyOf(Number(req.url!.slice(1)));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      const third = Math.ceil(body.length / 3);
      res.write(body.slice(0, third));
      setTimeout(() => res.write(body.slice(third, 2 * third)), 15);
      setTimeout(() => res.end(body.slice(2 * third)), 30);
    });
    const { http } = client();
    const decode = (bytes: Buffer) => JSON.parse(bytes.toString('utf8')) as unknown;
    const answers = await Promise.all([1, 4, 2, 8, 3].map((n) => http.request({ method: 'GET', url: `${base}/${n}`, decode })));
    expect(answers.map((res) => res.body)).toEqual([1, 4, 2, 8, 3].map((n) => JSON.parse(bodyOf(n))));
    // A decoder that declines leaves the text, whole, from the same gathered bytes.
    const declined = await http.request({ method: 'GET', url: `${base}/5`, decode: () => undefined });
    expect(declined.text).toBe(bodyOf(5));
  });

  it('tells the caller the answer is in before reading it, once, and reads it only after a turn of the event loop', async () => {
    let served = 0;
    const base = await serve((_req, res) => (served++ === 0 ? json(res, 503, { errors: [] }) : json(res, 200, { resources: [served] })));
    const { http } = client({ retry: { baseDelayMs: 1, maxDelayMs: 1 } });
    const events: string[] = [];
    const res = await http.request({
      method: 'GET',
      url: `${base}/list`,
      received: () => {
        events.push('received');
        // What the caller does with its freed slot runs before the answer is read.
        void Promise.resolve().then(() => events.push('next call'));
        setImmediate(() => events.push('next turn'));
      },
      decode: (bytes) => {
        events.push('decode');
        return JSON.parse(bytes.toString('utf8')) as unknown;
      },
    });
    // The 503 was neither announced nor decoded; the retried answer was, once.
    expect(events.slice(0, 2)).toEqual(['received', 'next call']);
    expect(events.indexOf('decode')).toBeGreaterThan(1);
    expect(events.filter((e) => e === 'received')).toHaveLength(1);
    expect(res.body).toEqual({ resources: [2] });
  });

  it('frees each answer’s buffers as soon as it is read, not at the next GC', async () => {
    // 1 MB answers arrive in many socket reads, each a buffer of its own off the JS heap.
    const body = JSON.stringify({ resources: Array.from({ length: 50_000 }, (_, i) => `record-${String(i).padStart(8, '0')}`) });
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const { http } = client();
    const small = Buffer.from('a small buffer in Node’s shared pool');
    const before = process.memoryUsage().arrayBuffers;
    let bytes = 0;
    for (let i = 0; i < 24; i++) {
      // A decoder allocating next to nothing: no GC is due meanwhile to free the reads either.
      const res = await http.request({ method: 'GET', url: `${base}/list`, decode: (answer) => answer.length });
      bytes += res.body as number;
    }
    expect(bytes).toBe(24 * Buffer.byteLength(body));
    // Held until a GC, 24 answers would be ~24 MB more; given back, what remains is the client's one reused buffer.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 2 ** 20);
    // An answer read as text is given back too, after its text is made.
    expect((await http.request({ method: 'GET', url: `${base}/list` })).text).toBe(body);
    expect(small.toString()).toBe('a small buffer in Node’s shared pool');
  });

  it('parses the text as before when the decoder declines, and never decodes an error answer', async () => {
    const base = await serve((req, res) => (req.url === '/fail' ? json(res, 400, { errors: [{ message: 'no' }] }) : json(res, 200, { resources: [] })));
    const { http } = client();
    let calls = 0;
    const decode = () => {
      calls++;
      return undefined;
    };
    const ok = await http.request({ method: 'GET', url: `${base}/list`, decode });
    expect(ok.body).toEqual({ resources: [] });
    expect(ok.text).toBe('{"resources":[]}');
    const bad = await http.request({ method: 'GET', url: `${base}/fail`, decode });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('"no"');
    expect(calls).toBe(1);
  });
});
