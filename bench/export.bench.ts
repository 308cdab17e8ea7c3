// Streaming CSV export of the posture log (every-evaluation view, newest first): time and peak memory
// at each size (flat peak memory = constant-memory streaming), against the sqlite3 shell's `-csv` on
// the same rows of the same database. sqlite3 is installed from Debian when missing and we are root;
// otherwise that peer is reported as skipped with the reason.
//
//   npx node bench/export.bench.ts            quick: 100k and 1M rows
//   npx node bench/export.bench.ts --full     100k, 1M and 5M rows
//   options: --sizes 100000,1000000  --keep (leave files in bench/.work/export)
//
// Each export runs in a fresh child process so its peak RSS is its own, not the database build's; both
// sides' peaks are sampled the same way (VmHWM from /proc every 20 ms).
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

await import(new URL('./ts-hooks.ts', import.meta.url).href);
const { benchmark, ensureSqlite3, fmtCount, fmtMB, fmtMs, runMeasured, WORK_DIR } = await import('./harness');

const bench = benchmark('export', 'CSV export', {
  sizes: { type: 'string' },
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
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    bytes: statSync(values.out!).size,
  };
  process.stdout.write(JSON.stringify(figures));
  process.exit(0);
}

const sizes = (values.sizes ?? (bench.full ? '100000,1000000,5000000' : '100000,1000000')).split(',').map(Number);
const largest = Math.max(...sizes);
const work = join(WORK_DIR, 'export');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const dbFile = join(work, 'log.db');

const sqlite3 = ensureSqlite3();
if (!sqlite3.ok) bench.skip(`sqlite3 -csv peer: ${sqlite3.reason}`);

const { openStoreCore } = await import('../src-main/core/store/core');
const { syntheticPolls } = await import('../src-main/core/store/synthetic-polls');
const core = openStoreCore(dbFile);
let built = performance.now();
// Hostile names so quoting and formula neutralization do real work.
for (const poll of syntheticPolls({ devices: DEVICES, polls: Math.ceil(largest / (DEVICES * 2)), changeRate: 0.01, absentRate: 0, hostile: true, start: START, intervalMs: INTERVAL }))
  core.ingest(poll);
built = performance.now() - built;
const stats = core.stats();
core.close();
console.log(`\nCSV export — database of ${fmtCount(stats.evaluations)} evaluations in ${fmtCount(stats.runs)} runs, built in ${fmtMs(built)}`);

/** The last poll time whose evaluations bring the export (oldest first) to `rows`. */
const toFor = (rows: number) => START + (Math.ceil(rows / (DEVICES * 2)) - 1) * INTERVAL;

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

/** The same rows in the same order through the sqlite3 shell: the floor for "SQLite to CSV". */
async function sqlite3Csv(rows: number) {
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

const results = [];
for (const rows of sizes) {
  const ours = await exportInChild(rows);
  const peer = await sqlite3Csv(rows);
  results.push({ rows, ours, peer });
  console.log(
    `   ${fmtCount(ours.rows).padStart(10)} rows: exportCsv ${fmtMs(ours.ms)}, peak RSS ${fmtMB(ours.sampledPeakRssMB)}; ` +
      (peer === undefined ? 'sqlite3 skipped' : 'error' in peer ? peer.error : `sqlite3 -csv ${fmtMs(peer.ms)}, peak RSS ${peer.peakRssMB === undefined ? '?' : fmtMB(peer.peakRssMB)}`),
  );
}

const peerLabel = `sqlite3 ${sqlite3.ok ? sqlite3.version : ''} -csv, same rows and order`.replace('  ', ' ');
for (const { rows, ours, peer } of results) {
  const command = bench.command(`--sizes ${rows}`);
  const skipped = peer === undefined ? (sqlite3.ok ? 'not run' : sqlite3.reason) : 'error' in peer ? peer.error : undefined;
  bench.figure({
    label: `Export ${fmtCount(ours.rows)} rows to CSV: time`,
    value: ours.ms,
    unit: 'ms',
    better: 'lower',
    peer: skipped || !peer || 'error' in peer ? { label: peerLabel, skipped: skipped ?? '?' } : { label: peerLabel, value: peer.ms },
    target: '≤ 1.5× sqlite3 -csv',
    command,
    note: `${fmtCount(ours.rows / (ours.ms / 1000))} rows/s, ${fmtMB(ours.bytes / 2 ** 20)} written`,
  });
  bench.figure({
    label: `Export ${fmtCount(ours.rows)} rows to CSV: peak RSS of the exporting process`,
    value: ours.sampledPeakRssMB,
    unit: 'MB',
    better: 'lower',
    peer:
      skipped || !peer || 'error' in peer || peer.peakRssMB === undefined
        ? { label: peerLabel, skipped: skipped ?? 'no /proc to sample' }
        : { label: peerLabel, value: peer.peakRssMB },
    command,
    note: `RSS before the export started: ${fmtMB(ours.baselineRssMB)} (Node, the store worker and its SQLite cache)`,
  });
}
bench.curve({
  title: 'Export time and peak memory by rows exported (constant memory = flat peak RSS)',
  columns: ['rows', 'exportCsv time', 'rows / s', 'peak RSS', 'file size', 'sqlite3 -csv time', 'sqlite3 peak RSS', 'time ratio'],
  rows: results.map(({ ours, peer }) => [
    fmtCount(ours.rows),
    fmtMs(ours.ms),
    fmtCount(ours.rows / (ours.ms / 1000)),
    fmtMB(ours.sampledPeakRssMB),
    fmtMB(ours.bytes / 2 ** 20),
    peer && !('error' in peer) ? fmtMs(peer.ms) : 'skipped',
    peer && !('error' in peer) && peer.peakRssMB !== undefined ? fmtMB(peer.peakRssMB) : '-',
    peer && !('error' in peer) ? (ours.ms / peer.ms).toFixed(2) : '-',
  ]),
  command: bench.command(bench.full ? '--full' : ''),
});
bench.note(
  'exportCsv also neutralizes spreadsheet formulas and writes ISO 8601 UTC with a BOM and CRLF (csv-stringify quotes each run once); the store worker renders chunks from one read snapshot and transfers them to the main thread, which writes <file>.partial, fsyncs and renames; ' +
    'sqlite3 runs one statement over the same tables straight to a file. The data has hostile names (quotes, commas, newlines, formulas, emoji, bidi) so quoting does real work.',
);
bench.done();
if (!values.keep) rmSync(work, { recursive: true, force: true });
