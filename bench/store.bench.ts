// Posture-log store: write cost of changes-only runs against a bare insert, filtered-page latency over
// many evaluations, and the disk the scale target (100k devices × 2 checks × 5-min polls × 30 days) needs.
// Prints figures; never fails on timing.
//
//   npx node bench/store.bench.ts           quick (~1 min): 1M evaluations written, pages over 2M
//   npx node bench/store.bench.ts --full    pages over 10M evaluations (about 1 min more)
//   options: --write N  --query N  --change-rate P  --keep (leave the databases in bench/.work/)
//
// Runs on Node 24 as is: ts-source.ts registers a resolve hook for the repository's extensionless
// imports before anything else is imported.
import { mkdirSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { PollEvaluations } from '../src-shared/schemas/posture-log';

await import(new URL('../src-main/core/store/ts-source.ts', import.meta.url).href);
const { openStore } = await import('../src-main/core/store/store');
const { openStoreCore } = await import('../src-main/core/store/core');
const { syntheticPolls } = await import('../src-main/core/store/synthetic-polls');
const { LogQuery } = await import('../src-shared/schemas/posture-log');

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    write: { type: 'string', default: '1000000' },
    query: { type: 'string' },
    'change-rate': { type: 'string', default: '0.01' },
    keep: { type: 'boolean', default: false },
  },
});
const writeEvaluations = Number(values.write);
const queryEvaluations = Number(values.query ?? (values.full ? 10_000_000 : 2_000_000));
const changeRate = Number(values['change-rate']);
const work = join(import.meta.dirname, '.work', 'store');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const DEVICES_PER_POLL = 10_000; // × 2 checks = 20,000 evaluations per poll
const fmtMs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);
const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const pollsFor = (evaluations: number, seed: number) =>
  syntheticPolls({ devices: DEVICES_PER_POLL, polls: Math.ceil(evaluations / (DEVICES_PER_POLL * 2)), changeRate, absentRate: 0.001, seed });

// 1. Writes ------------------------------------------------------------------------------------------
async function timeWrites(label: string, write: (poll: PollEvaluations) => unknown) {
  let ms = 0;
  let evaluations = 0;
  for (const poll of pollsFor(writeEvaluations, 1)) {
    const started = performance.now();
    await write(poll);
    ms += performance.now() - started;
    evaluations += poll.rows.length;
  }
  return { label, ms, evaluations };
}

