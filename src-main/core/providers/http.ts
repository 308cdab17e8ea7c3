// The one way provider clients talk HTTP: undici keep-alive pools per origin, explicit timeouts,
// cancellation, retries with backoff, a client-side rate budget, bounded defensive JSON, and every
// failure turned into a diagnosis. Redirects are returned, never followed (Falcon 308s cross hosts).
import { isMarkedAsUntransferable } from 'node:worker_threads';
import type { Agent } from 'undici';
import type { Logger } from '../log';
import { systemClock, type Clock } from './clock';
import { ProviderError, scrub, type Diagnosis } from './diagnosis';
import { diagnoseNetworkError } from './network-diagnosis';
import { RateBudget } from './rate-budget';
import { backoffDelayMs, defaultRetryPolicy, isRetryableStatus, parseHttpDate, retryAtFromHeaders, type RetryPolicy } from './retry';

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Absolute URL without query. */
  url: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Safe to resend after a 5xx or a broken connection. Defaults to true for GET and DELETE. */
  idempotent?: boolean;
  /** Requests sharing a server-side quota; defaults to the origin. */
  budget?: string;
  /** Overrides the retry policy's attempts (1 = no retry), e.g. for a reachability probe. */
  maxAttempts?: number;
  /** Values that must never appear in a diagnosis or a log line (the Authorization value is added). */
  secrets?: readonly string[];
  /**
   * Reads a 2xx answer from its bytes instead of one string (a large list parsed record by record); must give what
   * JSON.parse of the text gives, or undefined to have the text parsed as usual. A decoded answer's `text` is empty:
   * neither its bytes nor a string of them outlive the read. `bytes` is valid only during the call (a buffer the client
   * reuses for every answer), so the value must not keep views of it (strings and JSON.parse copy).
   */
  decode?: (bytes: Buffer) => unknown;
  /**
   * Called once, when a 2xx answer to be decoded is all in and before it is read: a caller capping its requests in
   * flight frees the slot here, and the read waits one turn of the event loop so the request sent in that slot leaves
   * first (its round trip then overlaps this read instead of following it).
   */
  received?: () => void;
  /**
   * Called with the first bytes of a 2xx answer to be decoded once it is all in, before it is read (a paging caller
   * reads the next page's token there and asks for it); the read then waits as after `received`.
   */
  peek?: (head: Buffer) => void;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or undefined when the body is empty or (for a non-2xx answer) not JSON. */
  body: unknown;
  text: string;
  url: string;
  /** Server time from the `Date` header, epoch ms. */
  serverDate: number | undefined;
  /** Local time when the headers arrived. */
  receivedAt: number;
  elapsedMs: number;
  attempts: number;
  /** Scrubs this request's secrets (and anything after an auth keyword) from server text we quote. */
  redact(text: string): string;
}

export interface HttpOptions {
  clock?: Clock;
  random?: () => number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  maxBodyBytes?: number;
  connectionsPerOrigin?: number;
  retry?: Partial<RetryPolicy>;
  /** Extra trusted roots (PEM), e.g. the certificate of a TLS-inspecting corporate proxy. */
  ca?: string | string[];
  logger?: Pick<Logger, 'debug' | 'warn'>;
  userAgent?: string;
}

