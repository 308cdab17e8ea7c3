// The OpenTelemetry logs sink: OTLP/HTTP with JSON encoding to the collector's /v1/logs. Per the OTLP
// specification, 429/502/503/504 are retried (after Retry-After when sent) and 400 never is; a partial
// success counts its rejected records. Deliberately, 401/403/404 also wait (a set-up problem, not bad data).
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ForwardEvent } from '../../../../src-shared/schemas/forward';
import type { OtlpSinkConfig } from '../../../../src-shared/schemas/sinks';
import type { TestStep } from '../../../../src-shared/schemas/providers';
import { retryAtFromHeaders } from '../../providers/retry';
import { TestRun, skipRest, type StepResult } from '../../providers/test-run';
import { appVersion } from '../../version';
import { createSinkHttp, quote, type SinkAnswer, type SinkHttp, type SinkHttpOptions } from '../sink-http';
import type { DeliveryOutcome, SinkError, SinkTransport } from '../transport';
import { exportRequest, logRecord, type LogRecord, type OtlpResource } from './wire';

export interface OtlpTransportDeps extends SinkHttpOptions {
  /** The `host.name` resource attribute; defaults to this computer's name. */
  host?: string;
  /** An HTTP client to share (tests); otherwise the transport makes and closes its own. */
  http?: SinkHttp;
}

/** Answers the OTLP specification lists as retryable; every other 4xx/5xx must not be retried. */
const RETRYABLE = new Set([429, 502, 503, 504]);

