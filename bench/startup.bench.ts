// Start-up of the command line and the web host as whole processes, each beside `node -e 0` on the same Node (the
// floor: what starting Node alone costs on this machine). Proxies for the desktop app, whose binary cannot run here:
// the fixed cost every CLI command pays, an export of an empty log, `serve` from spawn to its URL, the idle
// memory of an empty `serve`, and the core's boot to its first answer, timed inside a fresh process.
//
//   npx node bench/startup.bench.ts            quick: 5 rounds
//   npx node bench/startup.bench.ts --full     10 rounds
//   options: --rounds N  --keep (leave bench/.work/startup)
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

await import(new URL('./ts-hooks.ts', import.meta.url).href);
const { appBuild, benchmark, fmtMB, fmtMs, median, runMeasured, WORK_DIR } = await import('./harness');

const bench = benchmark('startup', 'Start-up of the CLI and the web host', { rounds: { type: 'string' } });
const rounds = Math.max(1, Number(bench.values.rounds ?? (bench.full ? 10 : 5)));
const work = join(WORK_DIR, 'startup');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const command = bench.command(bench.full ? '--full' : '');

const build = await appBuild(work);
if (!build.ok) {
  bench.skip(`every start-up figure: ${build.reason}`);
  bench.done();
  process.exit(0);
}
const cliJs = join(build.outDir, 'main', 'cli.js');
const env = { ...process.env, POSTURE_CONSOLE_LOG_LEVEL: 'warn' };

/** Median wall time (spawn to exit) and highest peak RSS of `rounds` runs, after one untimed run. */
async function timed(args: string[]) {
  await runMeasured(process.execPath, args, { env, timeoutMs: 60_000 });
  const runs = [];
  for (let i = 0; i < rounds; i++) {
    const run = await runMeasured(process.execPath, args, { env, timeoutMs: 60_000 });
    if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${run.status}: ${run.stderr.trim().split('\n').slice(-2).join(' ')}`);
    runs.push(run);
  }
  return { ms: median(runs.map((r) => r.ms)), peakRssMB: Math.max(...runs.map((r) => r.peakRssMB ?? Number.NaN)) };
}

const floor = await timed(['-e', '0']);
const floorPeer = { label: `node -e 0 (${process.version}), whole process`, value: floor.ms };
console.log(`\nStart-up — node -e 0: ${fmtMs(floor.ms)}`);

const help = await timed([cliJs, '--help']);
console.log(`   posture-console --help: ${fmtMs(help.ms)}`);
bench.figure({
  label: 'posture-console --help, whole process',
  value: help.ms,
  unit: 'ms',
  better: 'lower',
  peer: floorPeer,
  target: { text: '≤ 3× node -e 0', of: 'ratio', limit: 3 },
  command,
  note: `median of ${rounds}; the fixed cost every command pays before its own work`,
});

const emptyDir = join(work, 'empty');
mkdirSync(emptyDir, { recursive: true, mode: 0o700 });
const emptyExport = await timed([cliJs, 'export', '--data-dir', emptyDir, '--out', join(work, 'empty.csv'), '--view', 'evaluations']);
console.log(`   export of an empty log: ${fmtMs(emptyExport.ms)}`);
bench.figure({
  label: 'posture-console export of an empty log, whole process',
  value: emptyExport.ms,
  unit: 'ms',
  better: 'lower',
  peer: floorPeer,
  target: { text: '≤ 150 ms', of: 'value', limit: 150 },
  command,
  note: `median of ${rounds}; reads the settings, opens the log in its own thread (no store worker, vault or HTTP client: export needs none), writes a header-only CSV, renames it and exits`,
});

/** `serve` from spawn until it prints its URL, then its RSS after it has sat idle for two seconds. */
async function serveOnce(dataDir: string): Promise<{ ms: number; idleRssMB: number }> {
  const started = performance.now();
  const server = spawn(process.execPath, [cliJs, 'serve', '--port', '0', '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const ms = await new Promise<number>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`serve printed no URL in 60 s:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/http:\/\/127\.0\.0\.1:\d+\//.test(output)) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      };
      server.stdout.on('data', onData);
      server.stderr.on('data', onData);
      server.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1];
    return { ms, idleRssMB: Number(rss) / 1024 };
  } finally {
    await new Promise<void>((resolve) => {
      if (server.exitCode !== null || server.signalCode !== null) return resolve();
      server.once('exit', () => resolve());
      server.kill('SIGTERM');
      setTimeout(() => server.kill('SIGKILL'), 10_000).unref();
    });
  }
}

