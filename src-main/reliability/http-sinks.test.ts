// Forwarding through the whole app (sinks service, vault token, outbox, delivery loop) to the loopback Splunk HEC
// and OTLP collectors: every event arrives across a 503 storm and a stopped receiver, a bad token waits instead of
// dead-lettering, and what a receiver refuses for good ends as dead letters or as the sink's last error.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ForwardEvent } from '../../src-shared/schemas/forward';
import { startOtlpReceiver } from '../core/forward/otlp/otlp-receiver.testkit';
import { startHecReceiver } from '../core/forward/splunk-hec/hec-receiver.testkit';
import { call, startApp, until } from './harness';

const HEC_TOKEN = 'a1b2c3d4-e5f6-4789-abcd-ef0123456789';
const CHANNEL = '0aeeac95-ac74-4aa9-b30d-6c4c0ac581ba';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function app() {
  const dir = mkdtempSync(join(tmpdir(), 'posture-http-sinks-'));
  mkdirSync(join(dir, 'data'));
  const started = await startApp({ dataDir: join(dir, 'data'), forwardMaxBackoffMs: 100 });
  cleanups.push(async () => {
    await started.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return started.app;
}

function audit(from: number, n: number, extra: (i: number) => Record<string, unknown> = () => ({})): ForwardEvent[] {
  return Array.from({ length: n }, (_, k) => ({
    id: `audit:${from + k}`,
    // Not 'audit': the console's own audit entries (the sink added, the token replaced) would join these.
    kind: 'user.risk',
    time: new Date(1_765_000_000_000 + from + k).toISOString(),
    summary: `entry ${from + k}`,
    body: { i: from + k, ...extra(from + k) },
  }));
}

const ids = (events: ForwardEvent[]) => events.map((e) => e.id);
/** The synthetic events' ids (the app's own audit entries of the sink actions travel too). */
const ours = (got: Set<string>) => [...got].filter((id) => id.startsWith('audit:')).sort();

describe('Splunk HEC sink through the app', () => {
  it('Tests green with acknowledgement, and every event arrives across a 503 storm and a stopped collector', async () => {
    const hec = await startHecReceiver({ token: HEC_TOKEN, useAck: true });
    cleanups.push(() => hec.close());
    const a = await app();
    const sink = await call(a, 'sinks.save', {
      kind: 'splunk-hec',
      name: 'Splunk',
      url: `${hec.url}/services/collector/event`,
      token: HEC_TOKEN,
      useAck: true,
      channel: CHANNEL,
      events: ['user.risk'],
      batchSize: 20,
    });
    expect(sink.token).toMatchObject({ configured: true });
    const report = await call(a, 'sinks.test', { id: sink.config.id });
    expect(report.ok, JSON.stringify(report.steps)).toBe(true);
    expect(report.steps.map((s) => s.id)).toEqual(['reachability', 'health', 'token', 'ack']);

    const sent = audit(0, 50);
    hec.faults.busy = 4;
    hec.faults.retryAfter = '0';
    await a.sinks.forward(sent.slice(0, 25));
    await hec.server.stop();
    await a.sinks.forward(sent.slice(25));
    await until(
      async () => (await call(a, 'sinks.status', { id: sink.config.id })).lastError?.code.startsWith('net.') === true,
      'the sink to see the collector gone',
    );
    await hec.server.start();
    await until(async () => (await call(a, 'sinks.status', { id: sink.config.id })).pending === 0, 'the outbox to drain', 30_000);
    expect(ours(hec.uniqueIds())).toEqual(ids(sent).sort());
    expect(await call(a, 'sinks.status', { id: sink.config.id })).toMatchObject({ pending: 0, deadLetters: 0, dropped: 0 });
  }, 60_000);

  it('a bad token waits in the outbox with its cause; the right token delivers everything', async () => {
    const hec = await startHecReceiver({ token: HEC_TOKEN });
    cleanups.push(() => hec.close());
    const a = await app();
    const input = { kind: 'splunk-hec' as const, name: 'Splunk', url: hec.url, events: ['user.risk' as const] };
    const sink = await call(a, 'sinks.save', { ...input, token: 'wrong-token-0000000000' });
    const sent = audit(0, 10);
    await a.sinks.forward(sent);
    await until(async () => (await call(a, 'sinks.status', { id: sink.config.id })).lastError?.code === 'hec.bad_token', 'the bad token to show');
    // The sink's own audit entries (added, edited) wait with the ten.
    const waiting = await call(a, 'sinks.status', { id: sink.config.id });
    expect(waiting.pending).toBeGreaterThanOrEqual(10);
    expect(waiting.deadLetters).toBe(0);

    await call(a, 'sinks.save', { ...input, id: sink.config.id, token: HEC_TOKEN });
    await until(async () => (await call(a, 'sinks.status', { id: sink.config.id })).pending === 0, 'the outbox to drain');
    expect(ours(hec.uniqueIds())).toEqual(ids(sent).sort());
  });

  it('an event Splunk cannot parse becomes a dead letter; the rest of its batch arrives', async () => {
    const hec = await startHecReceiver({ token: HEC_TOKEN });
    cleanups.push(() => hec.close());
    hec.faults.invalid = (e) => (e.event as { poison?: boolean }).poison === true;
    const a = await app();
    const sink = await call(a, 'sinks.save', { kind: 'splunk-hec', name: 'Splunk', url: hec.url, token: HEC_TOKEN, events: ['user.risk'] });
    const sent = audit(0, 12, (i) => (i === 5 ? { poison: true } : {}));
    await a.sinks.forward(sent);
    await until(async () => (await call(a, 'sinks.status', { id: sink.config.id })).pending === 0, 'the outbox to drain');
    const dead = await call(a, 'sinks.deadLetters', { id: sink.config.id, limit: 10 });
    expect(dead.map((d) => d.eventId)).toEqual(['audit:5']);
    expect(dead[0]!.reason).toMatch(/Invalid data format/);
    expect(ours(hec.uniqueIds())).toEqual(ids(sent.filter((e) => e.id !== 'audit:5')).sort());
  });
});

describe('OTLP sink through the app', () => {
  it('every event arrives across 503s; partial success shows as the last error; a 400 dead-letters its batch', async () => {
    const otlp = await startOtlpReceiver({ token: 'otlp-bearer-token-123456' });
    cleanups.push(() => otlp.close());
    const a = await app();
    const sink = await call(a, 'sinks.save', {
      kind: 'otlp-http',
      name: 'Collector',
      url: otlp.url,
      token: 'otlp-bearer-token-123456',
      events: ['user.risk'],
      batchSize: 10,
    });
    const report = await call(a, 'sinks.test', { id: sink.config.id });
    expect(report.ok, JSON.stringify(report.steps)).toBe(true);

    otlp.faults.statuses.push(503, 503, 503);
    otlp.faults.retryAfter = '0';
    const first = audit(0, 30);
    await a.sinks.forward(first);
    await until(async () => (await call(a, 'sinks.status', { id: sink.config.id })).pending === 0, 'the outbox to drain');
    expect(ours(otlp.uniqueIds())).toEqual(ids(first).sort());

    otlp.faults.reject = (r) => r.attributes.i === '31';
    await a.sinks.forward(audit(30, 5));
    await until(
      async () => (await call(a, 'sinks.status', { id: sink.config.id })).lastError?.code === 'otlp.partially_rejected',
      'the partial success to show',
    );
    expect(await call(a, 'sinks.status', { id: sink.config.id })).toMatchObject({ pending: 0, deadLetters: 0 });

    otlp.faults.reject = undefined;
    otlp.faults.statuses.push(400);
    await a.sinks.forward(audit(35, 4));
    await until(async () => (await call(a, 'sinks.status', { id: sink.config.id })).deadLetters >= 4, 'the refused batch to be dead-lettered');
    const dead = await call(a, 'sinks.deadLetters', { id: sink.config.id, limit: 50 });
    expect(dead.map((d) => d.eventId).filter((id) => id.startsWith('audit:'))).toEqual(['audit:35', 'audit:36', 'audit:37', 'audit:38']);
    expect(dead[0]!.reason).toMatch(/otlp.bad_request/);
  });
});
