import { afterEach, describe, expect, it } from 'vitest';
import type { ForwardEvent } from '../../../../src-shared/schemas/forward';
import type { OtlpSinkConfig } from '../../../../src-shared/schemas/sinks';
import type { TestStep } from '../../../../src-shared/schemas/providers';
import { hasOpenssl, selfSignedCertificate } from '../../providers/tls-fixture.testkit';
import type { DeliveryOutcome, SinkTransport } from '../transport';
import { startOtlpReceiver, type OtlpReceiver, type OtlpReceiverOptions } from './otlp-receiver.testkit';
import { createOtlpTransport, type OtlpTransportDeps } from './transport';
import { flatten, severityOf, unixNano } from './wire';

const TOKEN = 'otlp-b3f1c9e2-77aa-4f0e-9d3b-5c1e2f3a4b5c';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function receiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const r = await startOtlpReceiver(options);
  open.push(r);
  return r;
}

function sink(url: string, token: string | undefined = undefined, config: Partial<OtlpSinkConfig> = {}, deps: OtlpTransportDeps = {}): SinkTransport {
  const full: OtlpSinkConfig = {
    id: 'otlp-1',
    kind: 'otlp-http',
    name: 'Collector',
    enabled: true,
    events: ['posture.change'],
    batchSize: 100,
    maxPendingEvents: 1000,
    url,
    serviceName: 'posture-console',
    ...config,
  };
  const t = createOtlpTransport(full, token, { host: 'console-host', ...deps });
  open.push(t);
  return t;
}

function events(n: number, extra: (i: number) => Record<string, unknown> = () => ({})): ForwardEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `evt-${i}`,
    kind: 'posture.change' as const,
    time: `2026-12-06T10:00:0${i % 10}.250Z`,
    summary: `device ${i} now fails Firewall`,
    body: { device: { hostname: `host-${i}`, serial: `SN${i}` }, result: 'fail', score: 42 + i, ...extra(i) },
  }));
}

const signal = () => new AbortController().signal;
const kindAndCode = (o: DeliveryOutcome) => [o.kind, o.kind === 'retry' || o.kind === 'refused' ? o.error.code : undefined];

describe('OTLP/HTTP transport: delivery', () => {
  it('posts an ExportLogsServiceRequest: service.name, string nanosecond times, severity, summary body, id, kind and flattened fields', async () => {
    const r = await receiver();
    const outcome = await sink(r.url, undefined, { serviceName: 'soc-feed' }).deliver(events(2), signal());
    expect(outcome).toEqual({ kind: 'delivered' });
    const request = r.server.requests[0]!;
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['authorization']).toBeUndefined();
    expect(r.records).toHaveLength(2);
    const [first] = r.records;
    expect(first!.resource).toMatchObject({ 'service.name': 'soc-feed', 'host.name': 'console-host' });
    expect(first!.raw).toMatchObject({
      timeUnixNano: '1796551200250000000',
      severityText: 'WARN',
      severityNumber: 13,
      body: { stringValue: 'device 0 now fails Firewall' },
    });
    expect(first!.attributes).toEqual({
      'event.id': 'evt-0',
      'event.kind': 'posture.change',
      'device.hostname': 'host-0',
      'device.serial': 'SN0',
      result: 'fail',
      score: '42',
    });
  });

  it('sends the bearer token when one is set, and the sink’s extra headers', async () => {
    const r = await receiver({ token: TOKEN });
    const outcome = await sink(r.url, TOKEN, { headers: { 'x-scope-orgid': 'soc' } }).deliver(events(1), signal());
    expect(outcome).toEqual({ kind: 'delivered' });
    expect(r.server.requests[0]!.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(r.server.requests[0]!.headers['x-scope-orgid']).toBe('soc');
  });

  it('a batch sent twice carries the same event.id values, so the receiver can drop duplicates', async () => {
    const r = await receiver();
    const t = sink(r.url);
    const batch = events(3);
    await t.deliver(batch, signal());
    await t.deliver(batch, signal());
    expect(r.records).toHaveLength(6);
    expect([...r.uniqueIds()].sort()).toEqual(['evt-0', 'evt-1', 'evt-2']);
  });

  it('a body field cannot pose as event.id', async () => {
    const r = await receiver();
    await sink(r.url).deliver(
      events(1, () => ({ event: { id: 'spoofed' } })),
      signal(),
    );
    expect(r.records[0]!.id).toBe('evt-0');
  });
});

