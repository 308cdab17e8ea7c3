// `npm run bench`: runs every benchmark in bench/ in its own process (quick sizes by default, `--full`
// for the large ones), each on fresh data from the simulator and the fleet generator, and writes
// bench/RESULTS.md — each figure beside its peer from the same run, the ratio, the machine and the
// command that reproduces it, and each target marked ✓ or ✗. Exits non-zero when a benchmark crashed, and with
// `--check` when a target was missed (a tool for a person judging a change; never part of CI, which runs no
// benchmark).
//
//   npm run bench                          quick (about 5 minutes on 2 cores)
//   npm run bench -- --full                the large sizes (about 20–30 minutes)
//   npm run bench -- --only store,export   some of them (RESULTS.md then holds only those)
//   npm run bench -- --check               exit 1 when a figure misses its target
//   node bench/run.ts --from DIR [--full]  write RESULTS.md from the JSON a stopped run left in DIR (bench/.work/results)
//
// RESULTS.md is rewritten after each benchmark, so a run stopped part-way leaves the figures it finished.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchResult, Machine } from './harness';

await import(new URL('./ts-hooks.ts', import.meta.url).href);
const { appBuild, BENCH_DIR, formatValue, machine, ratioOf, REPO_DIR, targetMet, WORK_DIR } = await import('./harness');

const BENCHMARKS: { name: string; title: string }[] = [
  { name: 'rules', title: 'Detection-rule evaluation' },
  { name: 'store', title: 'Posture-log store: writes, pages, disk' },
  { name: 'export', title: 'CSV export' },
  { name: 'startup', title: 'Start-up of the CLI and the web host' },
  { name: 'inventory', title: 'Falcon inventory against the simulator' },
  { name: 'fleet', title: 'The whole app at fleet scale' },
  { name: 'intune', title: 'Intune pull against the simulator' },
  { name: 'incidents', title: 'Poll-to-incident latency' },
  { name: 'renderer', title: 'Posture Log renderer in Chromium' },
  { name: 'forward', title: 'Forwarding to rsyslog over TLS' },
];

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    from: { type: 'string' },
    only: { type: 'string' },
    skip: { type: 'string' },
    out: { type: 'string', default: join(BENCH_DIR, 'RESULTS.md') },
  },
});
const [major] = process.versions.node.split('.').map(Number);
if ((major ?? 0) < 24) {
  console.error(
    `The benchmarks need Node 24 (node:sqlite, type stripping); this is ${process.version}. Run them with \`npm run bench\`, which uses the project's Node.`,
  );
  process.exit(1);
}
const mode = values.full ? 'full' : 'quick';
const only = values.only?.split(',');
const skip = values.skip?.split(',') ?? [];
const selected = BENCHMARKS.filter((b) => (!only || only.includes(b.name)) && !skip.includes(b.name));
// Each benchmark is bounded; one that overruns is stopped and reported, never left running.
const limitMs = (values.full ? 60 : 6) * 60_000;

const jsonDir = values.from ?? join(WORK_DIR, 'results');
// The machine as it was when the benchmarks started (kept beside their JSON for a later --from).
let host: Machine = machine();
let machineRecorded = true;
if (values.from) {
  try {
    host = JSON.parse(readFileSync(join(jsonDir, 'machine.json'), 'utf8')) as Machine;
  } catch {
    machineRecorded = false;
  }
}
console.log(`Benchmarks (${mode}): ${selected.map((b) => b.name).join(', ')}`);
console.log(`${host.cpu}, ${host.cores} cores, ${host.ramGB.toFixed(1)} GiB RAM, Node ${host.node}, load average ${host.loadAverage}\n`);

if (!values.from) {
  rmSync(jsonDir, { recursive: true, force: true });
  mkdirSync(jsonDir, { recursive: true });
  writeFileSync(join(jsonDir, 'machine.json'), JSON.stringify(host));
}

interface Outcome {
  name: string;
  title: string;
  result?: BenchResult;
  failure?: string;
  seconds: number;
}

function runOne(name: string): Promise<{ status: number | null; timedOut: boolean; ms: number; stderrTail: string }> {
  const json = join(jsonDir, `${name}.json`);
  const args = [join(BENCH_DIR, `${name}.bench.ts`), ...(values.full ? ['--full'] : []), '--json', json];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: REPO_DIR, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, limitMs);
    child.once('error', reject);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, timedOut, ms: performance.now() - started, stderrTail: stderr });
    });
  });
}

// The benchmarks that run the CLI as a whole process share one build of this commit.
if (!values.from && selected.some((b) => b.name === 'export' || b.name === 'startup' || b.name === 'fleet')) {
  const buildDir = join(WORK_DIR, 'build');
  rmSync(buildDir, { recursive: true, force: true });
  console.log('Building the app once for the whole-process benchmarks (electron-vite build) …');
  const build = await appBuild(buildDir);
  if (build.ok) process.env.BENCH_BUILD_DIR = build.outDir;
  else console.log(`   build failed; each benchmark will try its own: ${build.reason}`);
}

