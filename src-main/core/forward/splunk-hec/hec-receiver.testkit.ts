// A loopback Splunk HTTP Event Collector for tests: /services/collector/health, /event and /ack with
// channels, the token check, and the documented status codes (including `invalid-event-number`), plus
// faults: 503 storms, slow reads, a stopped listener, a disabled token, late or missing acknowledgements.
import { answerJson, startLoopbackServer, type LoopbackServer, type ReceivedRequest } from '../loopback-server.testkit';
import type { ServerResponse } from 'node:http';

export interface HecReceiverOptions {
  token: string;
  /** The token has "Enable indexer acknowledgement" ticked. */
  useAck?: boolean;
  /** Indexes the token may write to; unset = any. */
  allowedIndexes?: string[];
  tls?: { key: string; cert: string };
}

export interface IndexedEvent {
  /** The forwarded event's stable id (event.id). */
  id: string | undefined;
  /** The whole HEC event object as received. */
  raw: Record<string, unknown>;
  channel: string | undefined;
}

export interface HecFaults {
  /** Answer this many event posts with 503 / code 9 (a storm). */
  busy: number;
  /** Retry-After sent with the busy answers. */
  retryAfter?: string;
  /** The token is disabled (code 1). */
  tokenDisabled: boolean;
  /** Events (as received) that Splunk cannot parse, answered with code 6 and their invalid-event-number. */
  invalid?: (event: Record<string, unknown>) => boolean;
  /** Acknowledgement polls answered `false` before an ack turns true. */
  ackAfterPolls: number;
  /** Acks never turn true (an indexer that never confirms). */
  ackNever: boolean;
  /** The health endpoint's HEC code (17 healthy; 18, 19, 20 unhealthy). */
  healthCode: 17 | 18 | 19 | 20;
  /** Error answers quote the Authorization header back (a careless proxy), to prove the client scrubs it. */
  echoAuthorization: boolean;
  /** Answer the next event posts with exactly this, first in first out. */
  scripted: { status: number; body: unknown }[];
}