describe('OTLP/HTTP transport: answers mapped to outcomes', () => {
  it('a 503 storm is a retry with Retry-After in seconds, one request per delivery, then delivered', async () => {
    const r = await receiver();
    r.faults.statuses.push(503, 503, 503);
    r.faults.retryAfter = '3';
    const t = sink(r.url);
    for (let i = 0; i < 3; i += 1)
      expect(await t.deliver(events(1), signal())).toMatchObject({ kind: 'retry', error: { code: 'otlp.unavailable' }, afterMs: 3000 });
    expect(r.exports()).toBe(3);
    expect(await t.deliver(events(1), signal())).toEqual({ kind: 'delivered' });
  });

  it('a 429 with Retry-After as an HTTP date waits until that date by the server’s clock', async () => {
    const r = await receiver();
    r.faults.statuses.push(429);
    r.faults.retryAfter = new Date(Date.now() + 10_000).toUTCString();
    const outcome = await sink(r.url).deliver(events(1), signal());
    expect(outcome).toMatchObject({ kind: 'retry', error: { code: 'otlp.throttled' } });
    const afterMs = outcome.kind === 'retry' ? outcome.afterMs : undefined;
    expect(afterMs).toBeGreaterThan(7_000);
    expect(afterMs).toBeLessThanOrEqual(11_000);
  });

  it.each([502, 504])('%i is retried', async (code) => {
    const r = await receiver();
    r.faults.statuses.push(code);
    expect(kindAndCode(await sink(r.url).deliver(events(1), signal()))).toEqual(['retry', 'otlp.unavailable']);
  });

  it('a 400 is refused for good (dead letters) and never retried', async () => {
    const r = await receiver();
    r.faults.statuses.push(400);
    const outcome = await sink(r.url).deliver(events(2), signal());
    expect(kindAndCode(outcome)).toEqual(['refused', 'otlp.bad_request']);
    expect(r.exports()).toBe(1);
  });

  it('a 500 is not in OTLP’s retryable list, so it is refused', async () => {
    const r = await receiver();
    r.faults.statuses.push(500);
    expect(kindAndCode(await sink(r.url).deliver(events(1), signal()))).toEqual(['refused', 'otlp.refused']);
  });

  it('partial success is partial with the rejected count and message, claiming no ids it was not given', async () => {
    const r = await receiver();
    r.faults.reject = (rec) => rec.attributes.score === '43' || rec.attributes.score === '45';
    const outcome = await sink(r.url).deliver(events(4), signal());
    expect(outcome).toMatchObject({ kind: 'partial', rejected: [], unattributed: { count: 2, error: { code: 'otlp.partially_rejected' } } });
    if (outcome.kind === 'partial') expect(outcome.unattributed!.error.message).toMatch(/2 of 4 .*filter processor/);
    expect(r.records.map((x) => x.id)).toEqual(['evt-0', 'evt-2']);
  });

  it('partial success rejecting every record refuses the batch (then every id is known)', async () => {
    const r = await receiver();
    r.faults.reject = () => true;
    expect(kindAndCode(await sink(r.url).deliver(events(3), signal()))).toEqual(['refused', 'otlp.rejected']);
  });

  it('a refused token is a retry with the fix, never quoting the token even when the collector echoes it', async () => {
    const r = await receiver({ token: 'the-right-token-000000' });
    r.faults.echoAuthorization = true;
    const outcome = await sink(r.url, TOKEN).deliver(events(1), signal());
    expect(kindAndCode(outcome)).toEqual(['retry', 'otlp.bad_token']);
    expect(JSON.stringify(outcome)).toContain('[redacted]');
    expect(JSON.stringify(outcome)).not.toContain(TOKEN);
  });

  it('a refused connection is a retry, and delivery resumes when the collector is back', async () => {
    const r = await receiver();
    const t = sink(r.url);
    await r.server.stop();
    expect(kindAndCode(await t.deliver(events(1), signal()))).toEqual(['retry', 'net.refused']);
    await r.server.start();
    expect(await t.deliver(events(1), signal())).toEqual({ kind: 'delivered' });
  });

  it('a collector too slow to answer is a retry (timeout)', async () => {
    const r = await receiver();
    r.server.slowMs = 1_500;
    expect(kindAndCode(await sink(r.url, undefined, {}, { headersTimeoutMs: 150 }).deliver(events(1), signal()))).toEqual(['retry', 'net.timeout']);
  });

  it('a wrong path is a retry naming the usual /v1/logs URL', async () => {
    const r = await receiver();
    const outcome = await sink(r.url.replace('/v1/logs', '/v1/traces')).deliver(events(1), signal());
    expect(kindAndCode(outcome)).toEqual(['retry', 'otlp.not_found']);
    if (outcome.kind === 'retry') expect(outcome.error.fix).toMatch(/4318\/v1\/logs/);
  });
});