export function createOtlpTransport(config: OtlpSinkConfig, token: string | undefined, deps: OtlpTransportDeps = {}): SinkTransport {
  const http = deps.http ?? createSinkHttp(deps);
  const clock = http.clock;
  const host = new URL(config.url).host;
  const resource: OtlpResource = { serviceName: config.serviceName, hostName: deps.host ?? hostname(), version: appVersion };
  const secrets = token ? [token, `Bearer ${token}`] : [];
  const headers: Record<string, string> = {
    ...config.headers,
    'content-type': 'application/json',
    accept: 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };

  const send = (records: LogRecord[], signal: AbortSignal) =>
    http.exchange({ method: 'POST', url: config.url, headers, body: JSON.stringify(exportRequest(records, resource)), signal, secrets });

  /** The collector's google.rpc.Status message, or its text, fit to quote. */
  function said(answer: SinkAnswer): string {
    const message = (answer.json as { message?: unknown } | undefined)?.message;
    const text = quote(typeof message === 'string' ? message : answer.text, secrets);
    return text ? ` The collector said: “${text}”.` : '';
  }

  /** What a non-2xx answer means for the batch. */
  function failure(answer: SinkAnswer): Exclude<DeliveryOutcome, { kind: 'delivered' } | { kind: 'partial' }> {
    const { status } = answer;
    if (RETRYABLE.has(status)) {
      const retryAt = retryAtFromHeaders(answer.headers, answer.receivedAt);
      const error: SinkError =
        status === 429
          ? { code: 'otlp.throttled', message: `${host} is throttling (HTTP 429).${said(answer)}`, fix: 'Events are sent again when the collector allows.' }
          : { code: 'otlp.unavailable', message: `${host} is unavailable (HTTP ${status}).${said(answer)}`, fix: 'Events are sent again after a pause.' };
      return { kind: 'retry', error, ...(retryAt !== undefined ? { afterMs: Math.max(0, retryAt - answer.receivedAt) } : {}) };
    }
    if (status === 401 || status === 403)
      return {
        kind: 'retry',
        error: {
          code: 'otlp.bad_token',
          message: `Bad token: ${host} refused the credentials (HTTP ${status}).${said(answer)}`,
          fix: 'Check the bearer token (or the extra headers) the collector expects and save it again in this sink. Events wait in the outbox until then.',
        },
      };
    if (status === 404 || status === 405)
      return {
        kind: 'retry',
        error: {
          code: 'otlp.not_found',
          message: `${host} has no OTLP logs endpoint at this URL (HTTP ${status}).${said(answer)}`,
          fix: 'Use the collector’s OTLP/HTTP logs URL, usually https://collector.example.com:4318/v1/logs (the otlp receiver’s http protocol). Events wait in the outbox until then.',
        },
      };
    if (status === 400)
      return {
        kind: 'refused',
        error: {
          code: 'otlp.bad_request',
          message: `${host} refused the records as malformed (HTTP 400); OTLP says not to send them again.${said(answer)}`,
          fix: 'The records were kept as dead letters. If the collector speaks only protobuf, enable JSON on its OTLP/HTTP receiver.',
        },
      };
    if (status === 413)
      return {
        kind: 'refused',
        error: {
          code: 'otlp.too_large',
          message: `${host} refused the batch as too large (HTTP 413).${said(answer)}`,
          fix: 'Lower the batch size of this sink.',
        },
      };
    return {
      kind: 'refused',
      error: {
        code: 'otlp.refused',
        message: `${host} refused the records (HTTP ${status}); OTLP says not to retry this answer.${said(answer)}`,
        fix: 'The records were kept as dead letters; check the collector’s logs.',
      },
    };
  }

  /** A 2xx: full or partial success. OTLP does not say which records were rejected, only how many. */
  function success(answer: SinkAnswer, batch: readonly ForwardEvent[]): DeliveryOutcome {
    const partial = (answer.json as { partialSuccess?: { rejectedLogRecords?: unknown; errorMessage?: unknown } } | undefined)?.partialSuccess;
    const count = Number(partial?.rejectedLogRecords ?? 0);
    if (!Number.isFinite(count) || count <= 0) return { kind: 'delivered' };
    const message = typeof partial?.errorMessage === 'string' && partial.errorMessage ? ` “${quote(partial.errorMessage, secrets)}”` : '';
    // Every record rejected: the ids are known after all.
    if (count >= batch.length)
      return {
        kind: 'refused',
        error: {
          code: 'otlp.rejected',
          message: `${host} rejected all ${batch.length} records.${message}`,
          fix: 'The records were kept as dead letters; check the collector’s processors and limits.',
        },
      };
    return {
      kind: 'partial',
      rejected: [],
      unattributed: {
        count,
        error: {
          code: 'otlp.partially_rejected',
          message: `${host} rejected ${count} of ${batch.length} records without naming them.${message}`,
          fix: 'OTLP does not say which records were refused, so none can be kept as dead letters; check the collector’s processors and limits.',
        },
      },
    };
  }

  async function deliver(batch: readonly ForwardEvent[], signal: AbortSignal): Promise<DeliveryOutcome> {
    try {
      if (batch.length === 0) return { kind: 'delivered' };
      const observed = new Date(clock.now()).toISOString();
      const sent = await send(
        batch.map((e) => logRecord(e, observed)),
        signal,
      );
      if (!sent.ok) return { kind: 'retry', error: sent.error };
      return sent.answer.status >= 200 && sent.answer.status < 300 ? success(sent.answer, batch) : failure(sent.answer);
    } catch {
      return {
        kind: 'retry',
        error: { code: 'otlp.internal', message: 'Sending to the collector stopped on an internal error.', fix: 'Report it with the app logs.' },
      };
    }
  }

  async function test(onStep: (step: TestStep) => void, signal: AbortSignal): Promise<TestStep[]> {
    const run = new TestRun(clock, onStep);
    const transport = new URL(config.url).protocol === 'https:' ? 'over TLS with a trusted certificate' : 'over plain HTTP (loopback)';
    let empty: SinkAnswer | undefined;
    // An empty export changes nothing at the collector and proves the path, the JSON encoding and the token.
    const reach = await run.step('reachability', 'Reachability and TLS', async () => {
      const got = await send([], signal);
      if (!got.ok) return fail(got.error);
      empty = got.answer;
      return { observed: `${host} answered ${transport} in ${got.answer.elapsedMs} ms (HTTP ${got.answer.status}).` };
    });
    if (reach.status === 'fail' || !empty) {
      skipRest(
        run,
        [
          ['endpoint', 'OTLP endpoint and token'],
          ['record', 'A test log record'],
        ],
        'Skipped: the collector could not be reached.',
      );
      return run.steps;
    }
    const answered = empty;
    const endpoint = await run.step('endpoint', 'OTLP endpoint and token', async () => {
      if (answered.status >= 200 && answered.status < 300)
        return { observed: `${host} accepted an empty OTLP/JSON logs export${token ? ' with the bearer token' : ''}.` };
      const outcome = failure(answered);
      return fail(outcome.error);
    });
    if (endpoint.status === 'fail') {
      run.skip('record', 'A test log record', 'Skipped: the endpoint did not accept an export.');
      return run.steps;
    }
    await run.step('record', 'A test log record', async () => {
      const id = `test-${randomUUID()}`;
      const now = new Date(clock.now()).toISOString();
      const record = logRecord({ id, kind: 'audit', time: now, summary: 'Posture Console sink test', body: { test: true } }, now);
      record.attributes[1] = { key: 'event.kind', value: { stringValue: 'test' } };
      const got = await send([record], signal);
      if (!got.ok) return fail(got.error);
      const outcome =
        got.answer.status >= 200 && got.answer.status < 300
          ? success(got.answer, [{ id, kind: 'audit', time: now, summary: '', body: {} }])
          : failure(got.answer);
      if (outcome.kind === 'delivered') return { observed: `${host} accepted a test log record (event.id ${id}).` };
      return fail(outcome.kind === 'partial' ? outcome.unattributed!.error : outcome.error);
    });
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
