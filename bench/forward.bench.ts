// Forwarding throughput: posture changes from the SQLite outbox to a real rsyslog over TLS (the product's delivery
// loop and syslog transport), against a bare Node TLS socket writing the same octet-counted RFC 5424 frames to
// another rsyslog. Both are timed until rsyslog has written every message to its file. Also: outbox disk use per
// million events, against the framed bytes themselves. Never fails on timing.
//
//   npx node bench/forward.bench.ts             quick: 100,000 posture changes
//   npx node bench/forward.bench.ts --full      1,000,000 posture changes
//   options: --events N  --batch N
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import type { ForwardEvent } from '../src-shared/schemas/forward';
import type { SyslogSinkConfig } from '../src-shared/schemas/sinks';

await import(new URL('./ts-hooks.ts', import.meta.url).href);
const { benchmark, fmtCount, WORK_DIR } = await import('./harness');
const { SinkConfig } = await import('../src-shared/schemas/sinks');
const { openStore } = await import('../src-main/core/store/store');
const { postureChangeEvent } = await import('../src-main/core/store/outbox');
const { outboxStore } = await import('../src-main/core/forward/outbox-store');
const { createDelivery } = await import('../src-main/core/forward/delivery');
const { createSyslogTransport } = await import('../src-main/core/forward/syslog/transport');
const { formatSyslog, frame } = await import('../src-main/core/forward/syslog/message');
const { rsyslogAvailable, startRsyslog } = await import('../src-main/core/forward/syslog/rsyslog.testkit');

const bench = benchmark('forward', 'Forwarding to rsyslog over TLS', { events: { type: 'string' }, batch: { type: 'string' } });
const total = Number(bench.values.events ?? (bench.full ? 1_000_000 : 100_000));
const batchSize = Number(bench.values.batch ?? 1000);
const args = bench.values.events ? `--events ${total}` : bench.full ? '--full' : '';
const dir = join(WORK_DIR, 'forward');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

/** Posture changes as the ingest path builds them: one device and check each, a run opening. */
function* changes(): Generator<ForwardEvent> {
  const start = Date.UTC(2026, 11, 1);
  for (let i = 0; i < total; i++) {
    const fail = i % 3 === 0;
    yield postureChangeEvent(`poll-${Math.floor(i / 5000)}`, {
      id: String(i + 1),
      at: start + i * 10,
      firstEvaluatedAt: start + i * 10,
      lastEvaluatedAt: start + i * 10,
      count: 1,
      providerId: 'zta-1',
      checkId: 'check-overall',
      checkName: 'ZTA overall ≥ 70',
      deviceKey: `serial:SN${String(i % 100_000).padStart(7, '0')}`,
      deviceName: `LAPTOP-${String(i % 100_000).padStart(6, '0')}`,
      serial: `SN-${String(i % 100_000).padStart(7, '0')}`,
      serialKey: `SN${String(i % 100_000).padStart(7, '0')}`,
      platform: 'Windows',
      result: fail ? 'fail' : 'pass',
      expected: '≥ 70',
      received: String(fail ? 40 + (i % 30) : 70 + (i % 30)),
      reason: null,
    });
  }
}

/** Lines rsyslog has written so far, read incrementally. */
function lineCounter(file: string) {
  let offset = 0;
  let lines = 0;
  const buffer = Buffer.alloc(1 << 20);
  return () => {
    if (!existsSync(file)) return 0;
    const fd = openSync(file, 'r');
    try {
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, offset);
        if (n === 0) break;
        for (let i = 0; i < n; i++) if (buffer[i] === 10) lines++;
        offset += n;
      }
    } finally {
      closeSync(fd);
    }
    return lines;
  };
}

