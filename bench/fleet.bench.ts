// The whole app at fleet scale (issue 15, item 0): `posture-console serve` (this commit's build, a whole process, an
// empty data directory) against the simulator in its own process with 100,000 Falcon hosts (and the ~77,700
// SentinelOne agents the same fleet has), both providers and four checks added through the web host's HTTP contract,
// each provider polled once. Measured: the RSS of the app's processes (serve and any child it starts; the simulator
// excluded) sampled through the run, idle after both polls and at its peak; the event-loop delay in serve during each
// poll (monitorEventLoopDelay, opt-in through POSTURE_CONSOLE_EVENT_LOOP_REPORT, which only benchmarks set); and how
// long a trivial `posture.status` and a Devices search take during and right after each poll.
//
//   npx node bench/fleet.bench.ts                 quick and full: 100,000 devices
//   options: --devices N (100000)  --latency MS (20)  --keep (leave bench/.work/fleet)
//   profiling: --node-args="--cpu-prof --cpu-prof-dir=DIR --trace-gc"  --serve-stdout FILE (what --trace-gc prints)
//
// No peer exists for this (it is the app against its own targets), so every figure is a target figure.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventLoopReport } from '../src-main/cli/event-loop-report';

await import(new URL('./ts-hooks.ts', import.meta.url).href);
const { appBuild, benchmark, fmtCount, fmtMB, fmtMs, WORK_DIR } = await import('./harness');

const bench = benchmark('fleet', 'The whole app at fleet scale', {
  devices: { type: 'string', default: '100000' },
  latency: { type: 'string', default: '20' },
  // Profiling: extra Node flags for serve (e.g. "--heapsnapshot-signal=SIGUSR1"), and a heap snapshot when idle.
  'node-args': { type: 'string', default: '' },
  snapshot: { type: 'boolean', default: false },
  // Profiling: serve's stdout (e.g. what --trace-gc prints) copied to this file.
  'serve-stdout': { type: 'string', default: '' },
  // Internal: run the simulator in this process and print its URL and credentials as one JSON line.
  'sim-child': { type: 'boolean', default: false },
});
const { values } = bench;
const devices = Number(values.devices);
const latencyMs = Number(values.latency);