function bareInsert(file: string) {
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
    CREATE TABLE evaluations (evaluated_at INTEGER, provider TEXT, device_key TEXT, device_name TEXT, serial TEXT,
      platform TEXT, check_id TEXT, check_name TEXT, result TEXT, expected TEXT, received TEXT, reason TEXT)`);
  const insert = db.prepare('INSERT INTO evaluations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  return {
    db,
    write(poll: PollEvaluations) {
      db.exec('BEGIN');
      for (const r of poll.rows)
        insert.run(poll.evaluatedAt, poll.providerId, r.deviceKey, r.deviceName, r.serial, r.platform, r.checkId, r.checkName, r.result, r.expected, r.received, r.reason);
      db.exec('COMMIT');
    },
  };
}

console.log(`\nPosture-log store benchmark — ${DEVICES_PER_POLL.toLocaleString('en')} devices × 2 checks per poll, change rate ${changeRate} per evaluation`);

const bare = bareInsert(join(work, 'bare.db'));
const writes = [await timeWrites('bare node:sqlite insert (1 row per evaluation, 1 transaction per poll)', (p) => bare.write(p))];
bare.db.close();
const inThread = openStoreCore(join(work, 'in-thread.db'));
writes.push(await timeWrites('store core, in-thread (changes-only runs)', (p) => inThread.ingest(p)));
const inThreadStats = inThread.stats();
inThread.close();
const store = await openStore({ file: join(work, 'worker.db') });
writes.push(await timeWrites('store via worker (what the app calls)', (p) => store.ingest(p)));
await store.close();

const bareSize = new DatabaseSync(join(work, 'bare.db'));
const bareBytes = (bareSize.prepare('PRAGMA page_count').get() as { page_count: number }).page_count * 4096;
bareSize.close();
console.log(`\n1. Writing ${writeEvaluations.toLocaleString('en')} evaluations`);
console.table(
  writes.map((w) => ({
    writer: w.label,
    time: fmtMs(w.ms),
    'µs / evaluation': ((w.ms * 1000) / w.evaluations).toFixed(2),
    'ratio to bare': (w.ms / writes[0]!.ms).toFixed(2),
  })),
);
console.log(
  `   on disk: bare ${MB(bareBytes)} for ${writes[0]!.evaluations.toLocaleString('en')} rows; store ${MB(inThreadStats.bytes)} for ` +
    `${inThreadStats.runs.toLocaleString('en')} runs (${(inThreadStats.evaluations / inThreadStats.runs).toFixed(1)} evaluations per run)`,
);

// 2. Filtered pages ----------------------------------------------------------------------------------
const queryFile = join(work, 'query.db');
const core = openStoreCore(queryFile);
let built = performance.now();
for (const poll of pollsFor(queryEvaluations, 2)) core.ingest(poll);
// A second, smaller provider so provider filters have something to exclude.
for (const poll of syntheticPolls({ devices: 2_000, checks: 1, polls: 50, providerId: 's1', changeRate, seed: 3, start: Date.UTC(2026, 10, 1) + 1_000 }))
  core.ingest(poll);
built = performance.now() - built;
const stats = core.stats();
console.log(
  `\n2. Pages over ${stats.evaluations.toLocaleString('en')} evaluations (${stats.runs.toLocaleString('en')} runs, ${stats.series.toLocaleString('en')} series; ` +
    `built in ${fmtMs(built)}, ${MB(stats.bytes)})`,
);

const firstPoll = Date.UTC(2026, 10, 1);
const midWindow = { from: firstPoll + 20 * 5 * 60_000, to: firstPoll + 60 * 5 * 60_000 };
const scenarios: [string, Record<string, unknown>][] = [
  ['changes, newest first (first page)', { view: 'changes' }],
  ['changes, provider + result=fail, time window', { view: 'changes', providerIds: ['falcon'], results: ['fail'], ...midWindow }],
  ['changes, result=unknown (rare), newest first', { view: 'changes', results: ['unknown'] }],
  ['changes, one check, sorted by result', { view: 'changes', checkIds: ['check-1'], sort: { by: 'result', dir: 'asc' } }],
  ['changes, search one device (narrow)', { view: 'changes', text: 'host-004242' }],
  ['changes, search many devices (broad)', { view: 'changes', text: 'host-00', sort: { by: 'time', dir: 'asc' } }],
  ['changes, sorted by device', { view: 'changes', sort: { by: 'device', dir: 'asc' } }],
  ['latest, failing devices by device name', { view: 'latest', results: ['fail'], sort: { by: 'device', dir: 'asc' } }],
  ['evaluations, newest first', { view: 'evaluations' }],
  ['evaluations, result=unknown (rare: probes every series per poll)', { view: 'evaluations', results: ['unknown'] }],
  ['evaluations, provider + window + search', { view: 'evaluations', providerIds: ['falcon'], text: 'host-0042', ...midWindow }],
];

function timeQuery(q: Record<string, unknown>, pages: number) {
  // Page `pages` deep, then time the next page: keyset pages cost the same however deep they are.
  let cursor: string | undefined;
  for (let i = 0; i < pages; i++) cursor = core.queryLog(LogQuery.parse({ ...q, limit: 100, cursor })).nextCursor ?? undefined;
  const samples: number[] = [];
  for (let i = 0; i < 15; i++) {
    const started = performance.now();
    core.queryLog(LogQuery.parse({ ...q, limit: 100, cursor }));
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

console.table(
  scenarios.map(([label, q]) => {
    const countStarted = performance.now();
    const count = core.countLog(LogQuery.parse(q));
    const countMs = performance.now() - countStarted;
    return {
      'page of 100': label,
      matches: count.toLocaleString('en'),
      'first page': fmtMs(timeQuery(q, 0)),
      'page 50': fmtMs(timeQuery(q, 50)),
      countLog: fmtMs(countMs),
    };
  }),
);

// 3. Disk use ----------------------------------------------------------------------------------------
core.close();
const inspect = new DatabaseSync(queryFile, { readOnly: true });
const usage = inspect.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[];
inspect.close();
const bytesOf = (pattern: RegExp) => usage.filter((u) => pattern.test(u.name)).reduce((n, u) => n + u.bytes, 0);
const perRun = bytesOf(/^runs(_time|_result|_series)?$/) / stats.runs;
const perSeries = bytesOf(/^(series|series_provider|sqlite_autoindex_series_1|runs_latest.*)$/) / stats.series;
const perDevice = bytesOf(/^(devices|devices_name|sqlite_autoindex_devices_1)$/) / stats.devices;

const series = 100_000 * 2;
const evaluations30d = series * 12 * 24 * 30;
const fixed = series * perSeries + 100_000 * perDevice;
const runsFor = (rate: number) => series + evaluations30d * rate;
console.log(
  `\n3. Scale target: 100,000 devices × 2 checks × 5-minute polls × 30 days = ${evaluations30d.toLocaleString('en')} evaluations\n` +
    `   measured: ${perRun.toFixed(1)} B per run (row + 3 indexes), ${perSeries.toFixed(1)} B per series, ${perDevice.toFixed(1)} B per device`,
);
console.table(
  [0, 0.0001, 0.001, 0.005, 0.01, 0.02].map((rate) => ({
    'changes per evaluation': rate,
    'changes / series / day': (rate * 288).toFixed(2),
    runs: Math.round(runsFor(rate)).toLocaleString('en'),
    'projected size': MB(fixed + runsFor(rate) * perRun),
    'fits 2 GB': fixed + runsFor(rate) * perRun <= 2e9 ? 'yes' : 'no',
  })),
);
const maxRate = (2e9 - fixed - series * perRun) / (evaluations30d * perRun);
console.log(
  `   2 GB holds ${Math.floor((2e9 - fixed) / perRun).toLocaleString('en')} runs: up to ${(maxRate * 100).toFixed(2)} % of evaluations changing ` +
    `(${(maxRate * 288).toFixed(1)} changes per device/check per day). One row per evaluation would need ` +
    `${MB((evaluations30d * bareBytes) / writes[0]!.evaluations)} (bare table, no indexes).`,
);

if (!values.keep) rmSync(work, { recursive: true, force: true });
