// Forwarding against a real receiver: rsyslog over TLS on loopback. Every event the console produced must arrive
// (once or more) across a receiver restart and across a SIGKILL of the console; past the cap the oldest are dropped
// and counted.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim';
import type { ForwardEvent } from '../../src-shared/schemas/forward';
import { startRsyslog, type Rsyslog } from '../core/forward/syslog/rsyslog.testkit';
import { call, startApp, until } from './harness';

let sim: Simulator;
let dir: string;
let rsyslog: Rsyslog;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  sim = await startSimulator({ devices: 60, seed: 18, alerts: 0 });
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await rsyslog?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function setUp() {
  dir = mkdtempSync(join(tmpdir(), 'posture-forward-'));
  // The app expects its data directory to exist (the CLI and hosts create it).
  mkdirSync(join(dir, 'data'));
  rsyslog = await startRsyslog(mkdtempSync(join(dir, 'rsyslog-')), { tls: true });
}

const missing = (expected: Iterable<string>, got: string[]) => {
  const seen = new Set(got);
  return [...expected].filter((id) => !seen.has(id));
};

describe('forwarding to rsyslog over TLS', () => {
  it('every posture change arrives, across a receiver restart', async () => {
    await setUp();
    const { app, close } = await startApp({ dataDir: join(dir, 'data'), forwardMaxBackoffMs: 200 });
    cleanups.push(close);
    const expected = new Set<string>();
    app.events.listen((event, payload) => {
      if (event !== 'postureLog.appended') return;
      const p = payload as { pollId: string; rows: { id: string }[] };
      for (const r of p.rows) expected.add(`posture:${p.pollId}:${r.id}`);
    });
    const zta = await call(app, 'providers.save', { kind: 'crowdstrike-zta', name: 'ZTA', region: 'custom', baseUrl: sim.url, ...sim.credentials.falcon });
    const check = await call(app, 'checks.save', { name: 'ZTA score', providerId: zta.config.id, rule: { attribute: 'overall', operator: '>=', value: 50 } });
    const sink = await call(app, 'sinks.save', {
      kind: 'syslog',
      name: 'rsyslog',
      host: '127.0.0.1',
      port: rsyslog.port,
      serverName: 'localhost',
      caCertificate: rsyslog.certificates!.caPem,
      batchSize: 25,
    });
    const report = await call(app, 'sinks.test', { id: sink.config.id });
    expect(report.ok, JSON.stringify(report.steps)).toBe(true);

    const poll = async (threshold: number) => {
      await call(app, 'checks.save', { ...check, rule: { attribute: 'overall', operator: '>=', value: threshold } });
      expect((await call(app, 'posture.pollNow', { providerId: zta.config.id })).outcome).toBe('succeeded');
    };
    await poll(50);
    expect(expected.size).toBeGreaterThan(0);
    await rsyslog.waitFor((ids) => missing(expected, ids).length === 0);

    await rsyslog.stop();
    const before = expected.size;
    await poll(20);
    await poll(80);
    expect(expected.size).toBeGreaterThan(before);
    await until(async () => (await call(app, 'sinks.status', { id: sink.config.id })).lastError !== null, 'the sink to notice the receiver is gone');
    const down = await call(app, 'sinks.status', { id: sink.config.id });
    expect(down.pending).toBeGreaterThan(0);
    expect(down.lastError!.code).toMatch(/^syslog\./);

    await rsyslog.start();
    const ids = await rsyslog.waitFor((got) => missing(expected, got).length === 0);
    expect(missing(expected, ids)).toEqual([]);
    await until(async () => (await call(app, 'sinks.status', { id: sink.config.id })).pending === 0, 'the queue to empty');
    expect(await call(app, 'sinks.status', { id: sink.config.id })).toMatchObject({ pending: 0, dropped: 0, deadLetters: 0 });
  });

  it('past the cap the oldest events are dropped and counted; the newest arrive once the receiver is back', async () => {
    await setUp();
    await rsyslog.stop();
    const { app, close } = await startApp({ dataDir: join(dir, 'data'), forwardMaxBackoffMs: 200 });
    cleanups.push(close);
    const sink = await call(app, 'sinks.save', {
      kind: 'syslog',
      name: 'rsyslog',
      host: 'localhost',
      port: rsyslog.port,
      caCertificate: rsyslog.certificates!.caPem,
      // Not 'audit': the entry for adding this sink would be queued too.
      events: ['user.risk'],
      maxPendingEvents: 100,
    });
    const events: ForwardEvent[] = Array.from({ length: 250 }, (_, i) => ({
      id: `audit:${i}`,
      kind: 'user.risk',
      time: new Date(1_765_000_000_000 + i).toISOString(),
      summary: `entry ${i}`,
      body: { i },
    }));
    for (let i = 0; i < events.length; i += 50) await app.sinks.forward(events.slice(i, i + 50));
    expect(await call(app, 'sinks.status', { id: sink.config.id })).toMatchObject({ pending: 100, dropped: 150, oldestPendingAt: events[150]!.time });

    await rsyslog.start();
    const ids = await rsyslog.waitFor((got) => got.includes('audit:249'));
    expect(new Set(ids)).toEqual(new Set(events.slice(150).map((e) => e.id)));
  });

  it('audit entries arrive as they are appended: the sink added, a setting changed', async () => {
    await setUp();
    const { app, close } = await startApp({ dataDir: join(dir, 'data'), forwardMaxBackoffMs: 200 });
    cleanups.push(close);
    await call(app, 'sinks.save', {
      kind: 'syslog',
      name: 'rsyslog',
      host: 'localhost',
      port: rsyslog.port,
      caCertificate: rsyslog.certificates!.caPem,
      events: ['audit'],
    });
    await call(app, 'settings.update', { theme: 'dark' });
    const entries = (await app.audit.query({ limit: 10 })).entries;
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['sink.added', 'settings.changed']));
    const ids = await rsyslog.waitFor((got) => entries.every((e) => got.includes(e.id)));
    expect(rsyslog.lines().find((l) => l.includes(entries[0]!.id))).toMatch(/^audit\|\[posture@32473 eventId="[^"]+" kind="audit"\]\|/);
    expect(ids.length).toBeGreaterThanOrEqual(entries.length);
  });

  it('nothing is lost across a SIGKILL of the console while the receiver is down', async () => {
    await setUp();
    const opts = JSON.stringify({
      url: sim.url,
      falcon: sim.credentials.falcon,
      syslog: { port: rsyslog.port, caCertificate: rsyslog.certificates!.caPem },
    });
    const dataDir = join(dir, 'data');
    const spawnChild = (...extra: string[]) =>
      spawn(
        process.execPath,
        ['--import', new URL('./ts-hooks.ts', import.meta.url).href, fileURLToPath(new URL('./forward-child.ts', import.meta.url)), dataDir, opts, ...extra],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
    const expected = new Set<string>();
    const run = async (child: ChildProcess, onLine: (line: string, polls: number) => void) => {
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      let polls = 0;
      for await (const line of createInterface({ input: child.stdout! })) {
        if (line.startsWith('appended ')) for (const id of line.slice('appended '.length).split(' ')) expected.add(id);
        if (line.startsWith('polled ')) polls++;
        onLine(line, polls);
      }
      return { signal: await exited, stderr };
    };

    // Run 1: poll with the receiver up, stop it mid-run, keep polling, then SIGKILL the console.
    const first = spawnChild();
    let stopping: Promise<void> | null = null;
    const outcome = await run(first, (line, polls) => {
      if (line.startsWith('polled ') && polls === 2) stopping = rsyslog.stop();
      if (line.startsWith('polled ') && polls === 5) first.kill('SIGKILL');
    });
    await stopping;
    expect(outcome.signal, outcome.stderr).toBe('SIGKILL');
    expect(expected.size).toBeGreaterThan(0);
    expect(missing(expected, rsyslog.eventIds()).length).toBeGreaterThan(0);

    // Run 2: the receiver is back, the console restarts and drains its outbox.
    await rsyslog.start();
    const second = spawnChild('drain');
    const drained = run(second, () => {});
    cleanups.push(async () => {
      second.kill('SIGKILL');
      await drained;
    });
    const ids = await rsyslog.waitFor((got) => missing(expected, got).length === 0, 60_000).catch(() => rsyslog.eventIds());
    expect(missing(expected, ids)).toEqual([]);
  }, 120_000);
});