const outcomes: Outcome[] = [];
const notRun = (from: number): Outcome[] =>
  selected.slice(from).map(({ name, title }) => ({ name, title, failure: values.from ? 'not run: the run was stopped before it' : 'not run yet', seconds: 0 }));
if (values.from)
  for (const { name, title } of selected) {
    try {
      const result = JSON.parse(readFileSync(join(jsonDir, `${name}.json`), 'utf8')) as BenchResult;
      outcomes.push({ name, title, result, seconds: result.seconds });
    } catch {
      outcomes.push(...notRun(selected.findIndex((b) => b.name === name)).slice(0, 1));
    }
  }
else
  for (const [index, { name, title }] of selected.entries()) {
    console.log(`\n━━ ${name} ━━ npx node bench/${name}.bench.ts${values.full ? ' --full' : ''}`);
    const run = await runOne(name);
    let result: BenchResult | undefined;
    try {
      result = JSON.parse(readFileSync(join(jsonDir, `${name}.json`), 'utf8')) as BenchResult;
    } catch {
      result = undefined;
    }
    const failure = run.timedOut
      ? `stopped after ${limitMs / 60_000} minutes`
      : run.status !== 0
        ? `exited with ${run.status}: ${run.stderrTail.trim().split('\n').filter(Boolean).slice(-3).join(' / ')}`
        : result
          ? undefined
          : 'wrote no figures';
    outcomes.push({ name, title, result, failure, seconds: run.ms / 1000 });
    // Written after each benchmark: a run stopped part-way still leaves what it measured.
    writeFileSync(values.out, render(host, [...outcomes, ...notRun(index + 1)]));
  }

writeFileSync(values.out, render(host, outcomes));
console.log(`\nWrote ${relative(REPO_DIR, values.out)} (${outcomes.reduce((n, o) => n + o.seconds, 0).toFixed(0)} s in all)`);
if (!values.from) rmSync(jsonDir, { recursive: true, force: true });
const targets = outcomes.flatMap((o) => (o.result?.figures ?? []).filter((f) => f.target).map((f) => ({ bench: o.name, figure: f, met: targetMet(f) })));
const missed = targets.filter((t) => t.met === false);
const unknown = targets.filter((t) => t.met === undefined);
console.log(
  `Targets: ${targets.length - missed.length - unknown.length} met, ${missed.length} missed${unknown.length ? `, ${unknown.length} not measured` : ''}.`,
);
for (const t of missed) console.log(`   ✗ ${t.bench}: ${t.figure.label} — ${formatValue(t.figure.value, t.figure.unit)}, target ${t.figure.target!.text}`);
process.exitCode = outcomes.some((o) => o.failure) || (values.check && missed.length > 0) ? 1 : 0;

// RESULTS.md --------------------------------------------------------------------------------------------
function cell(text: string | number | undefined): string {
  return String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');
}
function code(text: string): string {
  return `\`${text}\``;
}
function ratioCell(result: BenchResult, index: number): string {
  const figure = result.figures[index]!;
  const ratio = ratioOf(figure);
  return ratio === undefined ? '–' : `**${ratio >= 100 ? ratio.toFixed(0) : ratio.toFixed(2)}×**`;
}
function targetCell(result: BenchResult, index: number): string {
  const figure = result.figures[index]!;
  if (!figure.target) return '';
  const met = targetMet(figure);
  return `${figure.target.text} ${met === undefined ? '(not measured)' : met ? '✓' : '**✗**'}`;
}
function peerCell(result: BenchResult, index: number): string {
  const figure = result.figures[index]!;
  if (!figure.peer) return 'no peer (see the section)';
  if ('skipped' in figure.peer) return `skipped (${figure.peer.label}): ${figure.peer.skipped}`;
  return `${formatValue(figure.peer.value, figure.unit)} — ${figure.peer.label}`;
}

