// Full Falcon inventory (host records, ZTA and online state) against the simulator: wall time, requests, 429s
// and the client's peak memory, for our client (host records projected from the 2026 combined endpoint), the
// transport floor making our calls, and CrowdStrike's own JavaScript SDK (`crowdstrike-falcon`) doing the inventory
// as an engineer would write it with the SDK (ids by scroll, then details POSTs), each with the same in-flight cap
// and one at a time.
//
//   npx node bench/inventory.bench.ts                    quick: 1,000 and 10,000 devices
//   npx node bench/inventory.bench.ts --full             1,000, 10,000, 50,000 and 100,000 devices
//   options: --sizes 1000,10000  --latency MS (20)  --limit PER_MIN (6000)  --concurrency N (8)  --rounds N (3)
//            --clients ours,wire,falconjs,falconjs-sequential,ours-sequential  --keep (leave the bundle in bench/.work/inventory)
//
// The simulator (fresh, same seed, for every run so no rate window carries over) runs in a process of its own and
// builds every record and its JSON before the client starts, as a live service has its records at rest;
// each client runs in its own child process so its peak RSS is its own. Both clients' timings include
// the token call. Traffic stays on 127.0.0.1.
//
// What runs is what ships: this process bundles bench/inventory-child.ts with rolldown into bench/.work/inventory (the
// repository's code and zod in the bundle, other packages from node_modules, as electron-vite builds the app) and starts
// every measured process (simulator, ours, floor, SDK) from that plain JavaScript, with the same flags. Only this
// parent loads bench/ts-hooks.ts, whose type stripping alone would add ~70 MB to a child's RSS before any work.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildFigures } from './inventory-child';

await import(new URL('./ts-hooks.ts', import.meta.url).href);
const { benchmark, fmtCount, fmtMB, fmtMs, runMeasured, WORK_DIR } = await import('./harness');

const bench = benchmark('inventory', 'Falcon inventory against the simulator', {
  sizes: { type: 'string' },
  latency: { type: 'string', default: '20' },
  limit: { type: 'string', default: '6000' },
  concurrency: { type: 'string', default: '8' },
  rounds: { type: 'string', default: '3' },
  clients: { type: 'string', default: 'ours,wire,falconjs,falconjs-sequential,ours-sequential' as string },
});
const { values } = bench;

// Parent ---------------------------------------------------------------------------------------------

const sizes = (values.sizes ?? (bench.full ? '1000,10000,50000,100000' : '1000,10000')).split(',').map(Number);
const latencyMs = Number(values.latency);
const limitPerMinute = Number(values.limit);
const concurrency = Number(values.concurrency);
const rounds = Math.max(1, Number(values.rounds));
// One-call-at-a-time runs are not peers (a client slowed down on purpose); `--clients …,ours-sequential` still runs them.
const DEFAULT_CLIENTS = 'ours,wire,falconjs';
const clients = values.clients.split(',');

interface Run extends ChildFigures {
  client: string;
  devices: number;
  concurrency: number;
  requests: number;
  rateLimited: number;
  boundMs: number;
  error?: string;
}

/** Host records per sequential page: ours and the floor page the combined endpoint, the SDK peer scrolls ids. */
const { HOST_COMBINED_LIMIT, HOST_SCROLL_LIMIT, INVENTORY_FIELDS } = await import('../src-main/core/providers/crowdstrike/hosts');
const { DEFAULT_CONNECTIONS_PER_ORIGIN } = await import('../src-main/core/providers/http');

const CLIENTS: Record<string, { child: 'ours' | 'falconjs' | 'wire'; inFlight: number; hostPage: number; label: string }> = {
  ours: { child: 'ours', inFlight: concurrency, hostPage: HOST_COMBINED_LIMIT, label: `ours, ${concurrency} in flight` },
  wire: { child: 'wire', inFlight: concurrency, hostPage: HOST_COMBINED_LIMIT, label: `floor: our calls, no parsing, ${concurrency} in flight` },
  falconjs: { child: 'falconjs', inFlight: concurrency, hostPage: HOST_SCROLL_LIMIT, label: `crowdstrike-falcon SDK, ${concurrency} in flight` },
  'falconjs-sequential': { child: 'falconjs', inFlight: 1, hostPage: HOST_SCROLL_LIMIT, label: 'crowdstrike-falcon SDK, one call at a time' },
  'ours-sequential': { child: 'ours', inFlight: 1, hostPage: HOST_COMBINED_LIMIT, label: 'ours, one call at a time' },
};