export interface HttpClient {
  readonly clock: Clock;
  request(req: HttpRequest): Promise<HttpResponse>;
  /** Server time minus local time at the last answer from this origin. */
  clockSkewMs(origin: string): number | undefined;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/**
 * Keep-alive connections per origin: more than a pull keeps in flight (8). undici reuses a connection only a full turn of
 * the event loop after its answer (it checks the idle socket first), so with as many connections as requests in flight
 * the request a freed slot starts waits for that turn, and the answers read in it, before it can leave.
 */
export const DEFAULT_CONNECTIONS_PER_ORIGIN = 16;
/** The largest answer gathered into the client's reused buffer (a page of 1,000 projected hosts or 100 ZTA records is ~250 KB). */
const SCRATCH_MAX_BYTES = 4 * 1024 * 1024;

export function createHttp(options: HttpOptions = {}): HttpClient {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const basePolicy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const userAgent = options.userAgent ?? 'posture-console/0.1';
  // One Agent = one keep-alive Pool per origin. undici loads with the first request, so a process that talks to no
  // provider (an empty console, most CLI commands) never loads it.
  let agent: Promise<Agent> | undefined;
  const agentNow = () =>
    (agent ??= import('undici').then(
      ({ Agent }) =>
        new Agent({
          connections: options.connectionsPerOrigin ?? DEFAULT_CONNECTIONS_PER_ORIGIN,
          keepAliveTimeout: 30_000,
          keepAliveMaxTimeout: 120_000,
          headersTimeout: options.headersTimeoutMs ?? 30_000,
          bodyTimeout: options.bodyTimeoutMs ?? 60_000,
          connect: { timeout: options.connectTimeoutMs ?? 10_000, ...(options.ca ? { ca: options.ca } : {}) },
        }),
    ));
  const budgets = new Map<string, RateBudget>();
  const skews = new Map<string, number>();
  // One buffer the answers to be decoded are gathered into, grown to the largest seen and reused: a fresh one per
  // answer (Buffer.concat) is ~2× the fleet's bytes in allocations freed only by a GC, and glibc keeps what it frees.
  let scratch = Buffer.allocUnsafeSlow(0);
  /**
   * The body as one Buffer: the only chunk as it came, else the chunks copied into `scratch` (valid until the next call).
   * A body above SCRATCH_MAX_BYTES (a details answer of 5,000 full hosts is ~10 MB) gets a buffer of its own, so the
   * client does not keep that much for good.
   */
  const gather = (chunks: readonly Buffer[], size: number): Buffer => {
    if (chunks.length === 1) return chunks[0]!;
    if (size > SCRATCH_MAX_BYTES) return Buffer.concat(chunks, size);
    if (scratch.length < size) scratch = Buffer.allocUnsafeSlow(Math.max(size, Math.min(2 * scratch.length, SCRATCH_MAX_BYTES)));
    let at = 0;
    for (const chunk of chunks) at += chunk.copy(scratch, at);
    return scratch.subarray(0, size);
  };

  const sleepOrAbort = async (ms: number, signal: AbortSignal | undefined, host: string) => {
    try {
      await clock.sleep(ms, signal);
    } catch {
      throw abortedError(host);
    }
  };
  const budgetFor = (key: string) => {
    let budget = budgets.get(key);
    if (!budget) budgets.set(key, (budget = new RateBudget(clock)));
    return budget;
  };

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const policy: RetryPolicy = req.maxAttempts ? { ...basePolicy, maxAttempts: req.maxAttempts } : basePolicy;
    const url = new URL(req.url);
    const path = url.pathname + queryString(url, req.query);
    const secrets = [...(req.secrets ?? []), ...authorizationSecrets(req.headers)];
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'DELETE');
    const budget = budgetFor(req.budget ?? url.origin);
    const { body, contentType } = encodeBody(req);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': userAgent,
      ...(contentType ? { 'content-type': contentType } : {}),
      ...req.headers,
    };
    const fail = (diagnosis: Diagnosis): never => {
      throw new ProviderError({ ...diagnosis, observed: diagnosis.observed && scrub(diagnosis.observed, secrets) });
    };
    const started = clock.now();
    /** The caller's slot is freed once, by the first answer to be decoded (a retry after it runs outside the slot). */
    let received = req.received;

    for (let attempt = 1; ; attempt += 1) {
      throwIfAborted(req.signal, url.host);
      try {
        await budget.acquire(req.signal);
      } catch {
        throw abortedError(url.host);
      }
      const pool = await agentNow();
      const sentAt = clock.now();
      let status: number;
      let responseHeaders: Record<string, string>;
      let answer: { chunks: Buffer[]; size: number };
      try {
        const res = await pool.request({
          origin: url.origin,
          path,
          method: req.method,
          headers,
          body,
          signal: req.signal ?? null,
        });
        status = res.statusCode;
        responseHeaders = flattenHeaders(res.headers);
        answer = await readBounded(res.body, maxBodyBytes, responseHeaders['content-length']);
      } catch (error) {
        throwIfAborted(req.signal, url.host);
        if (error instanceof ProviderError) throw error;
        const { diagnosis, retryable, timeout } = diagnoseNetworkError(error, url.host, secrets);
        const limit = timeout ? Math.min(policy.maxTimeoutAttempts, policy.maxAttempts) : policy.maxAttempts;
        options.logger?.warn({ method: req.method, host: url.host, path: url.pathname, attempt, code: diagnosis.code }, 'provider request failed');
        if (retryable && idempotent && attempt < limit) {
          await sleepOrAbort(backoffDelayMs(attempt, policy, random), req.signal, url.host);
          continue;
        }
        return fail(attempts(diagnosis, attempt));
      }

      const receivedAt = clock.now();
      const serverDate = parseHttpDate(responseHeaders['date']);
      if (serverDate !== undefined) skews.set(url.origin, serverDate - receivedAt);
      // 401s and redirects report the small per-IP quota for unauthenticated calls, not this API's.
      if (status !== 401 && (status < 300 || status >= 400))
        budget.observe(headerNumber(responseHeaders, 'x-ratelimit-limit'), headerNumber(responseHeaders, 'x-ratelimit-remaining'));
      options.logger?.debug({ method: req.method, host: url.host, path: url.pathname, status, attempt, ms: receivedAt - sentAt }, 'provider request');

      const toDecode = req.decode && status >= 200 && status < 300;
      if (toDecode && (received || req.peek)) {
        const free = received;
        received = undefined;
        free?.();
        const head = answer.chunks[0];
        if (head) req.peek?.(head);
        // The chunks are the answer's own (undici never reuses them), so they may wait. Not for setImmediate: undici
        // writes a request on a reused keep-alive socket only from the check phase (its idle-socket check), so reads
        // queued there would hold back the requests freed slots just started; a timer runs after those are sent.
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
      // A decoded list never becomes one large string. Nothing awaits between gathering the bytes and the last use of
      // them here, so the shared buffer cannot be overwritten by another answer meanwhile.
      const bytes = toDecode ? gather(answer.chunks, answer.size) : Buffer.concat(answer.chunks, answer.size);
      const decoded = toDecode ? req.decode!(bytes) : undefined;
      const text = decoded !== undefined ? '' : bytes.toString('utf8');
      giveBack(answer.chunks);

      if (isRetryableStatus(status)) {
        const retryAt = retryAtFromHeaders(responseHeaders, receivedAt);
        if (status === 429) budget.pauseUntil(retryAt ?? receivedAt + backoffDelayMs(attempt, policy, random));
        const canRetry = (status === 429 || idempotent) && attempt < policy.maxAttempts;
        const wait = retryAt !== undefined ? Math.max(0, retryAt - receivedAt) : backoffDelayMs(attempt, policy, random);
        if (canRetry && wait <= policy.maxRetryAfterMs) {
          await sleepOrAbort(wait, req.signal, url.host);
          continue;
        }
        return fail(attempts(statusDiagnosis(status, url.host, text, retryAt), attempt));
      }

      const parsed = decoded !== undefined ? { ok: true as const, value: decoded } : parseJson(text, responseHeaders['content-type']);
      if (!parsed.ok && status >= 200 && status < 300) {
        if (idempotent && attempt < policy.maxAttempts) {
          await sleepOrAbort(backoffDelayMs(attempt, policy, random), req.signal, url.host);
          continue;
        }
        return fail(
          attempts(
            {
              code: 'http.malformed',
              status,
              message: `${url.host} answered ${url.pathname} with a body that is not valid JSON.`,
              fix: 'Usually transient. If it persists, a proxy may be rewriting or cutting responses: exempt the provider API host.',
              observed: text.slice(0, 120),
            },
            attempt,
          ),
        );
      }
      return {
        status,
        headers: responseHeaders,
        body: parsed.ok ? parsed.value : undefined,
        text,
        url: url.toString(),
        serverDate,
        receivedAt,
        elapsedMs: receivedAt - started,
        attempts: attempt,
        redact: (text) => scrub(text, secrets),
      };
    }
  }

  return {
    clock,
    request,
    clockSkewMs: (origin) => skews.get(new URL(origin).origin),
    close: async () => {
      if (agent) await (await agent).close();
    },
  };
}