function render(m: Machine, results: Outcome[]): string {
  const lines: string[] = [];
  const runCommand = values.full ? 'npm run bench -- --full' : 'npm run bench';
  lines.push('# Benchmark results', '');
  lines.push(
    `Written by ${code(runCommand)}${only || skip.length ? ` (${code(process.argv.slice(2).join(' '))})` : ''} — ${mode} mode. Do not edit by hand: run it again.` +
      (values.from
        ? ` Assembled with ${code(`node bench/run.ts --from ${relative(REPO_DIR, jsonDir)}`)} from the benchmarks that run finished before it was stopped (modes: ${results.map((o) => `${o.name} ${o.result?.mode ?? 'not run'}`).join(', ')}); the others say “not run”.${machineRecorded ? '' : ' The machine line below was taken when it was assembled, not when the run started.'}`
        : ''),
    'Every ratio is **our figure ÷ the peer’s figure from the same run**; the “better” column says which way is good. ' +
      'Judge regressions by these ratios across runs, never by the absolute times of one noisy machine. See [README.md](README.md) for what each benchmark does.',
    '',
  );
  lines.push('## Machine', '');
  lines.push('| CPU | cores | RAM | Node | OS | date (UTC) | commit | load average at start |', '|---|---|---|---|---|---|---|---|');
  lines.push(
    `| ${cell(m.cpu)} | ${m.cores} | ${m.ramGB.toFixed(1)} GiB (${m.freeRamGB.toFixed(1)} free) | ${m.node} | ${cell(m.os)} | ${m.date.replace('T', ' ').slice(0, 19)} | ${cell(m.commit)} | ${m.loadAverage} |`,
    '',
  );
  const loadAtStart = Number(m.loadAverage.split(' ')[0]);
  const loadAtEnd = loadavg()[0] ?? 0;
  if (Math.max(loadAtStart, loadAtEnd) > m.cores)
    lines.push(
      `**Busy machine:** the 1-minute load average was ${loadAtStart.toFixed(1)} at the start and ${loadAtEnd.toFixed(1)} at the end, on ${m.cores} cores — other work shared the CPUs. ` +
        'Absolute figures are inflated and noisy; ratios to a peer measured seconds apart hold up better, and the renderer’s frame times are paired with the browser’s floor measured just before them.',
      '',
    );

  const checked = results.flatMap((o) => (o.result?.figures ?? []).filter((f) => f.target).map((f) => ({ name: o.name, f, met: targetMet(f) })));
  lines.push('## Targets', '');
  lines.push(
    `${checked.filter((t) => t.met === true).length} of ${checked.length} targets met, ${checked.filter((t) => t.met === false).length} missed` +
      `${checked.some((t) => t.met === undefined) ? `, ${checked.filter((t) => t.met === undefined).length} not measured` : ''}. ` +
      'Targets are the issues’ numbers (issue 15 for inventory memory and time, renderer start, export and start-up), shown in the target column and never used as a peer; ' +
      `${code('npm run bench -- --check')} exits 1 when one is missed (never part of CI).`,
    '',
  );
  for (const t of checked.filter((x) => x.met === false))
    lines.push(
      `- ✗ ${t.name}: ${cell(t.f.label)} — ${formatValue(t.f.value, t.f.unit)}${ratioOf(t.f) !== undefined ? ` (${ratioOf(t.f)!.toFixed(2)}×)` : ''}; target ${cell(t.f.target!.text)}`,
    );
  if (checked.some((t) => t.met === false)) lines.push('');

  lines.push('## Ratios at a glance', '');
  lines.push('| benchmark | figure | ours | peer (same run) | ratio | better | target | reproduce |', '|---|---|---|---|---|---|---|---|');
  for (const o of results) {
    if (!o.result) {
      lines.push(
        `| ${o.name} | **not measured**: ${cell(o.failure)} | | | | | | ${code(`npx node bench/${o.name}.bench.ts${values.full ? ' --full' : ''}`)} |`,
      );
      continue;
    }
    o.result.figures.forEach((f, i) => {
      lines.push(
        `| ${o.name}${o.result!.provisional ? ' (provisional)' : ''} | ${cell(f.label)} | ${formatValue(f.value, f.unit)} | ${cell(peerCell(o.result!, i))} | ${ratioCell(o.result!, i)} | ${f.better} | ${cell(targetCell(o.result!, i))} | ${code(f.command)} |`,
      );
    });
  }
  lines.push('');

  for (const o of results) {
    lines.push(`## ${o.title}`, '');
    const full = o.result ? o.result.mode === 'full' : values.full;
    lines.push(
      `Benchmark: ${code(`bench/${o.name}.bench.ts`)} · ${o.result?.mode ?? mode} mode · ran ${o.seconds.toFixed(0)} s · whole benchmark: ${code(`npx node bench/${o.name}.bench.ts${full ? ' --full' : ''}`)}`,
      '',
    );
    if (o.failure) lines.push(`**Failed: ${cell(o.failure)}** — the figures below (if any) are what it wrote before that.`, '');
    const r = o.result;
    if (!r) continue;
    if (r.provisional) lines.push(`**Provisional:** ${r.provisional}.`, '');
    if (r.figures.length) {
      lines.push('| figure | ours | peer (same run) | ratio | better | target | reproduce | details |', '|---|---|---|---|---|---|---|---|');
      r.figures.forEach((f, i) =>
        lines.push(
          `| ${cell(f.label)} | ${formatValue(f.value, f.unit)} | ${cell(peerCell(r, i))} | ${ratioCell(r, i)} | ${f.better} | ${cell(targetCell(r, i))} | ${code(f.command)} | ${cell(f.note ?? '')} |`,
        ),
      );
      lines.push('');
    }
    for (const c of r.curves) {
      lines.push(`**${cell(c.title)}** — ${code(c.command)}`, '');
      lines.push(`| ${c.columns.map(cell).join(' | ')} |`, `|${c.columns.map(() => '---').join('|')}|`);
      for (const row of c.rows) lines.push(`| ${row.map(cell).join(' | ')} |`);
      lines.push('');
    }
    for (const s of r.skipped) lines.push(`- **Skipped:** ${s}`);
    for (const n of r.notes) lines.push(`- ${n}`);
    if (r.skipped.length || r.notes.length) lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
