import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { ForwardEvent } from '../../../../src-shared/schemas/forward';
import type { HecSinkConfig } from '../../../../src-shared/schemas/sinks';
import type { TestStep } from '../../../../src-shared/schemas/providers';
import { hasOpenssl, selfSignedCertificate } from '../../providers/tls-fixture.testkit';
import type { DeliveryOutcome, SinkTransport } from '../transport';
import { startHecReceiver, type HecReceiver, type HecReceiverOptions } from './hec-receiver.testkit';
import { createHecTransport, type HecTransportDeps } from './transport';

const TOKEN = '9f3c2a71-5b1e-4c8d-a0f2-7d6e5c4b3a21';
const CHANNEL = '0aeeac95-ac74-4aa9-b30d-6c4c0ac581ba';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function receiver(options: Partial<HecReceiverOptions> = {}): Promise<HecReceiver> {
  const r = await startHecReceiver({ token: TOKEN, ...options });
  open.push(r);
  return r;
}

function sink(url: string, config: Partial<HecSinkConfig> = {}, deps: HecTransportDeps = {}, token = TOKEN): SinkTransport {
  const full: HecSinkConfig = {
    id: 'hec-1',
    kind: 'splunk-hec',
    name: 'Splunk',
    enabled: true,
    events: ['posture.change', 'audit'],
    batchSize: 100,
    maxPendingEvents: 1000,
    url,
    useAck: false,
    ...config,
  };
  const t = createHecTransport(full, token, { host: 'console-host', ackPollMs: 5, ackTimeoutMs: 2_000, ...deps });
  open.push(t);
  return t;
}

function events(n: number, extra: (i: number) => Record<string, unknown> = () => ({})): ForwardEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `evt-${i}`,
    kind: 'posture.change' as const,
    time: `2026-12-06T10:00:0${i % 10}.250Z`,
    summary: `device ${i} now fails Firewall`,
    body: { device: `host-${i}`, result: 'fail', ...extra(i) },
  }));
}

const signal = () => new AbortController().signal;

/** The token must never appear in an outcome or a Test step, whatever the receiver echoes. */
function expectNoToken(value: unknown): void {
  expect(JSON.stringify(value)).not.toContain(TOKEN);
  expect(JSON.stringify(value)).not.toContain(TOKEN.slice(0, 12));
}

function retryCode(outcome: DeliveryOutcome): string | undefined {
  return outcome.kind === 'retry' ? outcome.error.code : undefined;
}

describe('Splunk HEC transport: delivery', () => {
  it('posts concatenated event objects with the Splunk token, epoch-second times, metadata and the stable id', async () => {
    const r = await receiver();
    const t = sink(r.url + '/services/collector/event', { index: 'posture', source: 'pc', sourcetype: 'posture:change' });
    const outcome = await t.deliver(events(3), signal());
    expect(outcome).toEqual({ kind: 'delivered' });
    const request = r.server.requests.find((q) => q.url.startsWith('/services/collector/event'))!;
    expect(request.headers['authorization']).toBe(`Splunk ${TOKEN}`);
    expect(request.body.trim().startsWith('[')).toBe(false);
    expect(request.body.split('\n')).toHaveLength(3);
    expect(r.indexed.map((e) => e.id)).toEqual(['evt-0', 'evt-1', 'evt-2']);
    expect(r.indexed[1]!.raw).toEqual({
      time: Date.parse('2026-12-06T10:00:01.250Z') / 1000,
      host: 'console-host',
      source: 'pc',
      sourcetype: 'posture:change',
      index: 'posture',
      event: { id: 'evt-1', kind: 'posture.change', summary: 'device 1 now fails Firewall', device: 'host-1', result: 'fail' },
    });
  });

  it('a body field named id cannot replace the stable event id', async () => {
    const r = await receiver();
    const t = sink(r.url);
    await t.deliver(
      events(1, () => ({ id: 'spoofed', kind: 'other' })),
      signal(),
    );
    expect(r.indexed[0]!.raw.event).toMatchObject({ id: 'evt-0', kind: 'posture.change' });
  });

  it('a batch sent twice reaches the receiver with the same ids, so it can drop the duplicates', async () => {
    const r = await receiver();
    const t = sink(r.url);
    const batch = events(4);
    await t.deliver(batch, signal());
    await t.deliver(batch, signal());
    expect(r.indexed).toHaveLength(8);
    expect([...r.uniqueIds()].sort()).toEqual(['evt-0', 'evt-1', 'evt-2', 'evt-3']);
  });

  it('an empty batch is delivered without a request', async () => {
    const r = await receiver();
    expect(await sink(r.url).deliver([], signal())).toEqual({ kind: 'delivered' });
    expect(r.server.requests).toHaveLength(0);
  });
});

