// A loopback OpenTelemetry collector for tests: OTLP/HTTP JSON logs at /v1/logs with the documented answers
// (200, 200 with partialSuccess, 400 with a Status, 429/503 with Retry-After) and faults: a stopped listener,
// 503 storms, slow reads, a bearer token check.
import type { ServerResponse } from 'node:http';
import { answerJson, startLoopbackServer, type LoopbackServer, type ReceivedRequest } from '../loopback-server.testkit';

export interface OtlpReceiverOptions {
  /** When set, requests need `Authorization: Bearer <token>`. */
  token?: string;
  path?: string;
  tls?: { key: string; cert: string };
}

export interface ReceivedRecord {
  /** The event.id attribute. */
  id: string | undefined;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  raw: Record<string, unknown>;
}

export interface OtlpFaults {
  /** Answer the next exports with these statuses (a 503 storm: [503, 503, 503]), first in first out. */
  statuses: number[];
  /** Retry-After sent with 429/502/503/504 answers (seconds or an HTTP date). */
  retryAfter?: string;
  /** Records the collector refuses inside a 200 (partial success). */
  reject?: (record: ReceivedRecord) => boolean;
  /** Error answers quote the Authorization header back, to prove the client scrubs it. */
  echoAuthorization: boolean;
}

export interface OtlpReceiver {
  /** The logs endpoint, e.g. http://127.0.0.1:PORT/v1/logs */
  readonly url: string;
  readonly server: LoopbackServer;
  readonly faults: OtlpFaults;
  /** Accepted records in arrival order, duplicates included. */
  readonly records: ReceivedRecord[];
  uniqueIds(): Set<string>;
  /** Export requests that reached the handler. */
  exports(): number;
  close(): Promise<void>;
}

/** An AnyValue as a plain value (ints stay strings, as on the wire). */
function plain(value: Record<string, unknown> | undefined): unknown {
  if (!value) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return value.intValue;
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value) return ((value.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map(plain);
  return undefined;
}

function attributesOf(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Array.isArray(list)) for (const kv of list as { key: string; value: Record<string, unknown> }[]) out[kv.key] = plain(kv.value);
  return out;
}

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const path = options.path ?? '/v1/logs';
  const faults: OtlpFaults = { statuses: [], echoAuthorization: false };
  const records: ReceivedRecord[] = [];
  let exports = 0;

  /** A google.rpc.Status body, as OTLP/HTTP sends with 4xx/5xx. */
  const status = (res: ServerResponse, http: number, code: number, message: string, req: ReceivedRequest, headers: Record<string, string> = {}) => {
    const quoted = faults.echoAuthorization ? `${message} (got ${req.headers['authorization'] ?? 'nothing'})` : message;
    answerJson(res, http, { code, message: quoted }, headers);
  };

  const onExport = (req: ReceivedRequest, res: ServerResponse) => {
    if (options.token && req.headers['authorization'] !== `Bearer ${options.token}`) return status(res, 401, 16, 'Unauthenticated', req);
    exports += 1;
    const scripted = faults.statuses.shift();
    if (scripted !== undefined) {
      const retry: Record<string, string> = [429, 502, 503, 504].includes(scripted) && faults.retryAfter ? { 'retry-after': faults.retryAfter } : {};
      return status(res, scripted, scripted === 429 ? 8 : 14, scripted === 400 ? 'bad request' : 'Service unavailable', req, retry);
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return status(res, 415, 3, 'Unsupported content type', req);
    let body: { resourceLogs?: unknown };
    try {
      body = JSON.parse(req.body) as { resourceLogs?: unknown };
    } catch {
      return status(res, 400, 3, 'Failed to unmarshal the request body as JSON', req);
    }
    if (!Array.isArray(body.resourceLogs)) return status(res, 400, 3, 'resourceLogs must be an array', req);
    const accepted: ReceivedRecord[] = [];
    let rejected = 0;
    for (const rl of body.resourceLogs as { resource?: { attributes?: unknown }; scopeLogs?: { logRecords?: Record<string, unknown>[] }[] }[]) {
      const resource = attributesOf(rl.resource?.attributes);
      for (const sl of rl.scopeLogs ?? [])
        for (const raw of sl.logRecords ?? []) {
          // proto3 JSON: fixed64 times travel as decimal strings.
          if (raw.timeUnixNano !== undefined && !(typeof raw.timeUnixNano === 'string' && /^\d+$/.test(raw.timeUnixNano)))
            return status(res, 400, 3, 'timeUnixNano must be a decimal string', req);
          const attributes = attributesOf(raw.attributes);
          const record: ReceivedRecord = { id: typeof attributes['event.id'] === 'string' ? attributes['event.id'] : undefined, attributes, resource, raw };
          if (faults.reject?.(record)) rejected += 1;
          else accepted.push(record);
        }
    }
    records.push(...accepted);
    if (rejected === 0) return answerJson(res, 200, {});
    answerJson(res, 200, { partialSuccess: { rejectedLogRecords: String(rejected), errorMessage: `${rejected} log records dropped by the filter processor` } });
  };

  const server = await startLoopbackServer((req, res) => {
    if (req.method === 'POST' && new URL(req.url, 'http://x').pathname === path) return onExport(req, res);
    status(res, 404, 5, 'Not Found', req);
  }, options.tls);

  return {
    url: server.origin + path,
    server,
    faults,
    records,
    uniqueIds: () => new Set(records.map((r) => r.id).filter((id): id is string => id !== undefined)),
    exports: () => exports,
    close: () => server.close(),
  };
}
