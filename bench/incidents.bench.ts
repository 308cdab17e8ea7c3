// Poll-to-incident latency against the simulator: alerts are added, one poll runs, and we time when the
// incidents are committed and announced (incident.created), and when the poll has also enriched them
// through the Hosts API. Real store (SQLite in its worker), real HTTP over loopback, the seed's rules.
// Prints figures; never fails on timing. With the scheduler, add the wait for the next poll (≤ the
// integration's interval, 5 minutes by default) to these figures.
//
//   npx node bench/incidents.bench.ts            quick: 5 rounds per size
//   npx node bench/incidents.bench.ts --full     10 rounds per size
//   options: --devices N (2000)  --latency MS per response (20)  --sizes 1,10,100,1000  --rounds N
//
// ts-hooks.ts lets Node run the simulator's parameter properties and the repository's extensionless imports
// (the store worker registers store/ts-source.ts in its own thread).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

await import(new URL('./ts-hooks.ts', import.meta.url).href);
const { benchmark, fmtMs } = await import('./harness');
const { startSimulator } = await import('../sim/index');
const { createHttp } = await import('../src-main/core/providers/http');
const { createFalconClient } = await import('../src-main/core/providers/crowdstrike/client');
const { openStore } = await import('../src-main/core/store/store');
const { storeWorkerFromSource } = await import('../src-main/core/store-source');
const { storeRepository } = await import('../src-main/core/incidents/store-repository');
const { IncidentService } = await import('../src-main/core/incidents/service');
const { seedRuleSet } = await import('../src-main/core/incidents/test-harness.testkit');

const bench = benchmark('incidents', 'Poll-to-incident latency', {
  devices: { type: 'string', default: '2000' },
  latency: { type: 'string', default: '20' },
  sizes: { type: 'string', default: '1,10,100,1000' },
  rounds: { type: 'string' },
});
const { values } = bench;
values.rounds ??= bench.full ? '10' : '5';
const sizes = values.sizes.split(',').map(Number);
const rounds = Math.max(1, Number(values.rounds));
const latencyMs = Number(values.latency);

const dir = mkdtempSync(join(tmpdir(), 'incidents-bench-'));
const sim = await startSimulator({ devices: Number(values.devices), alerts: 0, seed: 9, latencyMs, rateLimitPerMinute: 1_000_000 });
/** Each request's start and end in this poll, as the client saw them: the floor is computed from these. */
let requestTimes: { start: number; end: number }[] = [];
const realHttp = createHttp();
const http: typeof realHttp = {
  ...realHttp,
  clock: realHttp.clock,
  clockSkewMs: (origin) => realHttp.clockSkewMs(origin),
  close: () => realHttp.close(),
  async request(req) {
    const start = performance.now();
    try {
      return await realHttp.request(req);
    } finally {
      requestTimes.push({ start, end: performance.now() });
    }
  },
};

/**
 * The floor of one poll: the longest chain of its requests where each started only after the one before had
 * answered (the calls that had to wait for each other), times the latency every answer carries. No client making
 * these calls in this order can be faster; CPU, loopback and the store count for nothing in it.
 */
function floorOf(times: { start: number; end: number }[]): { chain: number; ms: number } {
  const sorted = [...times].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((r, i) => {
    let before = 0;
    for (let j = 0; j < i; j++) if (sorted[j]!.end <= r.start) before = Math.max(before, depth[j]!);
    depth[i] = before + 1;
  });
  const chain = Math.max(0, ...depth);
  return { chain, ms: chain * latencyMs };
}
const store = await openStore({ file: join(dir, 'posture.db'), createWorker: storeWorkerFromSource });
const config = {
  id: 'bench',
  kind: 'crowdstrike-falcon-incidents' as const,
  name: 'Falcon (simulator)',
  clientId: sim.credentials.falcon.clientId,
  pollInterval: '5m' as const,
  hostEnrichment: true,
  iocPushOnResolve: false,
  region: 'custom' as const,
  baseUrl: sim.url,
};