describe('Splunk HEC transport: answers mapped to outcomes', () => {
  it('a wrong token is a retry with cause "bad token" and a fix, never quoting the token even when echoed back', async () => {
    const r = await receiver();
    r.faults.echoAuthorization = true;
    const outcome = await sink(r.url, {}, {}, 'wrong-token-value-123456').deliver(events(2), signal());
    expect(retryCode(outcome)).toBe('hec.bad_token');
    if (outcome.kind !== 'retry') throw new Error('expected retry');
    expect(outcome.error.message).toMatch(/Bad token/);
    expect(outcome.error.fix).toMatch(/HTTP Event Collector/);
    expect(JSON.stringify(outcome)).not.toContain('wrong-token-value-123456');
    expect(r.indexed).toHaveLength(0);
  });

  it('a disabled token (code 1) is a bad-token retry, and the echoed Authorization header is scrubbed', async () => {
    const r = await receiver();
    r.faults.tokenDisabled = true;
    r.faults.echoAuthorization = true;
    const outcome = await sink(r.url).deliver(events(1), signal());
    expect(retryCode(outcome)).toBe('hec.bad_token');
    expectNoToken(outcome);
  });

  it('a 503 storm (code 9) is a retry carrying Retry-After, one request per delivery (the outbox paces retries)', async () => {
    const r = await receiver();
    r.faults.busy = 3;
    r.faults.retryAfter = '7';
    const t = sink(r.url);
    for (let i = 0; i < 3; i += 1) {
      const outcome = await t.deliver(events(2), signal());
      expect(outcome).toMatchObject({ kind: 'retry', error: { code: 'hec.busy' }, afterMs: 7000 });
    }
    expect(r.server.requests).toHaveLength(3);
    expect(await t.deliver(events(2), signal())).toEqual({ kind: 'delivered' });
    expect(r.uniqueIds().size).toBe(2);
  });

  it('a refused connection is a retry, and delivery resumes when the receiver is back', async () => {
    const r = await receiver();
    const t = sink(r.url);
    await r.server.stop();
    const outcome = await t.deliver(events(2), signal());
    expect(retryCode(outcome)).toBe('net.refused');
    await r.server.start();
    expect(await t.deliver(events(2), signal())).toEqual({ kind: 'delivered' });
  });

  it('a receiver too slow to answer is a retry (timeout), not a failure of the data', async () => {
    const r = await receiver();
    r.server.slowMs = 1_500;
    const outcome = await sink(r.url, {}, { headersTimeoutMs: 150 }).deliver(events(1), signal());
    expect(retryCode(outcome)).toBe('net.timeout');
  });

  it('invalid-event-number: events before it count as received, it is dead-lettered, the rest are resent → partial', async () => {
    const r = await receiver();
    r.faults.invalid = (e) => (e.event as { poison?: boolean }).poison === true;
    const outcome = await sink(r.url).deliver(
      events(5, (i) => (i === 2 ? { poison: true } : {})),
      signal(),
    );
    expect(outcome).toMatchObject({ kind: 'partial', rejected: [{ id: 'evt-2' }] });
    if (outcome.kind === 'partial') expect(outcome.rejected[0]!.reason).toMatch(/Invalid data format/);
    expect(r.indexed.map((e) => e.id)).toEqual(['evt-0', 'evt-1', 'evt-3', 'evt-4']);
  });

  it('two invalid events in one batch are both dead-lettered and every good one arrives', async () => {
    const r = await receiver();
    r.faults.invalid = (e) => (e.event as { poison?: boolean }).poison === true;
    const outcome = await sink(r.url).deliver(
      events(6, (i) => (i === 1 || i === 4 ? { poison: true } : {})),
      signal(),
    );
    expect(outcome.kind === 'partial' && outcome.rejected.map((x) => x.id)).toEqual(['evt-1', 'evt-4']);
    expect([...r.uniqueIds()].sort()).toEqual(['evt-0', 'evt-2', 'evt-3', 'evt-5']);
  });

  it('for any batch and any set of bad events: exactly the bad ones are dead-lettered and every good one is indexed', async () => {
    const r = await receiver();
    r.faults.invalid = (e) => (e.event as { poison?: boolean }).poison === true;
    const t = sink(r.url);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), async (poison) => {
        r.indexed.length = 0;
        const batch = events(poison.length, (i) => (poison[i] ? { poison: true } : {}));
        const outcome = await t.deliver(batch, signal());
        const bad = batch.filter((_, i) => poison[i]).map((e) => e.id);
        const good = batch.filter((_, i) => !poison[i]).map((e) => e.id);
        if (bad.length === 0) expect(outcome).toEqual({ kind: 'delivered' });
        else expect(outcome.kind === 'partial' && outcome.rejected.map((x) => x.id)).toEqual(bad);
        // Without acknowledgement nothing is sent twice within one delivery.
        expect(r.indexed.map((e) => e.id)).toEqual(good);
      }),
      { numRuns: 40 },
    );
  });

  it('a wrong index (code 7, even with an event number) waits for the admin rather than dead-lettering good events', async () => {
    const r = await receiver({ allowedIndexes: ['main'] });
    const outcome = await sink(r.url, { index: 'typo' }).deliver(events(3), signal());
    expect(outcome).toMatchObject({ kind: 'retry', error: { code: 'hec.bad_index' } });
    expect(r.server.requests).toHaveLength(1);
  });

  it.each([
    [{ status: 400, body: { text: 'Invalid data format', code: 6 } }, 'refused', 'hec.invalid_format'],
    [{ status: 400, body: { text: 'Event field is required', code: 12 } }, 'refused', 'hec.event_required'],
    [{ status: 400, body: { text: 'Event field cannot be blank', code: 13 } }, 'refused', 'hec.event_blank'],
    [{ status: 400, body: { text: 'Invalid data channel', code: 11 } }, 'retry', 'hec.channel_invalid'],
    [{ status: 400, body: { text: 'Data channel is missing', code: 10 } }, 'retry', 'hec.channel_missing'],
    [{ status: 500, body: { text: 'Internal server error', code: 8 } }, 'retry', 'hec.server_error'],
    [{ status: 404, body: { text: 'Not found' } }, 'retry', 'hec.not_found'],
    [{ status: 413, body: { text: 'Content too large' } }, 'refused', 'hec.too_large'],
  ])('answer %j → %s %s', async (answer, kind, code) => {
    const r = await receiver();
    r.faults.scripted.push(answer);
    const outcome = await sink(r.url).deliver(events(2), signal());
    expect(outcome.kind).toBe(kind);
    expect(outcome.kind === 'retry' || outcome.kind === 'refused' ? outcome.error.code : undefined).toBe(code);
  });

  it('a cancelled send resolves as a retry instead of rejecting', async () => {
    const r = await receiver();
    r.server.slowMs = 2_000;
    const controller = new AbortController();
    const pending = sink(r.url).deliver(events(1), controller.signal);
    setTimeout(() => controller.abort(), 20);
    expect(retryCode(await pending)).toBe('net.aborted');
  });
});