/**
 * Frees the answer's own buffers now that they are read: undici hands the body over as views of the socket's reads,
 * each read an ArrayBuffer of its own, and left to the GC their memory (a whole fleet's answers, off the JS heap) is
 * freed only when a young-generation collection finds them dead, which a busy pull's large young generation makes rare:
 * tens of MB at a time. A read is detached when the body runs to its end (the first read also holds the headers, already
 * turned into strings; no read holds the next answer's bytes, as no request is pipelined). Node's pool, shared by small
 * buffers, is marked untransferable and never touched: some Node versions let transfer() detach it (nodejs/node#61362).
 */
function giveBack(chunks: readonly Buffer[]): void {
  for (const chunk of chunks) {
    const buffer = chunk.buffer;
    if (!(buffer instanceof ArrayBuffer) || buffer.detached || chunk.byteOffset + chunk.byteLength !== buffer.byteLength) continue;
    if (isMarkedAsUntransferable(buffer)) continue;
    try {
      buffer.transfer(0);
    } catch {
      // Not detachable after all: the GC frees it as before.
    }
  }
}

function queryString(url: URL, query: HttpRequest['query']): string {
  const params = new URLSearchParams(url.search);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    // Falcon wants repeated keys for arrays (collectionFormat: multi).
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function encodeBody(req: HttpRequest): { body: string | undefined; contentType: string | undefined } {
  if (req.json !== undefined) return { body: JSON.stringify(req.json), contentType: 'application/json' };
  if (req.form) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(req.form)) if (v !== undefined) form.append(k, v);
    return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: undefined, contentType: undefined };
}

