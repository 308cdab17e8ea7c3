// One HTTP exchange for an HTTP sink (Splunk HEC, OTLP): an undici keep-alive pool per origin, explicit
// timeouts, no retries of its own (the outbox owns those), every answer returned as it came, and every
// network failure turned into a SinkError that never quotes a secret.
import type { Agent } from 'undici';
import { scrub } from '../providers/diagnosis';
import { diagnoseNetworkError } from '../providers/network-diagnosis';
import { systemClock, type Clock } from '../providers/clock';
import type { SinkError } from './transport';

export interface SinkHttpOptions {
  clock?: Clock;
  /** Extra trusted roots (PEM): a private CA, a TLS-inspecting proxy, the tests' self-signed receiver. */
  ca?: string | string[];
  connectTimeoutMs?: number;
  /** How long a receiver may take to answer once it has the request (slow indexers, stuck collectors). */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Largest answer read; a sink's answers are small. */
  maxBodyBytes?: number;
  userAgent?: string;
}

export interface SinkAnswer {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  json: unknown;
  receivedAt: number;
  elapsedMs: number;
}

export type SinkExchange = { ok: true; answer: SinkAnswer } | { ok: false; error: SinkError; kind: 'network' | 'aborted' };

export interface SinkRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Values that must never appear in an error (the token, the whole Authorization value). */
  secrets: readonly string[];
}

export interface SinkHttp {
  readonly clock: Clock;
  /** Never rejects: an answer, or a network failure as a SinkError. */
  exchange(req: SinkRequest): Promise<SinkExchange>;
  close(): Promise<void>;
}

/** Sink-specific fixes for network failures (the provider ones talk about provider consoles). */
const NETWORK_FIXES: Record<string, string> = {
  'net.dns': 'Check the host name in the sink URL, and that this computer can resolve it (DNS, VPN or proxy settings).',
  'net.refused': 'Check the sink URL and port, and that the receiver is running and a firewall lets this computer reach it.',
  'net.timeout': 'The receiver is slow or a firewall is silently dropping traffic; events wait in the outbox and are sent again.',
  'net.unreachable': 'Check this computer’s network connection, VPN and proxy settings.',
  'net.reset': 'Usually transient (the receiver restarted or a proxy cut the connection); events are sent again.',
  'net.tls':
    'Check the sink URL (https:// and the host exactly as in the receiver’s certificate); if a proxy inspects TLS, exempt the receiver or trust its root certificate.',
};

export function createSinkHttp(options: SinkHttpOptions = {}): SinkHttp {
  const clock = options.clock ?? systemClock;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  // undici loads with the first send, as the providers' client does: a console without HTTP sinks never loads it.
  let agent: Promise<Agent> | undefined;
  const agentNow = () =>
    (agent ??= import('undici').then(
      ({ Agent }) =>
        new Agent({
          connections: 4,
          keepAliveTimeout: 30_000,
          headersTimeout: options.headersTimeoutMs ?? 30_000,
          bodyTimeout: options.bodyTimeoutMs ?? 30_000,
          connect: { timeout: options.connectTimeoutMs ?? 10_000, ...(options.ca ? { ca: options.ca } : {}) },
        }),
    ));

  async function exchange(req: SinkRequest): Promise<SinkExchange> {
    const url = new URL(req.url);
    const started = clock.now();
    if (req.signal?.aborted) return aborted(url.host);
    try {
      const res = await (
        await agentNow()
      ).request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: req.method,
        headers: { 'user-agent': options.userAgent ?? 'posture-console/0.1', ...req.headers },
        body: req.body,
        signal: req.signal ?? null,
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      const text = await readBounded(res.body, maxBodyBytes);
      const receivedAt = clock.now();
      return { ok: true, answer: { status: res.statusCode, headers, text, json: parseJson(text), receivedAt, elapsedMs: receivedAt - started } };
    } catch (error) {
      if (req.signal?.aborted) return aborted(url.host);
      const { diagnosis } = diagnoseNetworkError(error, url.host, req.secrets);
      return {
        ok: false,
        kind: 'network',
        error: { code: diagnosis.code, message: scrub(diagnosis.message, req.secrets), fix: NETWORK_FIXES[diagnosis.code] ?? diagnosis.fix },
      };
    }
  }

  return { clock, exchange, close: async () => (agent ? (await agent).close() : undefined) };
}

function aborted(host: string): SinkExchange {
  return {
    ok: false,
    kind: 'aborted',
    error: { code: 'net.aborted', message: `The send to ${host} was cancelled.`, fix: 'It is sent again on the next attempt.' },
  };
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): unknown }, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    // Only the start of an oversized answer matters (a code and a message); the rest is dropped.
    if (size > max) {
      body.destroy();
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, max);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Server text fit to quote in an error: secrets scrubbed, shortened. */
export function quote(text: string, secrets: readonly string[]): string {
  return scrub(text.replace(/\s+/g, ' ').trim(), secrets);
}
