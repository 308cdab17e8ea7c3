// Streaming CSV export of the posture log (every-evaluation view, newest first): time and peak memory at each
// size, measured the same way on both sides: `posture-console export` as a whole process (start, open the data
// directory, export, exit) against the sqlite3 shell's `-csv` as a whole process on the same rows of the same
// database, with a warm page cache and with a cold one. The in-process `exportCsv` (store already open) is kept as
// a second row. sqlite3 is installed from Debian when missing and we are root; otherwise that peer is reported as
// skipped with the reason.
//
//   npx node bench/export.bench.ts            quick: 100k and 1M rows
//   npx node bench/export.bench.ts --full     100k, 1M and 5M rows
//   options: --sizes 100000,1000000  --rounds N (7 up to 1M rows, where the targets are; 3 above)  --keep (leave files
//            in bench/.work/export)
//
// Each export runs in a fresh child process so its peak RSS is its own, not the database build's; both
// sides' peaks are sampled the same way (VmHWM from /proc every 20 ms). The CLI is this commit's build
// (`electron-vite build`), run as `node out/main/cli.js export …` (what bin/posture-console.js imports).
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

await import(new URL('./ts-hooks.ts', import.meta.url).href);
const { appBuild, benchmark, dropPageCache, ensureSqlite3, fmtCount, fmtMB, fmtMs, median, runMeasured, WORK_DIR } = await import('./harness');
const { peakRssMB } = await import('./peak-rss');

const bench = benchmark('export', 'CSV export', {
  sizes: { type: 'string' },
  rounds: { type: 'string' },
  // Internal: run one export and print its figures as JSON.
  child: { type: 'string' },
  out: { type: 'string' },
  to: { type: 'string' },
});
const { values } = bench;

const DEVICES = 10_000; // × 2 checks = 20,000 evaluations per poll
const START = Date.UTC(2026, 10, 1);
const INTERVAL = 5 * 60_000;

type Figures = { rows: number; ms: number; baselineRssMB: number; peakRssMB: number; bytes: number };

if (values.child) {
  const { openStore } = await import('../src-main/core/store/store');
  const { exportCsv } = await import('../src-main/core/export/csv');
  const { LogFilter } = await import('../src-shared/schemas/posture-log');
  const store = await openStore({ file: values.child });
  const baseline = process.memoryUsage().rss;
  const started = performance.now();
  const result = await exportCsv({ store, filter: LogFilter.parse({ view: 'evaluations', to: Number(values.to) }), sink: values.out! });
  const ms = performance.now() - started;
  await store.close();
  const figures: Figures = {
    rows: result.rowsWritten,
    ms,
    baselineRssMB: baseline / 2 ** 20,
    peakRssMB: peakRssMB(),
    bytes: statSync(values.out!).size,
  };
  process.stdout.write(JSON.stringify(figures));
  process.exit(0);
}

const sizes = (values.sizes ?? (bench.full ? '100000,1000000,5000000' : '100000,1000000')).split(',').map(Number);
// Whole processes of a few hundred milliseconds vary by tens of milliseconds run to run on a shared machine, on both
// sides; the targeted sizes take the median of more rounds so one slow run moves neither side.
const roundsFor = (rows: number) => Math.max(1, Number(values.rounds ?? (rows <= 1_000_000 ? 7 : 3)));
const largest = Math.max(...sizes);
const work = join(WORK_DIR, 'export');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
// A data directory as the CLI expects it: the log the app would have written (export reads the settings, and needs no vault).
const dataDir = join(work, 'data');
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
const dbFile = join(dataDir, 'posture-log.sqlite');

const sqlite3 = ensureSqlite3();
if (!sqlite3.ok) bench.skip(`sqlite3 -csv peer: ${sqlite3.reason}`);
// Built in a child while this process fills the database.
const building = appBuild(work);

const { openStoreCore } = await import('../src-main/core/store/sync-store');
const { syntheticPolls } = await import('../src-main/core/store/synthetic-polls.testkit');
const core = openStoreCore(dbFile);
let built = performance.now();
// Hostile names so quoting and formula neutralization do real work.
for (const poll of syntheticPolls({
  devices: DEVICES,
  polls: Math.ceil(largest / (DEVICES * 2)),
  changeRate: 0.01,
  absentRate: 0,
  hostile: true,
  start: START,
  intervalMs: INTERVAL,
}))
  core.ingest(poll);