if (values['sim-child']) {
  const { startSimulator } = await import('../sim/index');
  // No alerts (the incidents poller is not part of this scenario); records built before the app asks, as at rest.
  const sim = await startSimulator({ devices, seed: 15, latencyMs, alerts: 0, prebuild: true });
  process.stdout.write(`${JSON.stringify({ url: sim.url, credentials: sim.credentials, agents: sim.fleet.agents.length })}\n`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
} else {
  await main();
}

async function main() {
  const { EVENT_LOOP_REPORT_ENV, EVENT_LOOP_REPORT_PREFIX } = await import('../src-main/cli/event-loop-report');
  const work = join(WORK_DIR, 'fleet');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const command = bench.command(devices === 100_000 ? '' : `--devices ${devices}`);
  const build = await appBuild(work);
  if (!build.ok) {
    bench.skip(`every fleet figure: ${build.reason}`);
    bench.done();
    process.exit(0);
  }
  const cliJs = join(build.outDir, 'main', 'cli.js');
  const children: ChildProcess[] = [];
  const cleanup = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', cleanup);

  /** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
  const lineFrom = (child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 10 * 60_000) =>
    new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`${what} printed nothing usable in ${timeoutMs / 1000} s:\n${output.slice(-2000)}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split('\n').find((l) => pattern.test(l));
        if (line) {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve(line);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      child.once('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${output.slice(-2000)}`)));
    });

  // The simulator, in its own process so its memory and CPU are not the app's.
  console.log(`\nFleet scale — ${fmtCount(devices)} Falcon hosts, ${latencyMs} ms latency; simulator starting (prebuild) …`);
  const simProcess = spawn(process.execPath, [fileURLToPath(import.meta.url), '--sim-child', '--devices', String(devices), '--latency', String(latencyMs)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(simProcess);
  const sim = JSON.parse(await lineFrom(simProcess, /^\{/, 'the simulator')) as {
    url: string;
    agents: number;
    credentials: { falcon: { clientId: string; clientSecret: string; customerId: string }; sentinelOne: { apiToken: string } };
  };
  console.log(`   simulator at ${sim.url}: ${fmtCount(devices)} hosts, ${fmtCount(sim.agents)} SentinelOne agents`);

  // The app: serve from this commit's build on an empty data directory, with event-loop reports switched on.
  const dataDir = join(work, 'data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const nodeArgs = values['node-args'].split(' ').filter(Boolean);
  if (values.snapshot) nodeArgs.push('--heapsnapshot-signal=SIGUSR1', `--diagnostic-dir=${work}`);
  const serve = spawn(process.execPath, [...nodeArgs, cliJs, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, POSTURE_CONSOLE_LOG_LEVEL: 'warn', [EVENT_LOOP_REPORT_ENV]: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(serve);
  const reports: EventLoopReport[] = [];
  const waiting: ((r: EventLoopReport) => void)[] = [];
  let stderrTail = '';
  serve.stderr!.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-100_000);
    const lines = stderrTail.split('\n');
    stderrTail = lines.pop() ?? '';
    for (const line of lines)
      if (line.startsWith(EVENT_LOOP_REPORT_PREFIX)) {
        const report = JSON.parse(line.slice(EVENT_LOOP_REPORT_PREFIX.length)) as EventLoopReport;
        const next = waiting.shift();
        if (next) next(report);
        else reports.push(report);
      } else if (line.trim()) process.stderr.write(`   serve: ${line}\n`);
  });
  /** The event-loop delay since the previous report (the first call only starts a window). */
  const eventLoop = () =>
    new Promise<EventLoopReport>((resolve) => {
      waiting.push(resolve);
      serve.kill('SIGUSR2');
    });
  if (values['serve-stdout']) serve.stdout!.pipe(createWriteStream(values['serve-stdout']));
  const urlLine = await lineFrom(serve, /https?:\/\/\S+#token=/, 'serve');
  const openUrl = /(https?:\/\/\S+)/.exec(urlLine)![1]!;
  const base = openUrl.slice(0, openUrl.indexOf('/#'));
  const token = openUrl.slice(openUrl.indexOf('#token=') + '#token='.length);

  // RSS of serve and its descendants (threads are in the process), sampled every 50 ms through the whole run.
  const descendants = (pid: number): number[] => {
    const found: number[] = [];
    try {
      for (const task of readdirSync(`/proc/${pid}/task`))
        for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean))
          found.push(Number(child), ...descendants(Number(child)));
    } catch {
      // gone meanwhile
    }
    return found;
  };
  const rssMB = (pid: number) => {
    try {
      return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  };
  const appRss = () => [serve.pid!, ...descendants(serve.pid!)].reduce((sum, pid) => sum + rssMB(pid), 0);
  let peakMB = 0;
  let windowPeakMB = 0;
  const sampler = setInterval(() => {
    const now = appRss();
    peakMB = Math.max(peakMB, now);
    windowPeakMB = Math.max(windowPeakMB, now);
  }, 50);

  const invoke = async <T>(channel: string, body: unknown = {}): Promise<T> => {
    const res = await fetch(`${base}/api/invoke/${channel}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: base },
      body: JSON.stringify(body),
    });
    const envelope = (await res.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
    if (!envelope.ok) throw new Error(`${channel}: ${envelope.error?.code} ${envelope.error?.message}`);
    return envelope.value as T;
  };
  const timed = async (channel: string, body: unknown = {}) => {
    const started = performance.now();
    await invoke(channel, body);
    return performance.now() - started;
  };

  const emptyRss = appRss();
  // Timers paused first, so nothing polls before the checks exist; Poll now still polls.
  await invoke('posture.pause', {});
  const falcon = await invoke<{ config: { id: string } }>('providers.save', {
    kind: 'crowdstrike-zta',
    name: 'Falcon ZTA (simulator)',
    clientId: sim.credentials.falcon.clientId,
    clientSecret: sim.credentials.falcon.clientSecret,
    customerId: sim.credentials.falcon.customerId,
    region: 'custom',
    baseUrl: sim.url,
    pollInterval: '1h',
  });
  const s1 = await invoke<{ config: { id: string } }>('providers.save', {
    kind: 'sentinelone',
    name: 'SentinelOne (simulator)',
    apiUrl: sim.url,
    apiToken: sim.credentials.sentinelOne.apiToken,
    pollInterval: '1h',
  });
  const checks = [
    { name: 'ZTA overall score at least 70', providerId: falcon.config.id, enabled: true, rule: { attribute: 'overall', operator: '>=', value: 70 } },
    { name: 'Sensor seen within 24 hours', providerId: falcon.config.id, enabled: true, rule: { attribute: 'last_seen', within: '24h' } },
    { name: 'Not infected', providerId: s1.config.id, enabled: true, rule: { attribute: 'infected', expected: false } },
    { name: 'Agent connected', providerId: s1.config.id, enabled: true, rule: { attribute: 'network_status', accepted: ['connected'] } },
  ];
  for (const check of checks) await invoke('checks.save', check);

  interface PollFigures {
    name: string;
    ms: number;
    outcome: string;
    devices: number;
    evaluations: number;
    eventLoop: EventLoopReport;
    during: { status: number[]; search: number[] };
    after: { status: number; search: number };
    peakMB: number;
    cpuMs: number;
  }
  const cpuMs = () => {
    // utime + stime of serve in clock ticks (100 a second on Linux).
    const fields = readFileSync(`/proc/${serve.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  const search = { text: 'lt-', offset: 0, limit: 50 };
  /** How long after each poll its event-loop window and probes go on. */
  const AFTER_POLL_MS = 3000;
  const poll = async (name: string, providerId: string): Promise<PollFigures> => {
    await eventLoop(); // starts the window
    windowPeakMB = appRss();
    const cpuBefore = cpuMs();
    const started = performance.now();
    let done = false;
    const result = invoke<{ outcome: string; error?: string; tally?: { devices: number; evaluations: number } }>('posture.pollNow', { providerId }).finally(
      () => (done = true),
    );
    const during = { status: [] as number[], search: [] as number[] };
    // Probes one after the other while the poll runs, as a screen refreshing would.
    while (!done) {
      during.status.push(await timed('posture.status'));
      if (done) break;
      during.search.push(await timed('devices.list', search));
      await new Promise((r) => setTimeout(r, 200));
    }
    const outcome = await result;
    const ms = performance.now() - started;
    const after = { status: await timed('posture.status'), search: await timed('devices.list', search) };
    // The window goes on for the seconds after the poll, so the collection the app starts 1 s after a poll (and any
    // pause in it) is measured with the poll: the same probes, as a screen refreshing would.
    const settle = performance.now() + AFTER_POLL_MS;
    while (performance.now() < settle) {
      during.status.push(await timed('posture.status'));
      during.search.push(await timed('devices.list', search));
      await new Promise((r) => setTimeout(r, 200));
    }
    const report = await eventLoop();
    const figures: PollFigures = {
      name,
      ms,
      outcome: outcome.outcome === 'succeeded' ? 'succeeded' : `${outcome.outcome}: ${outcome.error ?? ''}`,
      devices: outcome.tally?.devices ?? 0,
      evaluations: outcome.tally?.evaluations ?? 0,
      eventLoop: report,
      during,
      after,
      peakMB: windowPeakMB,
      cpuMs: cpuMs() - cpuBefore,
    };
    console.log(
      `   ${name.padEnd(12)} ${fmtMs(ms).padStart(8)}  ${figures.outcome}  ${fmtCount(figures.devices)} devices, ${fmtCount(figures.evaluations)} evaluations; ` +
        `event loop p99 ${fmtMs(report.p99)} max ${fmtMs(report.max)}; status max ${fmtMs(Math.max(0, ...during.status))}, search max ${fmtMs(Math.max(0, ...during.search))} ` +
        `(${during.status.length} probes); after: status ${fmtMs(after.status)}, search ${fmtMs(after.search)}; peak RSS ${fmtMB(windowPeakMB)}; CPU ${fmtMs(figures.cpuMs)}; memory at end (MB) ${JSON.stringify(report.memory)}`,
    );
    return figures;
  };

  const polls = [await poll('Falcon', falcon.config.id), await poll('SentinelOne', s1.config.id)];
  // Idle: what the app holds after both polls. The app starts giving memory back 1 s after a poll (idle-memory.ts:
  // a collection at once, then V8's memory reducer, which looks every 8 s), so the target is the settled figure,
  // 15–20 s after the second poll's window; the figure in the first seconds is kept beside it.
  let soonMB = 0;
  let idleMB = 0;
  for (let i = 1; i <= 40; i++) {
    await new Promise((r) => setTimeout(r, 500));
    if (i >= 5 && i <= 10) soonMB = Math.max(soonMB, appRss());
    if (i >= 30) idleMB = Math.max(idleMB, appRss());
  }
  clearInterval(sampler);
  const idleSearch = await timed('devices.list', search);
  const idleReport = await eventLoop();
  console.log(
    `   serve memory when idle (MB): ${JSON.stringify(idleReport.memory)}; event loop while idle p99 ${fmtMs(idleReport.p99)} max ${fmtMs(idleReport.max)}`,
  );
  if (values.snapshot) {
    serve.kill('SIGUSR1');
    await new Promise((r) => setTimeout(r, 20_000));
    console.log(`   heap snapshot in ${work} (kept)`);
  }
  console.log(
    `   idle after both polls: ${fmtMB(idleMB)} settled, ${fmtMB(soonMB)} in the first seconds (empty serve ${fmtMB(emptyRss)}); peak ${fmtMB(peakMB)}; a Devices search when idle ${fmtMs(idleSearch)}`,
  );

  serve.kill('SIGTERM');
  simProcess.stdin!.end();
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r)))));
  if (!values.keep && !values.snapshot) rmSync(work, { recursive: true, force: true });

  const failed = polls.filter((p) => p.outcome !== 'succeeded');
  if (failed.length > 0) throw new Error(`poll failed: ${failed.map((p) => `${p.name} ${p.outcome}`).join('; ')}`);
  const scale = `${fmtCount(devices)} Falcon hosts + ${fmtCount(sim.agents)} SentinelOne agents, four checks`;
  bench.figure({
    label: `serve at ${scale}: RSS idle after both polls (serve and its children; simulator excluded)`,
    value: idleMB,
    unit: 'MB',
    better: 'lower',
    target: { text: '≤ 400 MB', of: 'value', limit: 400 },
    command,
    note: `settled: highest of the samples 15–20 s after the second poll's window (which ends 3 s after the poll); empty serve was ${fmtMB(emptyRss)}`,
  });
  bench.figure({
    label: `serve at ${scale}: RSS in the first seconds after both polls, before the app has given memory back`,
    value: soonMB,
    unit: 'MB',
    better: 'lower',
    command,
    note: 'highest of the samples 2.5–5 s after the second poll’s window; no target (the idle target is the settled figure above)',
  });
  bench.figure({
    label: `serve at ${scale}: peak RSS through both polls`,
    value: peakMB,
    unit: 'MB',
    better: 'lower',
    target: { text: '≤ 600 MB', of: 'value', limit: 600 },
    command,
    note: `sampled every 50 ms (VmRSS of serve and its descendants); Falcon poll ${fmtMB(polls[0]!.peakMB)}, SentinelOne poll ${fmtMB(polls[1]!.peakMB)}`,
  });
  for (const p of polls) {
    bench.figure({
      label: `serve at ${scale}: longest event-loop delay during the ${p.name} poll and the 3 s after it`,
      value: p.eventLoop.max,
      unit: 'ms',
      better: 'lower',
      target: { text: '≤ 100 ms', of: 'value', limit: 100 },
      command,
      note:
        `monitorEventLoopDelay (10 ms resolution, delay beyond it) over ${fmtMs(p.eventLoop.windowMs)}: p50 ${fmtMs(p.eventLoop.p50)}, p99 ${fmtMs(p.eventLoop.p99)}; ` +
        `poll ${fmtMs(p.ms)}, serve CPU ${fmtMs(p.cpuMs)}, ${fmtCount(p.devices)} devices, ${fmtCount(p.evaluations)} evaluations`,
    });
    bench.figure({
      label: `serve at ${scale}: event-loop delay p99 during the ${p.name} poll and the 3 s after it`,
      value: p.eventLoop.p99,
      unit: 'ms',
      better: 'lower',
      target: { text: '≤ 100 ms', of: 'value', limit: 100 },
      command,
    });
  }
  bench.figure({
    label: `serve at ${scale}: longest event-loop delay while idle after both polls (the app giving memory back)`,
    value: idleReport.max,
    unit: 'ms',
    better: 'lower',
    target: { text: '≤ 100 ms', of: 'value', limit: 100 },
    command,
    note: `monitorEventLoopDelay over the ${fmtMs(idleReport.windowMs)} from the second poll's window to the end, p99 ${fmtMs(idleReport.p99)}; the issue's target is for polls, held here too`,
  });
  bench.curve({
    title: `Answers while each poll runs and right after it (${scale}; ${latencyMs} ms simulated latency)`,
    columns: [
      'poll',
      'poll time',
      'event loop p99 / max',
      'posture.status during (median / max)',
      'Devices search during (median / max)',
      'probes',
      'posture.status after',
      'Devices search after',
      'peak RSS in poll',
    ],
    rows: polls.map((p) => {
      const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;
      return [
        p.name,
        fmtMs(p.ms),
        `${fmtMs(p.eventLoop.p99)} / ${fmtMs(p.eventLoop.max)}`,
        `${fmtMs(mid(p.during.status))} / ${fmtMs(Math.max(0, ...p.during.status))}`,
        `${fmtMs(mid(p.during.search))} / ${fmtMs(Math.max(0, ...p.during.search))}`,
        p.during.status.length,
        fmtMs(p.after.status),
        fmtMs(p.after.search),
        fmtMB(p.peakMB),
      ];
    }),
    command,
  });
  bench.note(
    `The simulator (${fmtCount(devices)} hosts, seed 15, ${latencyMs} ms latency, the real 6,000/min Falcon limit, records prebuilt) runs in its own process; ` +
      '`posture-console serve` is this commit’s build (`electron-vite build`), started on an empty data directory; the bench adds both providers and the four demo checks through `POST /api/invoke/<channel>` with the access token, pauses the timers, and polls each provider with `posture.pollNow`. ' +
      'RSS is VmRSS of serve plus every descendant process, sampled every 50 ms (the store worker is a thread of serve, so it is inside serve’s RSS). ' +
      'Event-loop delay comes from `monitorEventLoopDelay` inside serve, switched on only by the POSTURE_CONSOLE_EVENT_LOOP_REPORT variable this benchmark sets, reported on SIGUSR2 for the window of each poll and the 3 s after it (1 s after a poll the app starts a full collection and favours memory until the next poll: src-main/core/idle-memory.ts; the collection falls inside the window, V8’s memory reducer after it in the idle window, whose delay is its own figure). ' +
      'While a poll runs, `posture.status` and a Devices search (`devices.list` with text "lt-", 50 rows) are timed one after the other with 200 ms pauses, as a screen refreshing would, and for the 3 s after it; “after” is one of each right after the poll. ' +
      'The V8 settings serve applies at start (`--semi-space-growth-factor=1`, `--heap-growing-percent=50`, src-main/core/heap-settings.ts) are applied the same way, at run time, in the desktop app’s main process. Serve-only: `serve` re-executes itself once at start with `MALLOC_MMAP_THRESHOLD_=131072` (src-main/cli/serve-settings.ts), which glibc reads at process start; Electron’s main process starts without it. ' +
      'The store worker’s release between polls (the ingest mirror, SQLite’s page cache and a memory-reducing collection of the worker’s heap, 1 s after a poll’s write) is the same in the desktop app.',
  );
  bench.done();
}