describe('Splunk HEC transport: the token on the wire', () => {
  it('appears only as the Authorization value: never in a body, a URL or another header, across events, acks and Test', async () => {
    const r = await receiver({ useAck: true });
    const t = sink(r.url, { useAck: true, channel: CHANNEL });
    await t.deliver(
      events(3, () => ({ note: 'token: none here' })),
      signal(),
    );
    await t.test(() => {}, signal());
    expect(r.server.requests.length).toBeGreaterThan(4);
    for (const q of r.server.requests) {
      const { authorization, ...others } = q.headers;
      expect(q.body + q.url + JSON.stringify(others)).not.toContain(TOKEN);
      if (q.url.startsWith('/services/collector/health')) expect(authorization).toBeUndefined();
      else expect(authorization).toBe(`Splunk ${TOKEN}`);
    }
  });
});

describe('Splunk HEC transport: indexer acknowledgement', () => {
  it('sends the channel, polls /ack until indexed, and only then reports delivered', async () => {
    const r = await receiver({ useAck: true });
    r.faults.ackAfterPolls = 2;
    const outcome = await sink(r.url, { useAck: true, channel: CHANNEL }).deliver(events(3), signal());
    expect(outcome).toEqual({ kind: 'delivered' });
    expect(r.ackPolls()).toBe(3);
    const sent = r.server.requests.find((q) => q.url.startsWith('/services/collector/event'))!;
    expect(sent.headers['x-splunk-request-channel']).toBe(CHANNEL);
    const poll = r.server.requests.find((q) => q.url.startsWith('/services/collector/ack'))!;
    expect(JSON.parse(poll.body)).toEqual({ acks: [0] });
  });

  it('a 200 that is never acknowledged is a retry after the ack timeout (a 200 is not indexing)', async () => {
    const r = await receiver({ useAck: true });
    r.faults.ackNever = true;
    const outcome = await sink(r.url, { useAck: true, channel: CHANNEL }, { ackTimeoutMs: 100 }).deliver(events(2), signal());
    expect(retryCode(outcome)).toBe('hec.ack_timeout');
    expect(r.indexed).toHaveLength(2);
  });

  it('a collector lost while waiting for the ack is a retry at once (a restarted Splunk forgets its acks)', async () => {
    const r = await receiver({ useAck: true });
    r.faults.ackNever = true;
    const pending = sink(r.url, { useAck: true, channel: CHANNEL }, { ackTimeoutMs: 60_000 }).deliver(events(2), signal());
    while (r.ackPolls() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await r.server.stop();
    expect(retryCode(await pending)).toBe('net.refused');
  });

  it('a token with acknowledgement on and a sink without a channel is a retry naming the fix (code 10)', async () => {
    const r = await receiver({ useAck: true });
    const outcome = await sink(r.url).deliver(events(1), signal());
    expect(outcome).toMatchObject({ kind: 'retry', error: { code: 'hec.channel_missing' } });
    if (outcome.kind === 'retry') expect(outcome.error.fix).toMatch(/acknowledgement/);
  });

  it('a sink waiting for acks on a token without them is a retry saying so (no ackId)', async () => {
    const r = await receiver({ useAck: false });
    const outcome = await sink(r.url, { useAck: true, channel: CHANNEL }).deliver(events(1), signal());
    expect(retryCode(outcome)).toBe('hec.ack_missing');
  });

  it('an /ack answered "ACK is disabled" (code 14) ends the wait with that cause', async () => {
    const r = await receiver({ useAck: false });
    r.faults.scripted.push({ status: 200, body: { text: 'Success', code: 0, ackId: 4 } });
    const outcome = await sink(r.url, { useAck: true, channel: CHANNEL }).deliver(events(1), signal());
    expect(retryCode(outcome)).toBe('hec.ack_disabled');
  });

  it('with acknowledgement, invalid-event-number resends the earlier events too, since nothing was confirmed', async () => {
    const r = await receiver({ useAck: true });
    r.faults.invalid = (e) => (e.event as { poison?: boolean }).poison === true;
    const outcome = await sink(r.url, { useAck: true, channel: CHANNEL }).deliver(
      events(4, (i) => (i === 2 ? { poison: true } : {})),
      signal(),
    );
    expect(outcome).toMatchObject({ kind: 'partial', rejected: [{ id: 'evt-2' }] });
    expect(r.indexed.map((e) => e.id)).toEqual(['evt-0', 'evt-1', 'evt-0', 'evt-1', 'evt-3']);
  });
});

describe('Splunk HEC transport: Test', () => {
  const run = async (t: SinkTransport) => {
    const seen: TestStep[] = [];
    const steps = await t.test((s) => seen.push(s), signal());
    expect(seen.filter((s) => s.status !== 'running')).toEqual(steps);
    return Object.fromEntries(steps.map((s) => [s.id, s]));
  };

  it('reachability → health → token → ack all pass against a healthy collector with acknowledgement', async () => {
    const r = await receiver({ useAck: true });
    const steps = await run(sink(r.url, { useAck: true, channel: CHANNEL }));
    expect(Object.keys(steps)).toEqual(['reachability', 'health', 'token', 'ack']);
    expect(Object.values(steps).map((s) => s.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(steps.ack!.observed).toMatch(/indexed/);
    expect(r.indexed[0]!.raw.event).toMatchObject({ kind: 'test' });
  });

  it('a bad token fails the token step with the fix, and the ack step is skipped', async () => {
    const r = await receiver();
    r.faults.echoAuthorization = true;
    const steps = await run(sink(r.url, { useAck: true, channel: CHANNEL }, {}, 'not-the-token-0123456789'));
    expect(steps.token).toMatchObject({ status: 'fail', code: 'hec.bad_token' });
    expect(steps.token!.fix).toMatch(/Settings > Data inputs > HTTP Event Collector/);
    expect(steps.ack!.status).toBe('skip');
    expect(JSON.stringify(steps)).not.toContain('not-the-token-0123456789');
  });

  it('an unreachable collector fails reachability and skips the rest', async () => {
    const r = await receiver();
    await r.server.stop();
    const steps = await run(sink(r.url));
    expect(steps.reachability).toMatchObject({ status: 'fail', code: 'net.refused' });
    expect([steps.health!.status, steps.token!.status, steps.ack!.status]).toEqual(['skip', 'skip', 'skip']);
  });

  it('an unhealthy collector (queues full, code 18) fails the health step', async () => {
    const r = await receiver();
    r.faults.healthCode = 18;
    const steps = await run(sink(r.url));
    expect(steps.health).toMatchObject({ status: 'fail', code: 'hec.unhealthy' });
    expect(steps.ack!.status).toBe('skip');
  });

  it('acknowledgement off for the sink skips the ack step and says a 200 is not indexing', async () => {
    const r = await receiver();
    const steps = await run(sink(r.url));
    expect(steps.token!.status).toBe('pass');
    expect(steps.ack).toMatchObject({ status: 'skip' });
    expect(steps.ack!.observed).toMatch(/not that it indexed/);
  });

  it.skipIf(!hasOpenssl())('an untrusted certificate fails reachability (TLS); trusting its CA passes', async () => {
    const tls = selfSignedCertificate();
    const r = await receiver({ tls });
    const untrusted = await run(sink(r.url));
    expect(untrusted.reachability).toMatchObject({ status: 'fail', code: 'net.tls' });
    const trusted = await run(sink(r.url, {}, { ca: tls.cert }));
    expect(trusted.reachability!.status).toBe('pass');
    expect(trusted.reachability!.observed).toMatch(/over TLS/);
    expect(trusted.token!.status).toBe('pass');
  });
});
