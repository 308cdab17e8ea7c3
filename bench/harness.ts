// What every benchmark shares: flags, the figures it reports (figure, peer, ratio, command to reproduce),
// child processes measured for peak memory, and the machine it ran on. `bench/run.ts` collects the
// figures each benchmark writes with `--json FILE` into RESULTS.md. Nothing here ever fails on timing.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const BENCH_DIR = import.meta.dirname;
export const REPO_DIR = dirname(BENCH_DIR);
/** Scratch space for databases, CSVs and data directories; removed by each benchmark unless --keep. */
export const WORK_DIR = join(BENCH_DIR, '.work');

/**
 * A target a figure must meet, as issue 15 ("Benchmarks a skeptic accepts") and the issues before it set them. A target
 * is not a peer: a peer is something measured in the same run (a competitor or a floor), a target is a number.
 */
export interface Target {
  /** As the issue words it: `≤ 1.3× sqlite3 -csv`, `≤ 300 MB`. */
  text: string;
  /** What the limit applies to: the figure itself, or its ratio to the peer. */
  of: 'value' | 'ratio';
  /** The limit, met on the side `better` names (at most for lower, at least for higher). */
  limit: number;
  /** A further condition of the same target, measured by the benchmark (zero 429s). */
  and?: { met: boolean; text: string };
}

/** Whether a figure meets its target; undefined when it has none or the ratio it needs was not measured. */
export function targetMet(figure: Figure): boolean | undefined {
  const target = figure.target;
  if (!target) return undefined;
  const measured = target.of === 'ratio' ? ratioOf(figure) : figure.value;
  if (measured === undefined || !Number.isFinite(measured)) return undefined;
  const within = figure.better === 'lower' ? measured <= target.limit : measured >= target.limit;
  return within && (target.and?.met ?? true);
}

export interface Figure {
  /** What was measured, in the admin's or the engineer's words. */
  label: string;
  value: number;
  unit: string;
  /** Which way is better for this figure (and so for its ratio). */
  better: 'lower' | 'higher';
  /** The alternative measured in the same run (a competitor, or a floor), or why it could not be. Never a constant. */
  peer?: { label: string; value: number } | { label: string; skipped: string };
  /** The issue's target, when it names one; checked, and marked ✓ or ✗ in RESULTS.md. */
  target?: Target;
  /** The command that reproduces this figure on its own. */
  command: string;
  note?: string;
}

export interface Curve {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  command: string;
}

export interface BenchResult {
  name: string;
  title: string;
  mode: 'quick' | 'full';
  seconds: number;
  figures: Figure[];
  curves: Curve[];
  notes: string[];
  /** Figures or peers that could not be measured here, each with the reason. */
  skipped: string[];
  /** Marked by a benchmark whose subject is still being built (the figure stands, but may move). */
  provisional?: string;
}

/** Our figure ÷ the peer's, or undefined when there is no peer figure. */
export function ratioOf(figure: Figure): number | undefined {
  if (!figure.peer || !('value' in figure.peer) || figure.peer.value === 0) return undefined;
  return figure.value / figure.peer.value;
}

type Options = NonNullable<ParseArgsConfig['options']>;
/** The parsed flags, typed from their declarations. */
export type Values<O extends Options> = {
  [K in keyof O]: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { default: string } ? string : string | undefined;
} & { full: boolean; json?: string; keep: boolean };

/**
 * Parses the benchmark's own flags plus the shared ones (--full, --json FILE, --keep) and returns a
 * recorder. `command(args)` spells the reproduction command for a figure.
 */