export interface HecReceiver {
  /** The collector base, e.g. http://127.0.0.1:PORT */
  readonly url: string;
  readonly server: LoopbackServer;
  readonly faults: HecFaults;
  /** Every indexed event in arrival order, duplicates included. */
  readonly indexed: IndexedEvent[];
  /** Distinct event ids indexed. */
  uniqueIds(): Set<string>;
  /** Acknowledgement polls received. */
  ackPolls(): number;
  close(): Promise<void>;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export async function startHecReceiver(options: HecReceiverOptions): Promise<HecReceiver> {
  const faults: HecFaults = { busy: 0, tokenDisabled: false, ackAfterPolls: 0, ackNever: false, healthCode: 17, echoAuthorization: false, scripted: [] };
  const indexed: IndexedEvent[] = [];
  // Per channel: next ack id, and the polls each pending ack has seen.
  const channels = new Map<string, { next: number; polls: Map<number, number> }>();
  let ackPolls = 0;

  const hec = (res: ServerResponse, status: number, code: number, text: string, req: ReceivedRequest, extra: Record<string, unknown> = {}, headers = {}) => {
    const quoted = faults.echoAuthorization && code !== 0 ? `${text} (got ${req.headers['authorization'] ?? 'nothing'})` : text;
    answerJson(res, status, { text: quoted, code, ...extra }, headers);
  };

  /** Splunk's token check: codes 2 (missing), 3 (not "Splunk <token>"), 4 (unknown), 1 (disabled). */
  const authorize = (req: ReceivedRequest, res: ServerResponse): boolean => {
    const auth = req.headers['authorization'];
    if (!auth) return (hec(res, 401, 2, 'Token is required', req), false);
    const match = /^Splunk\s+(\S+)$/.exec(auth);
    if (!match) return (hec(res, 401, 3, 'Invalid authorization', req), false);
    if (match[1] !== options.token) return (hec(res, 403, 4, 'Invalid token', req), false);
    if (faults.tokenDisabled) return (hec(res, 403, 1, 'Token disabled', req), false);
    return true;
  };

  /** The channel from the header or ?channel=; false when the answer has been written. */
  const channelOf = (req: ReceivedRequest, res: ServerResponse): string | undefined | false => {
    const channel = req.headers['x-splunk-request-channel'] ?? new URL(req.url, 'http://x').searchParams.get('channel') ?? undefined;
    if (!options.useAck) return channel;
    if (!channel) return (hec(res, 400, 10, 'Data channel is missing', req), false);
    if (!GUID.test(channel)) return (hec(res, 400, 11, 'Invalid data channel', req), false);
    return channel;
  };

  const onEvent = (req: ReceivedRequest, res: ServerResponse) => {
    if (!authorize(req, res)) return;
    const scripted = faults.scripted.shift();
    if (scripted) return answerJson(res, scripted.status, scripted.body);
    if (faults.busy > 0) {
      faults.busy -= 1;
      return hec(res, 503, 9, 'Server is busy', req, {}, faults.retryAfter ? { 'retry-after': faults.retryAfter } : {});
    }
    const channel = channelOf(req, res);
    if (channel === false) return;
    if (req.body.trim() === '') return hec(res, 400, 5, 'No data', req);
    const events = splitConcatenated(req.body);
    // Splunk indexes events in order and stops at the first bad one, naming it.
    for (let i = 0; i < events.length; i += 1) {
      const event = events[i];
      if (event === undefined || (faults.invalid && faults.invalid(event))) return hec(res, 400, 6, 'Invalid data format', req, { 'invalid-event-number': i });
      if (!('event' in event)) return hec(res, 400, 12, 'Event field is required', req, { 'invalid-event-number': i });
      if (event.event === '' || event.event === null) return hec(res, 400, 13, 'Event field cannot be blank', req, { 'invalid-event-number': i });
      if (typeof event.index === 'string' && options.allowedIndexes && !options.allowedIndexes.includes(event.index))
        return hec(res, 400, 7, 'Incorrect index', req, { 'invalid-event-number': i });
      const body = event.event as { id?: unknown };
      indexed.push({ id: typeof body?.id === 'string' ? body.id : undefined, raw: event, channel: channel || undefined });
    }
    if (!options.useAck || !channel) return hec(res, 200, 0, 'Success', req);
    const state = channels.get(channel) ?? { next: 0, polls: new Map<number, number>() };
    channels.set(channel, state);
    const ackId = state.next++;
    state.polls.set(ackId, 0);
    return hec(res, 200, 0, 'Success', req, { ackId });
  };

  const onAck = (req: ReceivedRequest, res: ServerResponse) => {
    if (!authorize(req, res)) return;
    if (!options.useAck) return hec(res, 400, 14, 'ACK is disabled', req);
    const channel = channelOf(req, res);
    if (channel === false) return;
    ackPolls += 1;
    let ids: unknown;
    try {
      ids = (JSON.parse(req.body) as { acks?: unknown }).acks;
    } catch {
      return hec(res, 400, 6, 'Invalid data format', req);
    }
    if (!Array.isArray(ids)) return hec(res, 400, 6, 'Invalid data format', req);
    const state = channel ? channels.get(channel) : undefined;
    const acks: Record<string, boolean> = {};
    for (const id of ids) {
      const polls = state?.polls.get(Number(id));
      if (polls === undefined) {
        acks[String(id)] = false;
        continue;
      }
      state!.polls.set(Number(id), polls + 1);
      acks[String(id)] = !faults.ackNever && polls >= faults.ackAfterPolls;
    }
    answerJson(res, 200, { acks });
  };

  const onHealth = (req: ReceivedRequest, res: ServerResponse) => {
    const texts = {
      17: 'HEC is healthy',
      18: 'HEC is unhealthy, queues are full',
      19: 'HEC is unhealthy, ack service unavailable',
      20: 'HEC is unhealthy, queues are full, ack service unavailable',
    };
    hec(res, faults.healthCode === 17 ? 200 : 503, faults.healthCode, texts[faults.healthCode], req);
  };

  const server = await startLoopbackServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (req.method === 'GET' && path === '/services/collector/health') return onHealth(req, res);
    if (req.method === 'POST' && (path === '/services/collector/event' || path === '/services/collector')) return onEvent(req, res);
    if (req.method === 'POST' && path === '/services/collector/ack') return onAck(req, res);
    answerJson(res, 404, { text: 'The requested URL was not found on this server.', code: 404 });
  }, options.tls);

  return {
    url: server.origin,
    server,
    faults,
    indexed,
    uniqueIds: () => new Set(indexed.map((e) => e.id).filter((id): id is string => id !== undefined)),
    ackPolls: () => ackPolls,
    close: () => server.close(),
  };
}

/** HEC's batch body: JSON objects back to back (whitespace between). An unparseable one becomes undefined and ends the list. */
export function splitConcatenated(body: string): (Record<string, unknown> | undefined)[] {
  const out: (Record<string, unknown> | undefined)[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth += 1;
    } else if (c === '}') {
      depth -= 1;
      if (depth === 0) {
        try {
          out.push(JSON.parse(body.slice(start, i + 1)) as Record<string, unknown>);
        } catch {
          out.push(undefined);
          return out;
        }
      }
    } else if (depth === 0 && !/\s/.test(c!)) {
      out.push(undefined);
      return out;
    }
  }
  if (depth !== 0) out.push(undefined);
  return out;
}