built = performance.now() - built;
const stats = core.stats();
core.close();
console.log(`\nCSV export — database of ${fmtCount(stats.evaluations)} evaluations in ${fmtCount(stats.runs)} runs, built in ${fmtMs(built)}`);
const build = await building;
if (!build.ok) bench.skip(`whole-process CLI export: ${build.reason}`);
const cliJs = build.ok ? join(build.outDir, 'main', 'cli.js') : '';

/** The last poll time whose evaluations bring the export (oldest first) to `rows`. */
const toFor = (rows: number) => START + (Math.ceil(rows / (DEVICES * 2)) - 1) * INTERVAL;

type Run = { ms: number; peakRssMB: number | undefined; bytes: number; rows?: number };

/** In-process: `exportCsv` over a store this child already opened; times the export alone. */
async function exportInChild(rows: number) {
  const out = join(work, `export-${rows}.csv`);
  const child = await runMeasured(process.execPath, [fileURLToPath(import.meta.url), '--child', dbFile, '--out', out, '--to', String(toFor(rows))], {
    timeoutMs: 20 * 60_000,
  });
  if (child.status !== 0) throw new Error(`export child failed: ${child.stderr}`);
  const figures = JSON.parse(child.stdout) as Figures;
  rmSync(out, { force: true });
  return { ...figures, sampledPeakRssMB: child.peakRssMB ?? figures.peakRssMB };
}

/** Whole process: `posture-console export` from start to exit, as a cron job runs it. */
async function cliExport(rows: number): Promise<Run | { error: string }> {
  const out = join(work, `cli-${rows}.csv`);
  const run = await runMeasured(
    process.execPath,
    [cliJs, 'export', '--data-dir', dataDir, '--out', out, '--view', 'evaluations', '--to', new Date(toFor(rows)).toISOString()],
    { timeoutMs: 20 * 60_000, env: { ...process.env, POSTURE_CONSOLE_LOG_LEVEL: 'warn' } },
  );
  if (run.status !== 0) return { error: `posture-console export failed: ${run.stderr.trim().split('\n').slice(-2).join(' ') || `exit ${run.status}`}` };
  const bytes = statSync(out).size;
  rmSync(out, { force: true });
  // "Wrote 100,000 rows to …": the count as the admin reads it.
  const wrote = /Wrote ([\d,]+) rows/.exec(run.stdout)?.[1];
  const written = wrote === undefined ? undefined : Number(wrote.replace(/,/g, ''));
  return { ms: run.ms, peakRssMB: run.peakRssMB, bytes, rows: written };
}

/** The same rows in the same order through the sqlite3 shell, as a whole process: the floor for "SQLite to CSV". */
async function sqlite3Csv(rows: number): Promise<Run | { error: string } | undefined> {
  if (!sqlite3.ok) return undefined;
  const out = join(work, `sqlite3-${rows}.csv`);
  const sql = `.output ${out}
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', pl.evaluated_at / 1000.0, 'unixepoch') AS timestamp, d.name AS device, s.serial,
  d.serial_key AS match_key, d.platform, pr.key AS provider, c.name AS "check",
  CASE r.result WHEN 0 THEN 'pass' WHEN 1 THEN 'fail' ELSE 'unknown' END AS result,
  xe.value AS expected, xr.value AS received, xn.value AS reason
FROM polls pl
  JOIN series s ON s.provider_id = pl.provider_id
  JOIN devices d ON d.id = s.device_id
  JOIN runs r ON r.id = (SELECT x.id FROM runs x WHERE x.series_id = s.id AND x.first_at <= pl.evaluated_at ORDER BY x.first_at DESC LIMIT 1)
  JOIN checks c ON c.id = s.check_id JOIN providers pr ON pr.id = s.provider_id
  LEFT JOIN strings xe ON xe.id = r.expected LEFT JOIN strings xr ON xr.id = r.received LEFT JOIN strings xn ON xn.id = r.reason
WHERE r.last_at >= pl.evaluated_at AND pl.evaluated_at <= ${toFor(rows)}
ORDER BY pl.evaluated_at DESC, pl.id DESC, s.id DESC;
`;
  const run = await runMeasured('sqlite3', ['-csv', '-header', '-readonly', dbFile], { input: sql, timeoutMs: 20 * 60_000 });
  if (run.status !== 0) return { error: `sqlite3 failed: ${run.stderr.trim() || (run.timedOut ? 'timed out' : `exit ${run.status}`)}` };
  const bytes = statSync(out).size;
  rmSync(out, { force: true });
  return { ms: run.ms, peakRssMB: run.peakRssMB, bytes };
}