export function benchmark<O extends Options>(name: string, title: string, options: O) {
  const { values: parsed } = parseArgs({
    options: {
      ...options,
      full: { type: 'boolean', default: false },
      json: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const values = parsed as unknown as Values<O>;
  const started = performance.now();
  const result: BenchResult = {
    name,
    title,
    mode: values.full ? 'full' : 'quick',
    seconds: 0,
    figures: [],
    curves: [],
    notes: [],
    skipped: [],
  };
  return {
    values,
    full: Boolean(values.full),
    result,
    command: (args = '') => `npx node bench/${name}.bench.ts${args ? ` ${args}` : ''}`,
    figure(figure: Figure) {
      result.figures.push(figure);
    },
    curve(curve: Curve) {
      result.curves.push(curve);
    },
    note(text: string) {
      result.notes.push(text);
    },
    skip(text: string) {
      result.skipped.push(text);
      console.log(`   skipped: ${text}`);
    },
    /** Prints the figures as a table and, with --json, writes them for run.ts. */
    done() {
      result.seconds = (performance.now() - started) / 1000;
      if (result.figures.length > 0) {
        console.log(`\n${title}: figures against their peers (ratio = ours ÷ peer)`);
        console.table(
          result.figures.map((f) => {
            const ratio = ratioOf(f);
            const met = targetMet(f);
            return {
              figure: f.label,
              ours: formatValue(f.value, f.unit),
              peer: f.peer ? ('value' in f.peer ? `${formatValue(f.peer.value, f.unit)} (${f.peer.label})` : `skipped: ${f.peer.skipped}`) : '-',
              ratio: ratio === undefined ? '-' : `${ratio.toFixed(2)}× (${f.better} is better)`,
              target: f.target ? `${f.target.text} ${met === undefined ? '?' : met ? '✓' : '✗'}` : '-',
            };
          }),
        );
      }
      if (values.json) {
        mkdirSync(dirname(String(values.json)), { recursive: true });
        writeFileSync(String(values.json), JSON.stringify(result, null, 2));
      }
    },
  };
}

// Formatting -------------------------------------------------------------------------------------------

export const fmtMs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`);
export const fmtMB = (mb: number) => `${mb >= 100 ? mb.toFixed(0) : mb.toFixed(1)} MB`;
export const fmtCount = (n: number) => Math.round(n).toLocaleString('en-US');

export function formatValue(value: number, unit: string): string {
  if (unit === 'ms') return fmtMs(value);
  if (unit === 'MB') return fmtMB(value);
  if (unit === 'kB') return `${fmtCount(value)} kB`;
  if (unit === '%') return `${value.toFixed(1)} %`;
  if (unit === 'µs') return `${value.toFixed(2)} µs`;
  return `${fmtCount(value)} ${unit}`;
}

// Child processes ------------------------------------------------------------------------------------

export interface ChildRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set size (VmHWM), sampled every 20 ms from /proc; undefined where /proc is missing. */
  peakRssMB: number | undefined;
  timedOut: boolean;
}

/**
 * Runs a command to completion, timing it and sampling its peak RSS. Output goes to files, not pipes, so
 * a large stdout (sqlite3 printing CSV) costs what it costs when redirected to a file.
 */
export function runMeasured(
  command: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_DIR,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let peakKB = 0;
    let sampled = false;
    let timedOut = false;
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const match = /VmHWM:\s+(\d+) kB/.exec(status);
        if (match) {
          peakKB = Math.max(peakKB, Number(match[1]));
          sampled = true;
        }
      } catch {
        // the process is gone, or there is no /proc
      }
    };
    const sampler = setInterval(sample, 20);
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.once('error', (error) => {
      clearInterval(sampler);
      clearTimeout(timer);
      reject(error);
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
    child.once('exit', (status, signal) => {
      const ms = performance.now() - started;
      clearInterval(sampler);
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms, peakRssMB: sampled ? peakKB / 1024 : undefined, timedOut });
    });
  });
}

// Tools ---------------------------------------------------------------------------------------------

/**
 * The sqlite3 shell, installed from Debian when missing and we are root (bounded to two minutes);
 * otherwise the reason it is not there, so the peer is reported as skipped rather than faked.
 */
export function ensureSqlite3(): { ok: true; version: string } | { ok: false; reason: string } {
  const probe = () => spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  let found = probe();
  if (!found.error && found.status === 0) return { ok: true, version: found.stdout.trim().split(' ')[0] ?? '?' };
  if (process.platform !== 'linux' || !spawnSync('sh', ['-c', 'command -v apt-get']).stdout?.length)
    return { ok: false, reason: 'sqlite3 is not on PATH and apt-get is not available to install it' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'sqlite3 is not on PATH; installing it needs root (`apt-get install -y sqlite3`)' };
  console.log('   sqlite3 missing: apt-get install -y sqlite3 …');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let install = spawnSync('apt-get', ['install', '-y', '-q', 'sqlite3'], { encoding: 'utf8', env, timeout: 120_000 });
  if (install.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { encoding: 'utf8', env, timeout: 120_000 });
    install = spawnSync('apt-get', ['install', '-y', '-q', 'sqlite3'], { encoding: 'utf8', env, timeout: 120_000 });
  }
  found = probe();
  if (!found.error && found.status === 0) return { ok: true, version: found.stdout.trim().split(' ')[0] ?? '?' };
  return { ok: false, reason: `apt-get install -y sqlite3 failed: ${(install.stderr || install.stdout || String(install.error)).trim().split('\n').at(-1)}` };
}

/**
 * The built app (`electron-vite build`) for benchmarks that run the CLI as a whole process: the one `npm run bench`
 * made for this run (BENCH_BUILD_DIR), else a fresh build in `dir`. Returns the out/ folder, or why there is none.
 */
export async function appBuild(dir: string): Promise<{ ok: true; outDir: string; ms: number } | { ok: false; reason: string }> {
  const shared = process.env.BENCH_BUILD_DIR;
  if (shared && existsSync(join(shared, 'main', 'cli.js'))) return { ok: true, outDir: shared, ms: 0 };
  const outDir = join(dir, 'out');
  const built = await runMeasured('npx', ['electron-vite', 'build', '--outDir', outDir], { timeoutMs: 5 * 60_000 });
  if (built.status !== 0)
    return { ok: false, reason: `\`npx electron-vite build\` failed: ${(built.stderr || built.stdout).trim().split('\n').slice(-3).join(' ')}` };
  // cli.js reads its version from ../../package.json, as it does in the repository's own out/.
  copyFileSync(join(REPO_DIR, 'package.json'), join(dir, 'package.json'));
  return { ok: true, outDir, ms: built.ms };
}

/**
 * Empties the page cache so the next process reads its program, libraries and data from disk: the whole machine's
 * (`/proc/sys/vm/drop_caches`, root only), else only `files` (POSIX_FADV_DONTNEED through `dd iflag=nocache`).
 * Returns which of the two it did.
 */
export function dropPageCache(files: string[]): 'machine' | 'files' | 'none' {
  spawnSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '1');
    return 'machine';
  } catch {
    let dropped = 0;
    for (const file of files.filter((f) => existsSync(f)))
      if (spawnSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']).status === 0) dropped++;
    return dropped > 0 ? 'files' : 'none';
  }
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;

// The machine ----------------------------------------------------------------------------------------

export interface Machine {
  cpu: string;
  cores: number;
  ramGB: number;
  freeRamGB: number;
  loadAverage: string;
  node: string;
  os: string;
  date: string;
  commit: string;
}

export function machine(): Machine {
  const cpu = cpus();
  let model = cpu[0]?.model?.trim() ?? 'unknown';
  try {
    // Some virtual machines report a bare family name; lscpu may know more.
    const lscpu = spawnSync('lscpu', [], { encoding: 'utf8' }).stdout ?? '';
    const name = /Model name:\s*(.+)/.exec(lscpu)?.[1]?.trim();
    if (name && name.length > model.length) model = name;
  } catch {
    // keep the model Node reports
  }
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_DIR, encoding: 'utf8' }).stdout?.trim() || 'unknown';
  const dirty = (spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_DIR, encoding: 'utf8' }).stdout ?? '').trim().length > 0;
  return {
    cpu: model,
    cores: cpu.length,
    ramGB: totalmem() / 2 ** 30,
    freeRamGB: freemem() / 2 ** 30,
    loadAverage: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    node: process.version,
    os: `${process.platform} ${release()}`,
    date: new Date().toISOString(),
    commit: `${head}${dirty ? ' (with uncommitted changes in the work tree)' : ''}`,
  };
}