async function untilReceived(count: () => number, expected: number): Promise<void> {
  for (;;) {
    if (count() >= expected) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const fileBytes = (file: string) => [file, `${file}-wal`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);

if (!rsyslogAvailable()) {
  bench.skip('rsyslogd with rsyslog-gnutls is not installed (.ci/run installs it: apt-get install rsyslog rsyslog-gnutls)');
  bench.done();
} else {
  const origin = { facility: 'local0' as const, appName: 'posture-console', hostname: 'bench', procId: '1' };

  // Peer: a bare TLS socket writing the same frames, in the same batch size, each write awaited.
  const bareReceiver = await startRsyslog(join(dir, 'bare'), { tls: true });
  let framedBytes = 0;
  const bareStarted = performance.now();
  const socket = tlsConnect({ host: '127.0.0.1', port: bareReceiver.port, ca: [bareReceiver.certificates!.caPem], servername: 'localhost' });
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  let pending: ForwardEvent[] = [];
  const flush = async () => {
    const bytes = frame(pending.map((e) => formatSyslog(e, origin)));
    framedBytes += bytes.length;
    pending = [];
    await new Promise<void>((resolve, reject) => socket.write(bytes, (error) => (error ? reject(error) : resolve())));
  };
  for (const event of changes()) {
    pending.push(event);
    if (pending.length === batchSize) await flush();
  }
  if (pending.length) await flush();
  await untilReceived(lineCounter(bareReceiver.outFile), total);
  const bareMs = performance.now() - bareStarted;
  socket.end();
  await bareReceiver.stop();
  console.log(`bare TLS socket: ${fmtCount(total)} messages received in ${(bareMs / 1000).toFixed(1)} s`);

  // Ours: the outbox in the store's worker, the delivery loop and the syslog transport.
  const receiver = await startRsyslog(join(dir, 'ours'), { tls: true });
  const dbFile = join(dir, 'outbox.sqlite');
  const store = await openStore({ file: dbFile });
  const outbox = outboxStore(store);
  const config = SinkConfig.parse({
    kind: 'syslog',
    id: 'bench',
    name: 'rsyslog',
    host: '127.0.0.1',
    serverName: 'localhost',
    port: receiver.port,
    caCertificate: receiver.certificates!.caPem,
    events: ['posture.change'],
    batchSize,
    maxPendingEvents: Math.max(total, 100),
  }) as SyslogSinkConfig;
  await outbox.syncSinks([{ sinkId: config.id, kinds: config.events, maxPending: config.maxPendingEvents }]);
  const appendStarted = performance.now();
  let chunk: ForwardEvent[] = [];
  for (const event of changes()) {
    chunk.push(event);
    if (chunk.length === 5000) {
      await outbox.append(chunk);
      chunk = [];
    }
  }
  if (chunk.length) await outbox.append(chunk);
  const appendMs = performance.now() - appendStarted;
  const outboxBytes = fileBytes(dbFile);
  const stats = await store.stats();
  console.log(`outbox: ${fmtCount(total)} events appended in ${(appendMs / 1000).toFixed(1)} s; ${(outboxBytes / 1e6).toFixed(1)} MB on disk`);

  const delivery = createDelivery({ outbox, transportFor: async (c) => createSyslogTransport(c as SyslogSinkConfig, { hostname: 'bench', procId: '1' }) });
  const oursStarted = performance.now();
  await delivery.configure([config]);
  delivery.notify();
  await untilReceived(lineCounter(receiver.outFile), total);
  const oursMs = performance.now() - oursStarted;
  await delivery.stop();
  await store.close();
  await receiver.stop();
  console.log(`outbox → rsyslog: ${fmtCount(total)} messages received in ${(oursMs / 1000).toFixed(1)} s`);

  const perMillion = 1_000_000 / total;
  bench.figure({
    label: `Forward ${fmtCount(total)} posture changes from the outbox to rsyslog over TLS (batches of ${batchSize}), until rsyslog wrote them all`,
    value: total / (oursMs / 1000),
    unit: 'events/s',
    better: 'higher',
    peer: { label: 'a bare Node TLS socket writing the same framed RFC 5424 messages to another rsyslog', value: total / (bareMs / 1000) },
    command: bench.command(args),
  });
  bench.figure({
    label: 'Outbox disk use per million queued posture changes (SQLite file + WAL)',
    value: (outboxBytes * perMillion) / 1e6,
    unit: 'MB',
    better: 'lower',
    peer: { label: 'the octet-counted frames themselves (the bytes on the wire)', value: (framedBytes * perMillion) / 1e6 },
    command: bench.command(args),
  });
  bench.figure({
    label: `Append ${fmtCount(total)} posture changes to the outbox (5,000 per transaction, through the store worker)`,
    value: total / (appendMs / 1000),
    unit: 'events/s',
    better: 'higher',
    command: bench.command(args),
  });
  bench.note(
    `Both runs are timed until rsyslog (imtcp with gtls, omfile) has written every line, so rsyslog's own speed bounds both; the ratio is what the outbox, the delivery loop and acknowledging batches in SQLite cost on top of writing the frames. Store stats after appending: ${JSON.stringify({ bytes: stats.bytes, freeBytes: stats.freeBytes })}.`,
  );
  if (!bench.values.keep) rmSync(dir, { recursive: true, force: true });
  bench.done();
}
