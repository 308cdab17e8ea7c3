// Streaming CSV export of the posture log: time and peak memory for the every-evaluation view at two
// sizes (flat peak memory = constant-memory streaming), against the sqlite3 CLI's `-csv` on the same
// query when the binary exists. Prints figures; never fails on timing.
//
//   npx node bench/export.bench.ts            quick (~30 s): export 250k and 1M rows
//   npx node bench/export.bench.ts --full     250k and 5M rows
//   options: --rows N  --keep (leave files in bench/.work/)
//
// Each export runs in a fresh child process so its peak RSS is its own, not the database build's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

await import(new URL('../src-main/core/store/ts-source.ts', import.meta.url).href);

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    rows: { type: 'string' },
    keep: { type: 'boolean', default: false },
    // Internal: run one export and print its figures as JSON.
    child: { type: 'string' },
    out: { type: 'string' },
    to: { type: 'string' },
  },
});

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
  const result = await exportCsv({
    store,
    filter: LogFilter.parse({ view: 'evaluations', to: Number(values.to) }),
    sink: values.out!,
  });
  const ms = performance.now() - started;
  await store.close();
  const figures: Figures = {
    rows: result.rowsWritten,
    ms,
    baselineRssMB: baseline / 1e6,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6,
    bytes: statSync(values.out!).size,
  };
  process.stdout.write(JSON.stringify(figures));
  process.exit(0);
}

const large = Number(values.rows ?? (values.full ? 5_000_000 : 1_000_000));
const small = Math.min(250_000, large);
const work = join(import.meta.dirname, '.work', 'export');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const dbFile = join(work, 'log.db');

const { openStoreCore } = await import('../src-main/core/store/core');
const { syntheticPolls } = await import('../src-main/core/store/synthetic-polls');
const core = openStoreCore(dbFile);
const polls = Math.ceil(large / (DEVICES * 2));
// Hostile names so quoting and formula neutralization do real work.
for (const poll of syntheticPolls({ devices: DEVICES, polls, changeRate: 0.01, absentRate: 0, hostile: true, start: START, intervalMs: INTERVAL }))
  core.ingest(poll);
const stats = core.stats();
core.close();

/** The last poll time whose evaluations bring the export (oldest first) to about `rows`. */
const toFor = (rows: number) => START + (Math.ceil(rows / (DEVICES * 2)) - 1) * INTERVAL;
const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

function exportInChild(rows: number): Figures {
  const out = join(work, `export-${rows}.csv`);
  const child = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--child', dbFile, '--out', out, '--to', String(toFor(rows))],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (child.status !== 0) throw new Error(`export child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Figures;
}

/** The same rows in the same order through the sqlite3 shell: the floor for "SQLite to CSV". */
function sqlite3Csv(rows: number): { ms: number; bytes: number; rows: number } | string {
  const probe = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'sqlite3 not found on PATH: peer skipped';
  const out = join(work, `sqlite3-${rows}.csv`);
  const sql = `.output ${out}
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', pl.evaluated_at / 1000.0, 'unixepoch') AS timestamp, d.name AS device, d.serial,
  d.platform, pr.key AS provider, c.name AS "check",
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
  const started = performance.now();
  const run = spawnSync('sqlite3', ['-csv', '-header', '-readonly', dbFile], { input: sql, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0) return `sqlite3 failed: ${run.stderr.trim()}`;
  return { ms, bytes: statSync(out).size, rows };
}

console.log(
  `\nCSV export benchmark — every-evaluation view, newest first; database: ${stats.evaluations.toLocaleString('en')} evaluations in ` +
    `${stats.runs.toLocaleString('en')} runs`,
);
const results = [small, large].map((rows) => ({ target: rows, figures: exportInChild(rows), peer: sqlite3Csv(rows) }));
console.table(
  results.map(({ figures: f, peer }) => ({
    rows: f.rows.toLocaleString('en'),
    'exportCsv time': fmt(f.ms),
    'rows / s': Math.round(f.rows / (f.ms / 1000)).toLocaleString('en'),
    'peak RSS': `${f.peakRssMB.toFixed(0)} MB`,
    'RSS before export': `${f.baselineRssMB.toFixed(0)} MB`,
    'file size': `${(f.bytes / 1e6).toFixed(1)} MB`,
    'sqlite3 -csv': typeof peer === 'string' ? 'skipped' : fmt(peer.ms),
    'ratio to sqlite3': typeof peer === 'string' ? '-' : (f.ms / peer.ms).toFixed(2),
  })),
);
for (const { peer } of results) if (typeof peer === 'string') console.log(`   ${peer}`);
console.log(
  '   exportCsv also neutralizes formulas, writes ISO 8601 UTC with a BOM and CRLF, pages through the worker and\n' +
    '   writes <file>.partial then renames; sqlite3 streams one statement straight to the file.',
);
if (!values.keep) rmSync(work, { recursive: true, force: true });
