// The Splunk HTTP Event Collector sink: batched JSON events to /services/collector/event with
// `Authorization: Splunk <token>`, and, when the sink asks for it, indexer acknowledgement by channel
// (a 200 only means received; the batch counts as delivered once /services/collector/ack says indexed).
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ForwardEvent } from '../../../../src-shared/schemas/forward';
import type { HecSinkConfig } from '../../../../src-shared/schemas/sinks';
import type { TestStep } from '../../../../src-shared/schemas/providers';
import { retryAtFromHeaders } from '../../providers/retry';
import { TestRun, skipRest, type StepResult } from '../../providers/test-run';
import type { Clock } from '../../providers/clock';
import { createSinkHttp, quote, type SinkAnswer, type SinkHttp, type SinkHttpOptions } from '../sink-http';
import type { DeliveryOutcome, SinkError, SinkTransport } from '../transport';
import { verdictForCode, verdictForStatus, type HecVerdict } from './codes';
import { hecBatchBody, hecEndpoints, hecEvent, type HecMetadata } from './wire';

export interface HecTransportDeps extends SinkHttpOptions {
  /** The `host` field of every event; defaults to this computer's name. */
  host?: string;
  /** How long to wait for indexer acknowledgement before the batch is sent again. */
  ackTimeoutMs?: number;
  /** First wait between acknowledgement polls; it doubles up to 8× (Splunk asks clients not to poll hard). */
  ackPollMs?: number;
  /** An HTTP client to share (tests); otherwise the transport makes and closes its own. */
  http?: SinkHttp;
}

type Answer = { kind: 'answer'; answer: SinkAnswer; code: number | undefined; text: string };