/**
 * Every measured process (simulator, ours, floor, SDK) runs bench/inventory-child.ts bundled to plain JavaScript, as the
 * app ships its main process (electron-vite bundles the repository's code and zod; other packages load from
 * node_modules), so none of them pays for the TypeScript hooks this process needs (type stripping alone takes ~70 MB).
 */
const BUNDLE_DIR = join(WORK_DIR, 'inventory');
async function bundleChild(): Promise<string> {
  const { build } = await import('rolldown');
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  await build({
    input: { 'inventory-child': new URL('./inventory-child.ts', import.meta.url).pathname },
    platform: 'node',
    // As electron.vite.config.ts: zod is bundled, other packages (undici, crowdstrike-falcon) load from node_modules.
    external: (id) => !/^[./]/.test(id) && !/^zod(\/|$)/.test(id),
    logLevel: 'warn',
    output: { dir: BUNDLE_DIR, format: 'esm', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
  });
  return join(BUNDLE_DIR, 'inventory-child.mjs');
}
const childEntry = await bundleChild();

/** A fresh simulator in its own process (its CPU and memory are neither the client's nor this process's). */
async function startSimProcess(devices: number, latency: number) {
  const child = spawn(process.execPath, [childEntry, '--sim', String(devices), '--latency', String(latency), '--limit', String(limitPerMinute)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      // Only the JSON lines are answers; anything else the simulator prints is passed on.
      if (!line.startsWith('{')) {
        if (line.trim()) console.log(`   simulator: ${line}`);
        continue;
      }
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    }
  });
  const line = () => new Promise<string>((resolve) => (lines.length > 0 ? resolve(lines.shift()!) : waiting.push(resolve)));
  const started = JSON.parse(await line()) as { url: string; credentials: { falcon: { clientId: string; clientSecret: string } } };
  return {
    ...started,
    async stats() {
      child.stdin!.write('stats\n');
      return JSON.parse(await line()) as { requests: number; status429: number };
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}

async function measure(name: string, devices: number, latency = latencyMs): Promise<Run> {
  const spec = CLIENTS[name];
  if (!spec) throw new Error(`unknown client ${name}; known: ${Object.keys(CLIENTS).join(', ')}`);
  const sim = await startSimProcess(devices, latency);
  try {
    const child = await runMeasured(
      process.execPath,
      [
        childEntry,
        ...['--child', spec.child, '--url', sim.url, '--concurrency', String(spec.inFlight)],
        ...['--page', String(HOST_COMBINED_LIMIT), '--fields', INVENTORY_FIELDS.join(','), '--connections', String(DEFAULT_CONNECTIONS_PER_ORIGIN)],
      ],
      {
        env: { ...process.env, BENCH_FALCON_CLIENT_ID: sim.credentials.falcon.clientId, BENCH_FALCON_CLIENT_SECRET: sim.credentials.falcon.clientSecret },
        timeoutMs: 15 * 60_000,
      },
    );
    const stats = await sim.stats();
    const base = { client: name, devices, concurrency: spec.inFlight, requests: stats.requests, rateLimited: stats.status429 };
    const boundMs = lowerBoundMs(devices, stats.requests - stats.status429, spec.inFlight, spec.hostPage);
    if (child.status !== 0) {
      const error = child.timedOut
        ? 'timed out after 15 min'
        : (child.stderr
            .trim()
            .split('\n')
            .find((l) => /Error/.test(l)) ?? child.stderr.trim().slice(-300));
      return { ...base, boundMs, ms: Number.NaN, hosts: 0, assessments: 0, onlineStates: 0, baselineRssMB: 0, peakRssMB: 0, heapAfterMB: 0, error };
    }
    return { ...base, boundMs, ...(JSON.parse(child.stdout) as ChildFigures) };
  } finally {
    await sim.close();
  }
}

/**
 * The best any client could do: the larger of the rate bound (Falcon's window is a sliding 60 s, so the
 * k-th request cannot leave before floor((k-1)/limit) minutes have passed) and the latency bound (scroll
 * pages, combined or scroll, of `hostPage` records are strictly sequential; the rest need ceil(n / in-flight) round trips).
 */
function lowerBoundMs(fleetSize: number, requests: number, inFlight: number, hostPage: number): number {
  const rateBound = Math.floor(Math.max(0, requests - 1) / limitPerMinute) * 60_000;
  const hostPages = Math.max(1, Math.ceil(fleetSize / hostPage));
  const latencyBound = Math.max(hostPages, Math.ceil(requests / inFlight)) * latencyMs;
  return Math.max(rateBound, latencyBound);
}

console.log(`\nFalcon inventory — ${latencyMs} ms simulated latency, ${fmtCount(limitPerMinute)}/min rate limit, sizes ${sizes.map(fmtCount).join(', ')}`);
const runs: Run[] = [];
/** The floor's wall time by fleet size with the simulated latency set to 0. */
const unlatent = new Map<number, number>();
for (const devices of sizes) {
  // Rounds interleave the clients (A B C D, A B C D, …) so a busy spell on a shared machine hits all of
  // them alike; each figure is the median round (by wall time) of its client.
  const samples = new Map<string, Run[]>(clients.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++)
    for (const name of clients) {
      const run = await measure(name, devices);
      samples.get(name)!.push(run);
      console.log(
        `   ${fmtCount(devices).padStart(7)} devices  ${CLIENTS[name]!.label.padEnd(44)} ${run.error ? `FAILED: ${run.error}` : `${fmtMs(run.ms).padStart(8)}  ${String(run.requests).padStart(5)} requests  ${run.rateLimited} × 429  peak RSS ${fmtMB(run.peakRssMB)}`}`,
      );
    }
  for (const name of clients) {
    const all = samples.get(name)!;
    const failed = all.find((r) => r.error);
    const median = [...all].sort((a, b) => a.ms - b.ms)[Math.floor((all.length - 1) / 2)]!;
    // Time is the median round's; memory is the highest of all rounds (a round's peak varies more than its time).
    runs.push(failed ?? { ...median, peakRssMB: Math.max(...all.map((r) => r.peakRssMB)) });
  }
  // What the same calls cost this machine with no simulated latency at all (simulator, HTTP, loopback): the part of
  // every wall time above the bound that no client can avoid here, since the bound counts no CPU time.
  if (clients.includes('wire') && latencyMs > 0) {
    const run = await measure('wire', devices, 0);
    if (!run.error) unlatent.set(devices, run.ms);
    console.log(
      `   ${fmtCount(devices).padStart(7)} devices  ${'floor with no simulated latency'.padEnd(44)} ${run.error ? `FAILED: ${run.error}` : fmtMs(run.ms).padStart(8)}`,
    );
  }
}

const complete = (r: Run) => {
  if (r.error) return `failed: ${r.error}`;
  if (CLIENTS[r.client]?.child === 'wire') return 'not parsed';
  return r.hosts === r.devices && r.onlineStates === r.devices ? 'yes' : `hosts ${r.hosts}, online ${r.onlineStates}`;
};
const sizeArg = (devices: number) => `--sizes ${devices}`;
bench.curve({
  title: `Inventory time and memory by fleet size (${latencyMs} ms latency, ${fmtCount(limitPerMinute)}/min; time of the median of ${rounds} interleaved rounds, peak RSS the highest of them)`,
  columns: ['devices', 'client', 'wall time', 'requests', '429s', 'lower bound', 'ratio to bound', 'peak RSS', 'heap after', 'ZTA records', 'complete'],
  rows: runs.map((r) => [
    fmtCount(r.devices),
    CLIENTS[r.client]!.label,
    r.error ? 'failed' : fmtMs(r.ms),
    r.requests,
    r.rateLimited,
    fmtMs(r.boundMs),
    r.error ? '-' : (r.ms / Math.max(1, r.boundMs)).toFixed(2),
    r.error ? '-' : fmtMB(r.peakRssMB),
    r.error ? '-' : fmtMB(r.heapAfterMB),
    fmtCount(r.assessments),
    complete(r),
  ]),
  command: bench.command(bench.full ? '--full' : ''),
});

for (const devices of sizes) {
  const of = (name: string) => runs.find((r) => r.devices === devices && r.client === name);
  const ours = of('ours');
  if (!ours || ours.error) continue;
  const command = bench.command(`${sizeArg(devices)}${values.clients === DEFAULT_CLIENTS ? '' : ` --clients ${values.clients}`}`);
  // Headline: the same call plan. The transport floor makes exactly our calls and parses nothing.
  const floor = of('wire');
  if (floor)
    bench.figure({
      label: `Inventory of ${fmtCount(devices)} devices: wall time against the transport floor (same calls as ours, bodies read but never parsed)`,
      value: ours.ms,
      unit: 'ms',
      better: 'lower',
      peer: floor.error ? { label: CLIENTS.wire!.label, skipped: floor.error } : { label: CLIENTS.wire!.label, value: floor.ms },
      command,
      note: floor.error
        ? undefined
        : `same call plan and transport: both load undici before their clock starts (the app loads it once per process, not per poll) ` +
          `and keep up to ${DEFAULT_CONNECTIONS_PER_ORIGIN} connections per origin, the app's setting, for ${concurrency} requests in flight; ` +
          `the floor itself is ${(floor.ms / Math.max(1, floor.boundMs)).toFixed(2)}× the lower bound (${floor.requests} requests, ${floor.rateLimited} × 429)` +
          (unlatent.has(devices)
            ? `; with no simulated latency the floor takes ${fmtMs(unlatent.get(devices)!)} (simulator, HTTP and loopback on this machine)`
            : ''),
    });
  // Issue 15: ≤ 1.2× the rate/latency bound at 50k and 100k, with no 429.
  const boundTarget = devices >= 50_000;
  bench.figure({
    label: `Inventory of ${fmtCount(devices)} devices: wall time against the bound set by rate limit and latency`,
    value: ours.ms,
    unit: 'ms',
    better: 'lower',
    peer: { label: `lower bound, ${ours.requests} requests at ${concurrency} in flight`, value: ours.boundMs },
    target: boundTarget ? { text: '≤ 1.2× the bound, zero 429s', of: 'ratio', limit: 1.2, and: { met: ours.rateLimited === 0, text: 'zero 429s' } } : undefined,
    command,
    note:
      `${ours.rateLimited} × 429` +
      (floor && !floor.error ? `; the floor (our calls, nothing parsed) is ${(floor.ms / Math.max(1, floor.boundMs)).toFixed(2)}× this bound` : '') +
      (unlatent.has(devices) ? `, and ${fmtMs(unlatent.get(devices)!)} with no simulated latency at all` : ''),
  });
  // Second row: the SDK as one writes it makes other calls (scroll ids, POST full records), so it is labelled as such.
  const sdk = of('falconjs');
  const sdkLabel = `${CLIENTS.falconjs!.label} — different call plan (scroll ids → POST full records)`;
  if (sdk)
    bench.figure({
      label: `Inventory of ${fmtCount(devices)} devices: wall time against the SDK on a different call plan`,
      value: ours.ms,
      unit: 'ms',
      better: 'lower',
      peer: sdk.error ? { label: sdkLabel, skipped: sdk.error } : { label: sdkLabel, value: sdk.ms },
      command,
      note: `not the same work: the SDK made ${sdk.requests} requests to our ${ours.requests}, and reads full host records; complete: ours ${complete(ours)}, SDK ${complete(sdk)}`,
    });
  const rssLimit = devices >= 100_000 ? 300 : devices >= 50_000 ? 200 : undefined;
  bench.figure({
    label: `Inventory of ${fmtCount(devices)} devices: client peak RSS`,
    value: ours.peakRssMB,
    unit: 'MB',
    better: 'lower',
    peer: !sdk ? undefined : sdk.error ? { label: sdkLabel, skipped: sdk.error } : { label: sdkLabel, value: sdk.peakRssMB },
    target: rssLimit ? { text: `≤ ${rssLimit} MB`, of: 'value', limit: rssLimit } : undefined,
    command,
    note: `highest over all ${rounds} rounds; RSS after imports: ours ${fmtMB(ours.baselineRssMB)}${sdk && !sdk.error ? `, SDK ${fmtMB(sdk.baselineRssMB)}` : ''}`,
  });
}

bench.note(
  'Each client runs in a child process against a fresh simulator in a process of its own (same seed, so the same fleet), and its time includes the OAuth2 token call; its peak RSS is the highest over all rounds. ' +
    'Every measured process (simulator, ours, floor, SDK) runs one rolldown bundle of bench/inventory-child.ts, plain JavaScript as the app ships (electron-vite bundles the app’s code and zod; other packages load from node_modules), with the same Node and flags; none loads the TypeScript hooks the benchmark’s own process uses (type stripping alone is ~45 MB of RSS). ' +
    'Ours turns each answer’s records into device observations as it reads them (the inventory sink a poll uses), so it ends holding the observations and no lists of raw records; it applies the V8 settings the app’s main process applies at start (`--semi-space-growth-factor=1`, `--heap-growing-percent=50`, src-main/core/heap-settings.ts), where a poll runs, and the floor and the SDK run with V8’s defaults. ' +
    'crowdstrike-falcon 0.7 has no custom base URL and no us-3 cloud: it is created for us-1 with a `fetchApi` (its documented fetch override, used by its OAuth2 middleware and its API configuration) that swaps the us-1 origin for the simulator’s. ' +
    'Ours pages host records through `GET /devices/combined/devices/v1` (2026; 1,000 a page, projected to the 7 fields the inventory keeps) and starts the ZTA and online-state GETs of 100 as each page delivers ids; where a cloud answers 404 there it falls back to scroll + details. ' +
    'A batch call of ours frees its in-flight slot once its answer’s bytes are in and reads the answer a turn of the event loop later, so the next call is on the wire meanwhile. ' +
    'The transport floor makes exactly our calls, and frees a batch call’s slot once its body’s bytes are in (never made into a string). The SDK peer does the inventory as an engineer would write it with crowdstrike-falcon 0.7 (scroll 5,000 ids a page, details POST 5,000 full records, ZTA and online state GET 100) through a plain pool of the same size, so it makes more and bigger calls than ours; the SDK itself brings no batching, pacing or 429 handling, which a run under the limit does not need.',
);
bench.note(
  'Lower bound = max(rate bound, latency bound), with the in-flight cap the run used; it counts no CPU time at all. ' +
    'The simulator builds every host and ZTA record and renders its JSON before the client starts (`prebuild`), as a live service has its records at rest; ' +
    'what remains of its CPU is HTTP and copying those bytes (for 50,000 hosts ~120 MB of ZTA and online state, plus ~100 MB of full host records on the SDK’s details path or a few MB of projected records on the combined path). ' +
    'Its latency counts from each request’s arrival (an answer leaves 20 ms after its request came in, the simulator’s own work on it included, as a live API’s service time is part of the latency its clients see), so that work adds to a round trip only where it runs past the 20 ms. ' +
    'Even the floor, which parses nothing, stays above the bound: the loopback, the client’s own HTTP, and the simulator when the 2 cores it shares with the client (and, on this machine, with other work) are busy; the floor run with no simulated latency (in the floor notes) measures what those cost alone. ' +
    'The issue’s target (≤ 1.2× the bound) is kept as written even where the floor itself misses it.',
);
bench.done();

if (!values.keep) rmSync(BUNDLE_DIR, { recursive: true, force: true });