/** The floor's idle RSS: Node doing nothing, sampled the same way. */
async function idleNodeRssMB(): Promise<number> {
  const idle = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${idle.pid}/status`, 'utf8'))?.[1];
  idle.kill('SIGKILL');
  return Number(rss) / 1024;
}

const serveDir = join(work, 'serve');
mkdirSync(serveDir, { recursive: true, mode: 0o700 });
await serveOnce(serveDir); // untimed: makes the settings and the vault key
const serves = [];
for (let i = 0; i < rounds; i++) serves.push(await serveOnce(serveDir));
const nodeIdle = await idleNodeRssMB();
const serveMs = median(serves.map((s) => s.ms));
const serveRss = Math.max(...serves.map((s) => s.idleRssMB));
console.log(`   serve to URL: ${fmtMs(serveMs)}; idle RSS ${fmtMB(serveRss)} (idle node: ${fmtMB(nodeIdle)})`);
bench.figure({
  label: 'posture-console serve, empty data directory: spawn → URL printed',
  value: serveMs,
  unit: 'ms',
  better: 'lower',
  peer: floorPeer,
  target: { text: '≤ 250 ms', of: 'value', limit: 250 },
  command,
  note: `median of ${rounds}; the core's boot (settings, handlers; the store worker starts later, at the first read of the log) is inside this time`,
});
bench.figure({
  label: 'posture-console serve, empty data directory: idle RSS two seconds after start',
  value: serveRss,
  unit: 'MB',
  better: 'lower',
  peer: { label: 'node -e with a pending timer, idle, sampled the same way', value: nodeIdle },
  target: { text: '≤ 90 MB', of: 'value', limit: 90 },
  command,
  note: `highest of ${rounds}; one process, no page opened: the store worker (a thread of it) starts with the first read of the log, so a console in use holds more`,
});
// Core boot, in-process: a fresh Node (compile cache on, as cli.js does) loads the build's node-app chunk, creates
// the app over the empty data directory `serve` used, and answers a first `posture.status` through the handlers
// table. Timed inside the process from before the import, so Node's own start (the floor) is not in it.
const nodeAppChunk = readdirSync(join(build.outDir, 'main')).find((name) => /^node-app-[\w-]+\.js$/.test(name));
if (!nodeAppChunk) bench.skip('core boot to handlers ready: no node-app-*.js chunk in the build');
else {
  const bootScript = `
    import * as nodeModule from 'node:module';
    nodeModule.enableCompileCache?.();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const chunk = await import(${JSON.stringify(pathToFileURL(join(build.outDir, 'main', nodeAppChunk)).href)});
    const createNodeApp = Object.values(chunk).find((f) => typeof f === 'function');
    const loaded = performance.now();
    const app = await createNodeApp({ dataDir: ${JSON.stringify(serveDir)}, host: 'web' });
    const created = performance.now();
    const status = await app.handlers['posture.status']({});
    const answered = performance.now();
    const cpu = process.cpuUsage(cpu0);
    if (!Array.isArray(status)) throw new Error('posture.status answered ' + JSON.stringify(status));
    await app.close();
    process.stdout.write(JSON.stringify({ load: loaded - t0, create: created - loaded, status: answered - created, total: answered - t0, cpu: (cpu.user + cpu.system) / 1000 }));
  `;
  const boots: { load: number; create: number; status: number; total: number; cpu: number }[] = [];
  await runMeasured(process.execPath, ['--input-type=module', '-e', bootScript], { env, timeoutMs: 60_000 }); // untimed: fills the compile cache
  for (let i = 0; i < rounds; i++) {
    const run = await runMeasured(process.execPath, ['--input-type=module', '-e', bootScript], { env, timeoutMs: 60_000 });
    if (run.status !== 0) throw new Error(`core boot exited with ${run.status}: ${run.stderr.trim().split('\n').slice(-3).join(' ')}`);
    boots.push(JSON.parse(run.stdout) as (typeof boots)[number]);
  }
  const boot = (key: keyof (typeof boots)[number]) => median(boots.map((b) => b[key]));
  console.log(
    `   core boot to first posture.status: ${fmtMs(boot('total'))} (load ${fmtMs(boot('load'))}, createApp ${fmtMs(boot('create'))}, answer ${fmtMs(boot('status'))})`,
  );
  bench.figure({
    label: 'Core boot to handlers ready, in-process: import the core → createApp → first posture.status answered',
    value: boot('total'),
    unit: 'ms',
    better: 'lower',
    peer: floorPeer,
    target: { text: '≤ 150 ms', of: 'value', limit: 150 },
    command,
    note: `median of ${rounds} fresh processes, timed inside each from before the import (Node's own start, the floor beside it, is not included): loading the modules ${fmtMs(boot('load'))}, createApp ${fmtMs(boot('create'))}, the first answer ${fmtMs(boot('status'))}; CPU ${fmtMs(boot('cpu'))} (on a loaded machine the wall time waits for a core, the CPU time less so); the data directory is the empty serve's above`,
  });
}
bench.note(
  'Each figure is a whole process timed from spawn (to exit, or to the URL for serve) on the same Node as the floor; the CLI is this commit’s build run as `node out/main/cli.js` (what bin/posture-console.js imports after its version check).',
);
bench.done();
if (!bench.values.keep) rmSync(work, { recursive: true, force: true });