export function createHecTransport(config: HecSinkConfig, token: string, deps: HecTransportDeps = {}): SinkTransport {
  const http = deps.http ?? createSinkHttp(deps);
  const clock: Clock = http.clock;
  const endpoints = hecEndpoints(config.url);
  const host = new URL(config.url).host;
  const meta: HecMetadata = { host: deps.host ?? hostname(), index: config.index, source: config.source, sourcetype: config.sourcetype };
  const secrets = [token, `Splunk ${token}`];
  const ackTimeoutMs = deps.ackTimeoutMs ?? 120_000;
  const ackPollMs = deps.ackPollMs ?? 1_000;
  const channelHeader: Record<string, string> = config.useAck && config.channel ? { 'x-splunk-request-channel': config.channel } : {};
  const authHeaders = { authorization: `Splunk ${token}`, ...channelHeader };

  async function post(url: string, body: string, signal: AbortSignal): Promise<Answer | { kind: 'failed'; error: SinkError }> {
    const sent = await http.exchange({ method: 'POST', url, body, signal, secrets, headers: { ...authHeaders, 'content-type': 'application/json' } });
    if (!sent.ok) return { kind: 'failed', error: sent.error };
    const json = sent.answer.json as { code?: unknown; text?: unknown } | undefined;
    const code = typeof json?.code === 'number' ? json.code : undefined;
    const text = quote(typeof json?.text === 'string' ? json.text : sent.answer.text, secrets);
    return { kind: 'answer', answer: sent.answer, code, text };
  }

  /** The verdict for a failed answer, with the server's Retry-After when it sent one. */
  function failure(a: Answer): HecVerdict & { afterMs?: number } {
    const verdict =
      (a.code !== undefined ? verdictForCode(a.code, a.answer.status, a.text, host) : undefined) ?? verdictForStatus(a.answer.status, a.text, host);
    const retryAt = retryAtFromHeaders(a.answer.headers, a.answer.receivedAt);
    return retryAt !== undefined && verdict.kind === 'retry' ? { ...verdict, afterMs: Math.max(0, retryAt - a.answer.receivedAt) } : verdict;
  }

  const succeeded = (a: Answer) => a.answer.status >= 200 && a.answer.status < 300 && (a.code === undefined || a.code === 0);

  /** Polls /services/collector/ack until Splunk says the request was indexed, or the wait runs out. */
  async function awaitAck(ackId: number, signal: AbortSignal, timeoutMs: number): Promise<{ ok: true } | { ok: false; error: SinkError }> {
    const deadline = clock.now() + timeoutMs;
    let wait = ackPollMs;
    let lastProblem = '';
    for (;;) {
      try {
        await clock.sleep(Math.min(wait, Math.max(0, deadline - clock.now())), signal);
      } catch {
        return { ok: false, error: { code: 'net.aborted', message: `Waiting for ${host} to acknowledge was cancelled.`, fix: 'The batch is sent again.' } };
      }
      wait = Math.min(wait * 2, ackPollMs * 8);
      const polled = await post(`${endpoints.ack}?channel=${encodeURIComponent(config.channel ?? '')}`, JSON.stringify({ acks: [ackId] }), signal);
      // A lost connection may mean a restarted Splunk, which forgets its acks: send again now rather than wait out the timeout.
      if (polled.kind === 'failed') return { ok: false, error: polled.error };
      else if (succeeded(polled)) {
        const acks = (polled.answer.json as { acks?: Record<string, unknown> } | undefined)?.acks;
        if (acks?.[String(ackId)] === true) return { ok: true };
      } else {
        const verdict = failure(polled);
        // A busy server may still index the batch: keep polling; set-up problems (token, ack off) end the wait.
        if (verdict.error.code !== 'hec.busy' && verdict.error.code !== 'hec.server_error' && verdict.error.code !== 'hec.unhealthy')
          return { ok: false, error: verdict.error };
        lastProblem = ` The last poll failed: ${verdict.error.message}`;
      }
      if (clock.now() >= deadline)
        return {
          ok: false,
          error: {
            code: 'hec.ack_timeout',
            message: `${host} received the batch but did not confirm indexing within ${Math.round(timeoutMs / 1000)} s (ack ${ackId}).${lastProblem}`,
            fix: 'The batch is sent again (receivers drop duplicates by event id). If this persists, the Splunk indexers are slow or blocked: check their queues.',
          },
        };
    }
  }

  /** One request's acknowledgement id, or why it is missing. */
  function ackIdOf(a: Answer): number | SinkError {
    const ackId = (a.answer.json as { ackId?: unknown } | undefined)?.ackId;
    if (typeof ackId === 'number' && Number.isInteger(ackId) && ackId >= 0) return ackId;
    return {
      code: 'hec.ack_missing',
      message: `${host} accepted the batch but returned no acknowledgement id, so indexing cannot be confirmed: indexer acknowledgement is off for this token.`,
      fix: 'In Splunk, edit the HEC token and tick “Enable indexer acknowledgement”, or turn acknowledgement off in this sink.',
    };
  }

  async function deliver(batch: readonly ForwardEvent[], signal: AbortSignal): Promise<DeliveryOutcome> {
    try {
      return await deliverBatch(batch, signal);
    } catch {
      // A bug here must not reject (the seam's rule) nor quote anything that could hold the token.
      return {
        kind: 'retry',
        error: { code: 'hec.internal', message: 'Sending to Splunk stopped on an internal error.', fix: 'Report it with the app logs.' },
      };
    }
  }

  async function deliverBatch(batch: readonly ForwardEvent[], signal: AbortSignal): Promise<DeliveryOutcome> {
    if (batch.length === 0) return { kind: 'delivered' };
    const rejected: { id: string; reason: string }[] = [];
    let pending = [...batch];
    // Each round removes at least one event (the invalid one), so this ends.
    for (let round = 0; round <= batch.length; round += 1) {
      const sent = await post(endpoints.event, hecBatchBody(pending, meta), signal);
      if (sent.kind === 'failed') return { kind: 'retry', error: sent.error };
      if (succeeded(sent)) {
        if (config.useAck) {
          const ackId = ackIdOf(sent);
          if (typeof ackId !== 'number') return { kind: 'retry', error: ackId };
          const acked = await awaitAck(ackId, signal, ackTimeoutMs);
          if (!acked.ok) return { kind: 'retry', error: acked.error };
        }
        return rejected.length ? { kind: 'partial', rejected } : { kind: 'delivered' };
      }
      const verdict = failure(sent);
      if (verdict.kind === 'retry') return { kind: 'retry', error: verdict.error, ...(verdict.afterMs !== undefined ? { afterMs: verdict.afterMs } : {}) };
      // Only data codes name one bad event; a set-up problem (a wrong index) with a number still waits above.
      const invalid = (sent.answer.json as { 'invalid-event-number'?: unknown } | undefined)?.['invalid-event-number'];
      if (typeof invalid === 'number' && Number.isInteger(invalid) && invalid >= 0 && invalid < pending.length) {
        // Splunk took the events before the invalid one and stopped there. Without acknowledgement those count as
        // received; with it nothing is confirmed, so they go again with the rest (duplicates share their ids).
        rejected.push({ id: pending[invalid]!.id, reason: `Splunk refused this event: ${sent.text || 'invalid data'} (HEC code ${sent.code ?? '?'}).` });
        pending = config.useAck ? [...pending.slice(0, invalid), ...pending.slice(invalid + 1)] : pending.slice(invalid + 1);
        if (pending.length === 0) return { kind: 'partial', rejected };
        continue;
      }
      if (rejected.length === 0) return { kind: 'refused', error: verdict.error };
      return { kind: 'partial', rejected: [...rejected, ...pending.map((e) => ({ id: e.id, reason: verdict.error.message }))] };
    }
    return { kind: 'retry', error: { code: 'hec.internal', message: 'Splunk kept refusing events one by one.', fix: 'Report it with the app logs.' } };
  }

  async function test(onStep: (step: TestStep) => void, signal: AbortSignal): Promise<TestStep[]> {
    const run = new TestRun(clock, onStep);
    const rest: [string, string][] = [
      ['health', 'Collector health'],
      ['token', 'Token (a test event)'],
      ['ack', 'Indexer acknowledgement'],
    ];
    const transport = new URL(config.url).protocol === 'https:' ? 'over TLS with a trusted certificate' : 'over plain HTTP (loopback)';
    let health: SinkAnswer | undefined;
    const reach = await run.step('reachability', 'Reachability and TLS', async () => {
      const got = await http.exchange({ method: 'GET', url: endpoints.health, signal, secrets });
      if (!got.ok) return fail(got.error);
      health = got.answer;
      return { observed: `${host} answered ${transport} in ${got.answer.elapsedMs} ms (HTTP ${got.answer.status}).` };
    });
    if (reach.status === 'fail' || !health) {
      skipRest(run, rest, 'Skipped: the collector could not be reached.');
      return run.steps;
    }
    const answered = health;
    await run.step('health', 'Collector health', async () => healthResult(answered, host, config.useAck, secrets));

    let ackId: number | undefined;
    const tokenStep = await run.step('token', 'Token (a test event)', async () => {
      const probe: ForwardEvent = {
        id: `test-${randomUUID()}`,
        kind: 'audit',
        time: new Date(clock.now()).toISOString(),
        summary: 'Posture Console sink test',
        body: { test: true },
      };
      const body = JSON.stringify({ ...hecEvent(probe, meta), event: { id: probe.id, kind: 'test', summary: probe.summary, test: true } });
      const sent = await post(endpoints.event, body, signal);
      if (sent.kind === 'failed') return fail(sent.error);
      if (!succeeded(sent)) return fail(failure(sent).error);
      if (config.useAck) {
        const id = ackIdOf(sent);
        if (typeof id !== 'number') return fail(id);
        ackId = id;
      }
      const where = config.index ? `index ${config.index}` : 'the token’s default index';
      return { observed: `Splunk accepted a test event (id ${probe.id}) for ${where}.` };
    });

    if (!config.useAck) run.skip('ack', 'Indexer acknowledgement', 'Off for this sink: a 200 means Splunk received the events, not that it indexed them.');
    else if (tokenStep.status === 'fail' || ackId === undefined) run.skip('ack', 'Indexer acknowledgement', 'Skipped: no test event was accepted.');
    else {
      const id = ackId;
      await run.step('ack', 'Indexer acknowledgement', async () => {
        const started = clock.now();
        const acked = await awaitAck(id, signal, Math.min(ackTimeoutMs, 60_000));
        if (!acked.ok) return fail(acked.error);
        return { observed: `Splunk confirmed the test event indexed (ack ${id} on channel ${config.channel}) after ${clock.now() - started} ms.` };
      });
    }
    return run.steps;
  }

  return {
    deliver,
    test,
    close: async () => {
      if (!deps.http) await http.close();
    },
  };
}