type Side = { runs: Run[]; error?: string };
const summary = (side: Side) =>
  side.error || side.runs.length === 0
    ? undefined
    : {
        ms: median(side.runs.map((r) => r.ms)),
        peakRssMB: Math.max(...side.runs.map((r) => r.peakRssMB ?? Number.NaN)),
        bytes: side.runs[0]!.bytes,
        rows: side.runs[0]!.rows,
      };
const add = (side: Side, run: Run | { error: string } | undefined) => {
  if (run === undefined) side.error ??= sqlite3.ok ? 'not run' : sqlite3.reason;
  else if ('error' in run) side.error ??= run.error;
  else side.runs.push(run);
};

let cacheDrop: ReturnType<typeof dropPageCache> = 'none';
const results = [];
for (const rows of sizes) {
  const inProcess = await exportInChild(rows);
  const warm = { ours: { runs: [] } as Side, peer: { runs: [] } as Side };
  const cold = { ours: { runs: [] } as Side, peer: { runs: [] } as Side };
  if (build.ok) {
    // One untimed run of each fills the page cache (and lets the CLI make its export journal).
    await cliExport(rows);
    await sqlite3Csv(rows);
    for (let round = 0; round < roundsFor(rows); round++) {
      add(warm.ours, await cliExport(rows));
      add(warm.peer, await sqlite3Csv(rows));
    }
    // Cold: the page cache emptied before each run, so each reads its program, libraries and data from disk.
    const files = [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, process.execPath, cliJs];
    for (let round = 0; round < roundsFor(rows); round++) {
      cacheDrop = dropPageCache(files);
      add(cold.ours, await cliExport(rows));
      dropPageCache(files);
      add(cold.peer, await sqlite3Csv(rows));
    }
  }
  results.push({ rows, inProcess, warm, cold });
  const show = (side: Side) => {
    const s = summary(side);
    return s ? `${fmtMs(s.ms)} (peak ${fmtMB(s.peakRssMB)})` : (side.error ?? 'skipped');
  };
  console.log(
    `   ${fmtCount(inProcess.rows).padStart(10)} rows: in-process exportCsv ${fmtMs(inProcess.ms)}; whole process, warm: CLI ${show(warm.ours)}, sqlite3 ${show(warm.peer)}; cold: CLI ${show(cold.ours)}, sqlite3 ${show(cold.peer)}`,
  );
}