describe('OTLP/HTTP transport: the token on the wire', () => {
  it('appears only as the Authorization value: never in a body, a URL or another header, across exports and Test', async () => {
    const r = await receiver({ token: TOKEN });
    const t = sink(r.url, TOKEN);
    await t.deliver(events(3), signal());
    await t.test(() => {}, signal());
    expect(r.server.requests).toHaveLength(3);
    for (const q of r.server.requests) {
      const { authorization, ...others } = q.headers;
      expect(authorization).toBe(`Bearer ${TOKEN}`);
      expect(q.body + q.url + JSON.stringify(others)).not.toContain(TOKEN);
    }
  });
});

describe('OTLP/HTTP transport: Test', () => {
  const run = async (t: SinkTransport) => {
    const steps = await t.test(() => {}, signal());
    return Object.fromEntries(steps.map((s: TestStep) => [s.id, s]));
  };

  it('reachability → endpoint (an empty export) → a test record, all pass', async () => {
    const r = await receiver({ token: TOKEN });
    const steps = await run(sink(r.url, TOKEN));
    expect(Object.values(steps).map((s) => [s.id, s.status])).toEqual([
      ['reachability', 'pass'],
      ['endpoint', 'pass'],
      ['record', 'pass'],
    ]);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.attributes['event.kind']).toBe('test');
  });

  it('a bad token fails the endpoint step with the fix and skips the record', async () => {
    const r = await receiver({ token: 'another-token-1234567' });
    r.faults.echoAuthorization = true;
    const steps = await run(sink(r.url, TOKEN));
    expect(steps.endpoint).toMatchObject({ status: 'fail', code: 'otlp.bad_token' });
    expect(steps.record!.status).toBe('skip');
    expect(JSON.stringify(steps)).not.toContain(TOKEN);
  });

  it('an unreachable collector fails reachability and skips the rest', async () => {
    const r = await receiver();
    await r.server.stop();
    const steps = await run(sink(r.url));
    expect(steps.reachability).toMatchObject({ status: 'fail', code: 'net.refused' });
    expect([steps.endpoint!.status, steps.record!.status]).toEqual(['skip', 'skip']);
  });

  it('a collector dropping the test record fails the record step', async () => {
    const r = await receiver();
    r.faults.reject = () => true;
    const steps = await run(sink(r.url));
    expect(steps.endpoint!.status).toBe('pass');
    expect(steps.record).toMatchObject({ status: 'fail', code: 'otlp.rejected' });
  });

  it.skipIf(!hasOpenssl())('an untrusted certificate fails reachability (TLS); trusting its CA passes', async () => {
    const tls = selfSignedCertificate();
    const r = await receiver({ tls });
    expect((await run(sink(r.url))).reachability).toMatchObject({ status: 'fail', code: 'net.tls' });
    const trusted = await run(sink(r.url, undefined, {}, { ca: tls.cert }));
    expect(Object.values(trusted).map((s) => s.status)).toEqual(['pass', 'pass', 'pass']);
  });
});

describe('OTLP wire', () => {
  it('nanoseconds are exact decimal strings beyond 2^53', () => {
    expect(unixNano('2026-12-06T10:00:00.001Z')).toBe('1796551200001000000');
    expect(unixNano('not a date')).toBe('0');
  });

  it('severity comes from the event’s own severity or priority, else a failure or new incident warns', () => {
    const e = (kind: ForwardEvent['kind'], body: Record<string, unknown>): ForwardEvent => ({ id: 'x', kind, time: '', summary: '', body });
    expect(severityOf(e('incident.created', { priority: 'P1' }))).toBe('ERROR');
    expect(severityOf(e('incident.created', {}))).toBe('WARN');
    expect(severityOf(e('posture.change', { result: 'pass' }))).toBe('INFO');
    expect(severityOf(e('user.risk', { severity: 'medium' }))).toBe('WARN');
  });

  it('flattens nested objects with dots and keeps arrays of primitives as arrays', () => {
    expect(flatten({ a: { b: { c: 1.5 } }, tags: ['x', 2], nothing: null, on: true })).toEqual([
      { key: 'a.b.c', value: { doubleValue: 1.5 } },
      { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: '2' }] } } },
      { key: 'on', value: { boolValue: true } },
    ]);
  });
});