function fail(error: SinkError): StepResult {
  return { status: 'fail', observed: error.message, cause: error.message, fix: error.fix, code: error.code };
}

function healthResult(answer: SinkAnswer, host: string, useAck: boolean, secrets: readonly string[]): StepResult {
  const json = answer.json as { code?: unknown; text?: unknown } | undefined;
  const code = typeof json?.code === 'number' ? json.code : undefined;
  const text = quote(typeof json?.text === 'string' ? json.text : answer.text, secrets);
  if (answer.status === 200) return { observed: `HEC is healthy (HTTP 200${code !== undefined ? `, code ${code}` : ''}).` };
  if (answer.status === 404)
    return fail({
      code: 'hec.not_found',
      message: `${host} has no HTTP Event Collector at this URL (HTTP 404).`,
      fix: 'Use the collector URL, e.g. https://splunk.example.com:8088, and enable HEC in Splunk under Settings > Data inputs > HTTP Event Collector > Global Settings.',
    });
  // Code 19/20: the acknowledgement service is down, which only matters when this sink waits for it.
  const ackOnly = code === 19;
  const error: SinkError = {
    code: 'hec.unhealthy',
    message: `${host} reports HEC unhealthy: “${text}” (HTTP ${answer.status}${code !== undefined ? `, code ${code}` : ''}).`,
    fix: 'Splunk’s indexing queues are full or its acknowledgement service is down: check the indexers. Events wait in the outbox meanwhile.',
  };
  return ackOnly && !useAck ? { ...fail(error), status: 'warn' } : fail(error);
}