const peerLabel = `sqlite3 ${sqlite3.ok ? sqlite3.version : ''} -csv, whole process, same rows and order`.replace('  ', ' ');
const peerOf = (side: Side, pick: (s: NonNullable<ReturnType<typeof summary>>) => number | undefined, label = peerLabel) => {
  const s = summary(side);
  const value = s ? pick(s) : undefined;
  return s && value !== undefined && Number.isFinite(value) ? { label, value } : { label, skipped: side.error ?? 'no /proc to sample' };
};
for (const { rows, inProcess, warm, cold } of results) {
  const command = bench.command(`--sizes ${rows}`);
  // Issue 15 sets the export targets at 100k and 1M rows.
  const targeted = rows <= 1_000_000;
  for (const [cache, side] of [
    ['warm', warm],
    ['cold', cold],
  ] as const) {
    const ours = summary(side.ours);
    if (!ours) {
      if (side.ours.error) bench.skip(`whole-process export of ${fmtCount(rows)} rows, ${cache} cache: ${side.ours.error}`);
      continue;
    }
    bench.figure({
      label: `Export ${fmtCount(rows)} rows to CSV, whole process (posture-console export), ${cache} page cache: time`,
      value: ours.ms,
      unit: 'ms',
      better: 'lower',
      peer: peerOf(side.peer, (s) => s.ms),
      target: targeted ? { text: '≤ 1.3× sqlite3 -csv', of: 'ratio', limit: 1.3 } : undefined,
      command,
      note: `median of ${roundsFor(rows)}; ${fmtCount(ours.rows ?? rows)} rows written, ${fmtMB(ours.bytes / 2 ** 20)}${cache === 'cold' ? `; cache emptied before each run (${cacheDrop === 'machine' ? 'the machine’s page cache' : cacheDrop === 'files' ? 'the database, node and cli.js only' : 'could not be emptied'})` : ''}`,
    });
  }
  const whole = summary(warm.ours);
  if (whole)
    bench.figure({
      label: `Export ${fmtCount(rows)} rows to CSV, whole process: peak RSS of the exporting process`,
      value: whole.peakRssMB,
      unit: 'MB',
      better: 'lower',
      peer: peerOf(warm.peer, (s) => s.peakRssMB),
      target: targeted ? { text: '≤ 150 MB', of: 'value', limit: 150 } : undefined,
      command,
      note: `highest of ${roundsFor(rows)} warm runs on each side`,
    });
  bench.figure({
    label: `Export ${fmtCount(inProcess.rows)} rows to CSV, in-process (exportCsv, store already open): time`,
    value: inProcess.ms,
    unit: 'ms',
    better: 'lower',
    peer: peerOf(warm.peer, (s) => s.ms, `${peerLabel} (warm), which also pays for its process start and database open`),
    command,
    note: `second row, not the headline: ours excludes Node's start, loading the app and opening the store; ${fmtCount(inProcess.rows / (inProcess.ms / 1000))} rows/s; peak RSS ${fmtMB(inProcess.sampledPeakRssMB)} (before the export: ${fmtMB(inProcess.baselineRssMB)})`,
  });
}
bench.curve({
  title: `Export time and peak memory by rows exported (whole processes: median of ${[...new Set(sizes.map(roundsFor))].join(' or ')} rounds by size; peak RSS the highest)`,
  columns: [
    'rows',
    'CLI warm',
    'sqlite3 warm',
    'ratio warm',
    'CLI cold',
    'sqlite3 cold',
    'ratio cold',
    'CLI peak RSS',
    'sqlite3 peak RSS',
    'in-process exportCsv',
    'file size',
  ],
  rows: results.map(({ rows, inProcess, warm, cold }) => {
    const [ow, pw, oc, pc] = [summary(warm.ours), summary(warm.peer), summary(cold.ours), summary(cold.peer)];
    return [
      fmtCount(rows),
      ow ? fmtMs(ow.ms) : 'skipped',
      pw ? fmtMs(pw.ms) : 'skipped',
      ow && pw ? (ow.ms / pw.ms).toFixed(2) : '-',
      oc ? fmtMs(oc.ms) : 'skipped',
      pc ? fmtMs(pc.ms) : 'skipped',
      oc && pc ? (oc.ms / pc.ms).toFixed(2) : '-',
      ow ? fmtMB(ow.peakRssMB) : '-',
      pw ? fmtMB(pw.peakRssMB) : '-',
      fmtMs(inProcess.ms),
      fmtMB(inProcess.bytes / 2 ** 20),
    ];
  }),
  command: bench.command(bench.full ? '--full' : ''),
});
bench.note(
  'Both sides are whole processes timed from spawn to exit, output to a file, peak RSS sampled the same way. Ours starts Node, loads the CLI bundle, reads the settings, opens the log in its own thread (no store worker, vault or HTTP client), streams the rows and renames the file; exportCsv also neutralizes spreadsheet formulas and writes ISO 8601 UTC with a BOM and CRLF (each run quoted once, RFC 4180 as csv-stringify writes it), written to <file>.partial, fsynced and renamed. ' +
    'sqlite3 runs one statement over the same tables straight to a file. The data has hostile names (quotes, commas, newlines, formulas, emoji, bidi) so quoting does real work.',
);
bench.done();
if (!values.keep) rmSync(work, { recursive: true, force: true });
