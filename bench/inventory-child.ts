// The processes bench/inventory.bench.ts measures, each started from the bundle the parent builds of this file
// (bench/.work/inventory: plain JavaScript as the app ships it, no TypeScript hooks): the simulator (`--sim N`), and one
// inventory (`--child ours|wire|falconjs`) that prints its figures as one line of JSON. Each mode imports its code
// when it runs (a chunk of its own in the bundle), so no client carries another's code or the simulator's.
import { parseArgs } from 'node:util';
import { peakRssMB } from './peak-rss';

const { values } = parseArgs({
  options: {
    sim: { type: 'string' },
    child: { type: 'string' },
    url: { type: 'string' },
    latency: { type: 'string', default: '20' },
    limit: { type: 'string', default: '6000' },
    concurrency: { type: 'string', default: '8' },
    // The floor's host page, fields and connections per origin, from the parent: it must not load our code (zod and
    // all) to learn them.
    page: { type: 'string' },
    fields: { type: 'string' },
    connections: { type: 'string' },
  },
});

export interface ChildFigures {
  ms: number;
  hosts: number;
  assessments: number;
  onlineStates: number;
  baselineRssMB: number;
  peakRssMB: number;
  heapAfterMB: number;
}

type Counts = Omit<ChildFigures, 'ms' | 'baselineRssMB' | 'peakRssMB' | 'heapAfterMB'>;

if (values.sim) await serveSimulator(Number(values.sim), Number(values.latency), Number(values.limit));
else if (values.child) {
  const clientId = process.env.BENCH_FALCON_CLIENT_ID!;
  const clientSecret = process.env.BENCH_FALCON_CLIENT_SECRET!;
  const concurrency = Number(values.concurrency);
  const url = values.url!;
  let run: () => Promise<Counts>;
  if (values.child === 'ours') run = await oursInventory(url, clientId, clientSecret, concurrency);
  else if (values.child === 'wire') {
    const { wireInventory } = await import('./inventory-peers');
    run = await wireInventory(url, clientId, clientSecret, concurrency, {
      page: Number(values.page),
      fields: values.fields!,
      connections: Number(values.connections),
    });
  } else {
    const { falconjsInventory } = await import('./inventory-peers');
    run = await falconjsInventory(url, clientId, clientSecret, concurrency);
  }
  const baseline = process.memoryUsage().rss;
  const started = performance.now();
  const counts = await run();
  const ms = performance.now() - started;
  const figures: ChildFigures = {
    ms,
    ...counts,
    baselineRssMB: baseline / 2 ** 20,
    peakRssMB: peakRssMB(),
    heapAfterMB: process.memoryUsage().heapUsed / 2 ** 20,
  };
  process.stdout.write(JSON.stringify(figures));
  process.exit(0);
}

/**
 * The simulator, fresh for every run (same seed, so the same fleet, and no rate window carried over): it builds every
 * record and its JSON before the client starts, as a live service has its records at rest. It prints its URL and
 * credentials, then answers each line of input with its stats (requests and 429s so far); the end of input closes it.
 */
async function serveSimulator(devices: number, latencyMs: number, rateLimitPerMinute: number): Promise<never> {
  const { startSimulator } = await import('../sim/index');
  const sim = await startSimulator({ devices, seed: 42, latencyMs, rateLimitPerMinute, prebuild: true });
  process.stdout.write(`${JSON.stringify({ url: sim.url, credentials: sim.credentials })}\n`);
  let input = '';
  process.stdin.on('data', (chunk: Buffer) => {
    input += chunk.toString();
    for (let at = input.indexOf('\n'); at >= 0; at = input.indexOf('\n')) {
      input = input.slice(at + 1);
      process.stdout.write(`${JSON.stringify(sim.stats())}\n`);
    }
  });
  process.stdin.once('end', () => void sim.close().then(() => process.exit(0)));
  return new Promise<never>(() => {});
}

/** Ours, as a poll runs it: each answer's records become device observations as they are read (no lists kept). */
async function oursInventory(url: string, clientId: string, clientSecret: string, concurrency: number): Promise<() => Promise<Counts>> {
  const { createHttp } = await import('../src-main/core/providers/http');
  const { createFalconClient } = await import('../src-main/core/providers/crowdstrike/client');
  const { falconObservationBuilder } = await import('../src-main/core/posture/sources');
  // A poll runs in the app's main process (the desktop app's or `serve`'s), which applies these at start.
  const { applyMainProcessHeapSettings } = await import('../src-main/core/heap-settings');
  applyMainProcessHeapSettings();
  // The floor loads undici before its clock starts; ours loads it with its first request (so the app starts without
  // it). Loaded here, the module is in the cache by then and both sides time the inventory alone, not undici's ~60 ms
  // import, which the app pays once per process rather than once per poll.
  await import('undici');
  // The app's own settings (src-main/core/app.ts makes its client with no overrides), its connections per origin included.
  const http = createHttp();
  return async () => {
    const client = createFalconClient({ baseUrl: url, clientId, getSecret: async () => clientSecret, http });
    await client.authenticate();
    const builder = falconObservationBuilder('falcon');
    const inventory = await client.hosts.inventory({ zta: true, onlineState: true, concurrency, sink: builder });
    const observations = builder.finish(inventory.unreadable);
    return {
      hosts: observations.length,
      assessments: observations.filter((o) => o.posture.kind === 'crowdstrike-zta' && o.posture.assessment !== null).length,
      onlineStates: inventory.counts.onlineStates,
    };
  };
}