/** The credential part of an Authorization header, so a server echoing it back is still redacted. */
function authorizationSecrets(headers: Record<string, string> | undefined): string[] {
  const value = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
  if (!value) return [];
  const credential = value.replace(/^\S+\s+/, '');
  const decoded = /^basic\s/i.test(value) ? Buffer.from(credential, 'base64').toString('utf8').split(':') : [];
  return [value, credential, ...decoded];
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function headerNumber(headers: Record<string, string>, name: string): number | undefined {
  const value = headers[name];
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

async function readBounded(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  max: number,
  declared: string | undefined,
): Promise<{ chunks: Buffer[]; size: number }> {
  const tooLarge = (): never => {
    body.destroy();
    throw new ProviderError({
      code: 'http.too_large',
      message: `The answer is larger than ${Math.round(max / 1024 / 1024)} MiB, the most this app reads at once.`,
      fix: 'Narrow the request (smaller pages or a filter); if the provider should not send this much, report it.',
    });
  };
  if (declared !== undefined && Number(declared) > max) tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) tooLarge();
    chunks.push(chunk);
  }
  return { chunks, size };
}

function parseJson(text: string, contentType: string | undefined): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // A non-JSON body that never claimed to be JSON (an HTML error page) is not malformed, just not data.
    return contentType?.includes('json') || /^\s*[[{]/.test(text) ? { ok: false } : { ok: true, value: undefined };
  }
}

function statusDiagnosis(status: number, host: string, text: string, retryAt: number | undefined): Diagnosis {
  if (status === 429)
    return {
      code: 'http.rate_limited',
      status,
      message: `${host} is rate-limiting this app (HTTP 429): the API quota for this account is used up for now.`,
      fix: 'Wait a minute and try again; poll less often, or check which other integrations share this account’s API quota.',
      ...(retryAt !== undefined ? { retryAt } : {}),
      observed: text.slice(0, 200),
    };
  return {
    code: 'http.server_error',
    status,
    message: `${host} had a server error (HTTP ${status}).`,
    fix: 'The provider is having trouble; try again later and check its status page if it persists.',
    observed: text.slice(0, 200),
  };
}

function attempts(diagnosis: Diagnosis, attempt: number): Diagnosis {
  return attempt > 1 ? { ...diagnosis, message: `${diagnosis.message} (gave up after ${attempt} attempts)` } : diagnosis;
}

function abortedError(host: string): ProviderError {
  return new ProviderError({ code: 'net.aborted', message: `The request to ${host} was cancelled.`, fix: 'Run it again when ready.' });
}

function throwIfAborted(signal: AbortSignal | undefined, host: string): void {
  if (signal?.aborted) throw abortedError(host);
}