let created: number[] = [];
const service = new IncidentService({
  repository: storeRepository(store),
  integrations: () => [config],
  clientFor: (c) => createFalconClient({ baseUrl: c.baseUrl, clientId: c.clientId, getSecret: async () => sim.credentials.falcon.clientSecret, http }),
  ruleSet: () => seedRuleSet,
  emit: (event) => {
    if (event === 'incident.created') created.push(performance.now());
  },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;
const max = (xs: number[]) => Math.max(...xs);
const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;

// Warm-up: token, connections, statement caches.
sim.addAlerts(5);
await service.pollNow(config.id);

console.log(`Simulator: ${values.devices} devices, ${latencyMs} ms per response; ${rounds} rounds per size; seed rules; store in its worker.\n`);
console.log('alerts/poll  incidents  first visible (med/max)   all visible (med/max)     poll + enrichment (med/max)  requests/poll');
const curveRows: (string | number)[][] = [];
for (const size of sizes) {
  const first: number[] = [];
  const all: number[] = [];
  const done: number[] = [];
  const floors: { chain: number; ms: number }[] = [];
  let incidents = 0;
  let requests = 0;
  for (let round = 0; round < rounds; round++) {
    sim.addAlerts(size);
    created = [];
    requestTimes = [];
    const before = sim.stats().requests;
    const started = performance.now();
    const batch = await service.pollNow(config.id);
    done.push(performance.now() - started);
    floors.push(floorOf(requestTimes));
    requests += sim.stats().requests - before;
    incidents += batch.incidentsCreated;
    if (created.length > 0) {
      first.push((created[0] ?? started) - started);
      all.push((created.at(-1) ?? started) - started);
    }
  }
  console.log(
    `${String(size).padStart(11)}  ${String(Math.round(incidents / rounds)).padStart(9)}  ${ms(median(first))} / ${ms(max(first))}   ${ms(median(all))} / ${ms(max(all))}   ${ms(median(done))} / ${ms(max(done))}     ${(requests / rounds).toFixed(1)}`,
  );
  curveRows.push([
    size,
    Math.round(incidents / rounds),
    `${fmtMs(median(first))} / ${fmtMs(max(first))}`,
    `${fmtMs(median(all))} / ${fmtMs(max(all))}`,
    `${fmtMs(median(done))} / ${fmtMs(max(done))}`,
    (requests / rounds).toFixed(1),
  ]);
  bench.figure({
    label: `Poll to incidents committed and enriched, ${size} new alert${size === 1 ? '' : 's'} per poll (median of ${rounds})`,
    value: median(done),
    unit: 'ms',
    better: 'lower',
    peer: {
      label: `floor: ${median(floors.map((f) => f.chain))} sequential round trips at ${latencyMs} ms (the longest chain of the poll's own requests that waited on each other)`,
      value: median(floors.map((f) => f.ms)),
    },
    command: bench.command(`--sizes ${size} --rounds ${rounds}`),
    note: `first incident announced after ${fmtMs(median(first))} (median); ${(requests / rounds).toFixed(1)} requests per poll; floors per round: ${[...new Set(floors.map((f) => f.chain))].join(', ')} round trips`,
  });
}
bench.curve({
  title: `Poll-to-incident latency by alerts per poll (${values.devices} devices, ${latencyMs} ms per response; median / max of ${rounds} rounds)`,
  columns: ['alerts per poll', 'incidents per poll', 'first incident announced', 'last incident announced', 'poll + enrichment', 'requests per poll'],
  rows: curveRows,
  command: bench.command(bench.full ? '--full' : ''),
});
bench.note(
  'No outside product does this job to compare against; the peer is the floor the simulated latency sets for the requests each poll actually made: the longest chain of them in which each began after the previous had answered, times the latency every answer carries. Add the wait for the next scheduled poll (≤ the integration’s interval, 5 minutes by default) for the time an admin waits.',
);

await service.close();
await store.close();
await http.close();
await sim.close();
rmSync(dir, { recursive: true, force: true });
bench.done();
