// Renderer: the Posture Log over a 1M-row log in Chromium — time to first rows (cold load and in-app
// navigation), frame times while scrolling (requestAnimationFrame deltas, long animation frames), the cost
// of loading pages deep into the log, DOM and heap size after 13,000 rows; the renderer bundle size, the
// JavaScript a cold start fetches before each screen shows, and the time to open a second screen.
//
//   npx node bench/renderer.bench.ts             quick: 1M rows, 3 cold loads, 4 s of scrolling per speed
//   npx node bench/renderer.bench.ts --full      1M rows, 5 cold loads, 8 s per speed, 50 deep pages
//   options: --rows N  --no-build (reuse out/ and bin/posture-console.js)  --keep (leave the data directory in bench/.work/renderer)
//            --profile FILE (write a Chrome DevTools .cpuprofile of the steady scroll)
//
// It builds the app (`npx electron-vite build --outDir bench/.work/renderer/out`, so out/ stays as it is
// for anyone running E2E), seeds a data directory's store with synthetic polls (every evaluation a
// change, so the default "changes" view holds N rows), starts that build's `posture-console serve
// --data-dir <dir>` (`node bin/posture-console.js serve` with --no-build) on loopback and drives Debian's
// Chromium (/usr/bin/chromium or PLAYWRIGHT_CHROMIUM_PATH) headless through Playwright.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { brotliCompressSync, gzipSync } from 'node:zlib';

await import(new URL('./ts-hooks.ts', import.meta.url).href);
const { benchmark, fmtCount, fmtMs, REPO_DIR, runMeasured, WORK_DIR } = await import('./harness');

const bench = benchmark('renderer', 'Posture Log renderer in Chromium', {
  rows: { type: 'string', default: '1000000' },
  'no-build': { type: 'boolean', default: false },
  profile: { type: 'string' },
});
const { values } = bench;
const targetRows = Number(values.rows);
const coldLoads = bench.full ? 5 : 3;
// Each scroll phase stops at this many frames or this much time, whichever comes first.
const scrollFrames = bench.full ? 480 : 240;
const scrollMs = bench.full ? 8_000 : 4_000;
const deepPages = bench.full ? 50 : 20;
const FRAME_BUDGET_MS = 1000 / 60;
// Frame timestamps land on vsync give or take a tenth of a millisecond, so a browser that never misses a frame
// (the static table) measures a p95 of 16.7–16.8 ms: the 60 Hz target allows that jitter, and no more.
const FRAME_JITTER_MS = 0.5;
// Issue 15, gap 8: the renderer's start and its memory.
const INITIAL_JS_KB = 450;
const COLD_ROWS_MS = 350;
const SECOND_SCREEN_MS = 150;
const HEAP_MB = 100;
const HEAP_ROWS = 13_000;
const work = join(WORK_DIR, 'renderer');
const rowsArg = targetRows === 1_000_000 ? '' : ` --rows ${targetRows}`;
const command = bench.command(`${bench.full ? '--full' : ''}${rowsArg}`.trim());

// 1. Build (in a child process, while this one seeds the store) ------------------------------------------
// Its own output folder, so a build here never swaps the files under an E2E run serving out/.
rmSync(work, { recursive: true, force: true });
const outDir = values['no-build'] ? join(REPO_DIR, 'out') : join(work, 'out');
const build = values['no-build'] ? undefined : runMeasured('npx', ['electron-vite', 'build', '--outDir', outDir], { timeoutMs: 5 * 60_000 });
if (build) console.log('\nRenderer — building with electron-vite while the store is seeded …');

// 2. A data directory with an N-row log --------------------------------------------------------------------
const dataDir = join(work, 'data');
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
const { openStoreCore } = await import('../src-main/core/store/sync-store');
const { syntheticPolls } = await import('../src-main/core/store/synthetic-polls.testkit');
const DEVICES = 10_000;
const INTERVAL = 5 * 60_000;
// The changes view opens a row only when a result changes, and a fresh score keeps its result about half the
// time: plan for a third of the evaluations opening rows, and stop seeding once the target is reached.
const polls = Math.ceil(targetRows / (DEVICES * 2 * 0.33)) + 1;
let seeded = performance.now();
const core = openStoreCore(join(dataDir, 'posture-log.sqlite'));
let runs = 0;
// changeRate 1: every evaluation draws a new score; about half of them change the result and open a row.
for (const poll of syntheticPolls({
  devices: DEVICES,
  polls,
  changeRate: 1,
  absentRate: 0,
  seed: 7,
  start: Date.now() - polls * INTERVAL,
  intervalMs: INTERVAL,
})) {
  const result = core.ingest(poll);
  runs += result.evaluations - result.extended;
  if (runs >= targetRows) break;
}
core.close();
seeded = performance.now() - seeded;
console.log(`   seeded ${fmtCount(runs)} log rows in ${fmtMs(seeded)}`);

if (build) {
  const built = await build;
  if (built.status !== 0) {
    bench.skip(`every renderer figure: \`npx electron-vite build\` failed: ${(built.stderr || built.stdout).trim().split('\n').slice(-3).join(' ')}`);
    bench.done();
    process.exit(0);
  }
  console.log(`   built in ${fmtMs(built.ms)}`);
}

// Bundle size ---------------------------------------------------------------------------------------------
const assets = join(outDir, 'renderer', 'assets');
const cli = join(outDir, 'main', 'cli.js');
if (!existsSync(assets) || !existsSync(cli)) {
  bench.skip('every renderer figure: no build in out/ (run without --no-build)');
  bench.done();
  process.exit(0);
}
const files = readdirSync(assets).map((name) => {
  const bytes = readFileSync(join(assets, name));
  return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
});
const kB = (n: number) => n / 1000;
const total = (kind: 'raw' | 'gzip' | 'brotli', ext?: string) => files.filter((f) => !ext || f.name.endsWith(ext)).reduce((n, f) => n + f[kind], 0);
bench.curve({
  title: `Renderer bundle (${values['no-build'] ? 'out' : 'electron-vite build --outDir …'}/renderer/assets)`,
  columns: ['file', 'raw', 'gzip -9', 'brotli'],
  rows: [
    ...files.map((f) => [f.name, `${fmtCount(kB(f.raw))} kB`, `${fmtCount(kB(f.gzip))} kB`, `${fmtCount(kB(f.brotli))} kB`]),
    ['total', `${fmtCount(kB(total('raw')))} kB`, `${fmtCount(kB(total('gzip')))} kB`, `${fmtCount(kB(total('brotli')))} kB`],
  ],
  command: bench.command('--rows 1000'),
});
// What the first paint waits for: the scripts and module preloads index.html names (later chunks load on demand).
const indexHtml = readFileSync(join(outDir, 'renderer', 'index.html'), 'utf8');
const initialNames = new Set(
  [...indexHtml.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) => m[1]!.split('/').pop()!),
);
const initial = files.filter((f) => initialNames.has(f.name));
bench.figure({
  label: 'Renderer initial JavaScript, gzip -9 (the scripts and module preloads index.html loads)',
  value: kB(initial.reduce((n, f) => n + f.gzip, 0)),
  unit: 'kB',
  better: 'lower',
  target: { text: `≤ ${INITIAL_JS_KB} kB gzip`, of: 'value', limit: INITIAL_JS_KB },
  command: bench.command('--rows 1000'),
  note: `${initial.length} of ${files.filter((f) => f.name.endsWith('.js')).length} chunks: ${initial.map((f) => f.name).join(', ')}`,
});
bench.figure({
  label: 'Renderer JavaScript, gzip -9 (all chunks)',
  value: kB(total('gzip', '.js')),
  unit: 'kB',
  better: 'lower',
  command: bench.command('--rows 1000'),
  note: `${fmtCount(kB(total('raw', '.js')))} kB raw; CSS ${fmtCount(kB(total('raw', '.css')))} kB raw, ${fmtCount(kB(total('gzip', '.css')))} kB gzip. Loaded from disk by Electron, so parse and compile time (in the cold load below) matter more than transfer.`,
});

// 3. The web host ------------------------------------------------------------------------------------------
// bin/posture-console.js runs out/main/cli.js; our own build's cli.js is the same launcher target.
const server = spawn(process.execPath, [values['no-build'] ? 'bin/posture-console.js' : cli, 'serve', '--port', '0', '--data-dir', dataDir], {
  cwd: REPO_DIR,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, POSTURE_CONSOLE_LOG_LEVEL: 'warn' },
});
const stopServer = () =>
  new Promise<void>((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) return resolve();
    const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
    server.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    server.kill('SIGTERM');
  });
let browser: Browser | undefined;
let provisional: string | undefined;
try {
  const openUrl = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  const baseUrl = openUrl.split('/#')[0]!;

  // 4. Chromium ---------------------------------------------------------------------------------------------
  const { chromium } = await import('@playwright/test');
  const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const chromiumVersion = browser.version();
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  // Records, in page time, when the first log row is in the DOM and the frame after it (painted).
  await context.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    const watch = () => {
      const observer = new MutationObserver(() => {
        if (w.__firstRowAt === undefined && document.querySelector('[data-testid="log-row"]')) {
          w.__firstRowAt = performance.now();
          requestAnimationFrame(() => requestAnimationFrame(() => (w.__firstRowPaintedAt = performance.now())));
        }
        // The first screen heading in the main area: a screen's code has loaded and it rendered.
        if (w.__headingAt === undefined) {
          const heading = document.querySelector('main h2');
          if (heading) {
            w.__headingAt = performance.now();
            w.__heading = heading.textContent?.trim();
            requestAnimationFrame(() => requestAnimationFrame(() => (w.__headingPaintedAt = performance.now())));
          }
        }
        const total = document.querySelector('[data-testid="log-total"]');
        if (w.__totalAt === undefined && total && /\d/.test(total.textContent ?? '')) w.__totalAt = performance.now();
      });
      observer.observe(document, { childList: true, subtree: true, characterData: true });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch);
    else watch();
  });
  const page = await context.newPage();
  await page.goto(openUrl); // exchanges the one-time token for the session cookie
  await page.getByRole('heading', { name: 'Posture Console' }).waitFor({ timeout: 30_000 });

  const waitFirstRows = async (p: Page) => {
    try {
      await p.waitForFunction(() => (window as unknown as Record<string, unknown>).__firstRowPaintedAt !== undefined, null, { timeout: 60_000 });
      return true;
    } catch {
      return false;
    }
  };

  /** The .js files the page fetched that started before the page-time mark `window.__<mark>`. */
  const scriptsFetchedBy = (p: Page, mark: string) =>
    p.evaluate((mark) => {
      const until = (window as unknown as Record<string, number>)[`__${mark}`]!;
      return performance
        .getEntriesByType('resource')
        .filter((e) => e.startTime <= until && new URL(e.name).pathname.endsWith('.js'))
        .map((e) => new URL(e.name).pathname.split('/').pop()!);
    }, mark);

  // The app marks the end of its idle preloading of the other screens; a build without it has nothing to wait for.
  const screensPreloaded = (p: Page) =>
    p
      .waitForFunction(() => performance.getEntriesByName('posture-console:screens-preloaded').length > 0, null, { timeout: 15_000 })
      .then(
        () => true,
        () => false,
      );

  // 4a. In-app navigation: the bundle is loaded, the Dashboard is showing (and, once idle, the other screens
  // preloaded); click "Posture Log".
  await page.waitForLoadState('networkidle');
  await screensPreloaded(page);
  const navStart = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    delete w.__firstRowAt;
    delete w.__firstRowPaintedAt;
    delete w.__totalAt;
    const link = [...document.querySelectorAll('nav a')].find((a) => a.textContent?.trim().endsWith('Posture Log')) as HTMLElement | undefined;
    if (!link) return undefined;
    const t0 = performance.now();
    link.click();
    return t0;
  });
  if (navStart === undefined || !(await waitFirstRows(page))) {
    provisional = 'the Posture Log screen showed no rows (data-testid="log-row") within 60 s';
    throw new Error(provisional);
  }
  // The total comes from its own count query; wait for it (bounded) before reading the marks.
  await page.waitForFunction(() => (window as unknown as Record<string, unknown>).__totalAt !== undefined, null, { timeout: 60_000 }).catch(() => undefined);
  const nav = await page.evaluate(() => {
    const w = window as unknown as Record<string, number>;
    return { firstRowAt: w.__firstRowAt!, paintedAt: w.__firstRowPaintedAt!, totalAt: w.__totalAt };
  });
  const totalText = await page
    .getByTestId('log-total')
    .innerText({ timeout: 5_000 })
    .catch(() => '');
  const shownTotal = Number(totalText.replace(/\D/g, '')) || undefined;

  // 4b. Cold loads straight to the Posture Log: navigation start → first rows painted (bundle parse included).
  const cold: { painted: number; total?: number; js: string[] }[] = [];
  for (let i = 0; i < coldLoads; i++) {
    const p = await context.newPage();
    await p.goto(`${baseUrl}/#/posture-log`);
    if (await waitFirstRows(p)) {
      await p.waitForFunction(() => (window as unknown as Record<string, unknown>).__totalAt !== undefined, null, { timeout: 60_000 }).catch(() => undefined);
      const t = await p.evaluate(() => {
        const w = window as unknown as Record<string, number>;
        return { painted: w.__firstRowPaintedAt!, total: w.__totalAt };
      });
      cold.push({ ...t, js: await scriptsFetchedBy(p, 'firstRowAt') });
    }
    await p.close();
  }

  // 4b'. Cold loads of every screen: which JavaScript files the browser fetched before the screen's heading was
  // in the DOM (resource timing, so chunks fetched later — screens preloaded while idle — do not count).
  const screens = await page.evaluate(() =>
    [...document.querySelectorAll('nav a')].map((a) => ({ label: a.textContent!.trim(), path: new URL((a as HTMLAnchorElement).href).hash.slice(1) })),
  );
  const screenStarts: { label: string; shownMs: number; js: string[] }[] = [];
  for (const screen of screens) {
    const p = await context.newPage();
    await p.goto(`${baseUrl}/#${screen.path}`);
    const shown = await p
      .waitForFunction(() => (window as unknown as Record<string, unknown>).__headingPaintedAt !== undefined, null, { timeout: 60_000 })
      .then(
        () => true,
        () => false,
      );
    const heading = await p.evaluate(() => (window as unknown as Record<string, string>).__heading);
    if (shown && heading === screen.label) {
      const shownMs = await p.evaluate(() => (window as unknown as Record<string, number>).__headingPaintedAt!);
      screenStarts.push({ label: screen.label, shownMs, js: await scriptsFetchedBy(p, 'headingAt') });
    } else bench.skip(`initial JavaScript of ${screen.label}: its heading did not show within 60 s of a cold load (saw ${heading ?? 'none'})`);
    await p.close();
  }

  // 4b''. A second screen opened for the first time: a cold load of the Posture Log, then (once the page is idle,
  // when screens are preloaded) a click on each other section → its heading painted.
  const second: { label: string; ms: number }[] = [];
  {
    const p = await context.newPage();
    await p.goto(`${baseUrl}/#/posture-log`);
    if (await waitFirstRows(p)) {
      await p.waitForLoadState('networkidle');
      await screensPreloaded(p);
      for (const screen of screens.filter((s) => s.label !== 'Posture Log')) {
        const ms = await p.evaluate(async (label) => {
          const link = [...document.querySelectorAll('nav a')].find((a) => a.textContent?.trim() === label) as HTMLElement;
          const t0 = performance.now();
          link.click();
          return new Promise<number>((resolve) => {
            const check = () => {
              if ([...document.querySelectorAll('main h2')].some((h) => h.textContent?.trim() === label))
                requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
              else if (performance.now() - t0 > 30_000) resolve(Number.NaN);
              else requestAnimationFrame(check);
            };
            check();
          });
        }, screen.label);
        if (Number.isFinite(ms)) second.push({ label: screen.label, ms });
        else bench.skip(`second screen ${screen.label}: its heading did not show within 30 s of the click`);
      }
    }
    await p.close();
  }

  // 4c. Scrolling: a rAF loop moves the table's scroller by a fixed distance per frame and records the frame
  // deltas; long animation frames (≥ 50 ms) are counted by PerformanceObserver where Chromium offers them.
  const scroller = page.getByTestId('log-scroller');
  await scroller.waitFor({ timeout: 30_000 });
  const scrollOn = async (target: Page, pxPerFrame: number) =>
    target.evaluate(
      async ({ pxPerFrame, frames, maxMs }) => {
        const el = document.querySelector('[data-testid="log-scroller"]') as HTMLElement;
        const long: number[] = [];
        let observer: PerformanceObserver | undefined;
        try {
          observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration)));
          observer.observe({ type: 'long-animation-frame', buffered: false });
        } catch {
          observer = undefined;
        }
        const startTop = el.scrollTop;
        const deltas: number[] = await new Promise((resolve) => {
          const out: number[] = [];
          const t0 = performance.now();
          let last: number | undefined;
          const step = (t: number) => {
            if (last !== undefined) out.push(t - last);
            last = t;
            el.scrollTop += pxPerFrame;
            if (out.length < frames && performance.now() - t0 < maxMs) requestAnimationFrame(step);
            else resolve(out);
          };
          requestAnimationFrame(step);
        });
        observer?.disconnect();
        return {
          deltas,
          longFrames: observer ? long.length : -1,
          longestFrame: long.length ? Math.max(...long) : 0,
          scrolledPx: el.scrollTop - startTop,
          rowsInDom: document.querySelectorAll('[data-testid="log-row"]').length,
          visibility: document.visibilityState,
        };
      },
      { pxPerFrame, frames: scrollFrames, maxMs: scrollMs },
    );
  const scroll = (pxPerFrame: number) => scrollOn(page, pxPerFrame);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (values.profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  // The browser's own floor on this machine, measured just before each phase: the same loop over a static
  // 3,000-row HTML table, no app code. On a shared machine it moves with the load, and the app with it.
  // A page of its own, closed again before the app scrolls: with two pages open, Chromium throttles the
  // animation frames of the one not in front.
  const floorAt = async (pxPerFrame: number) => {
    const floorPage = await context.newPage();
    await floorPage.setContent(
      `<div data-testid="log-scroller" style="height:700px;overflow:auto"><table>${Array.from({ length: 3000 }, (_, i) => `<tr data-testid="log-row" style="height:34px"><td>2026-11-25 12:00:${i % 60}</td><td>host-${i}</td><td>SN${i}</td><td>falcon</td><td>ZTA overall ≥ 50</td><td>pass</td><td>&gt;= 50 / ${i % 100}</td></tr>`).join('')}</table></div>`,
    );
    const floor = await scrollOn(floorPage, pxPerFrame);
    await floorPage.close();
    await page.bringToFront();
    return floor;
  };
  const steadyFloor = await floorAt(30);
  const steady = await scroll(30);
  if (values.profile) {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
    writeFileSync(values.profile, JSON.stringify(profile));
    console.log(`   CPU profile of the steady scroll: ${values.profile} (open in Chrome DevTools → Performance)`);
  }
  const fastFloor = await floorAt(200);
  const fast = await scroll(200);

  // 4d. Deep pages: jump to the end of the loaded rows and wait for the next page to be rendered.
  const pageLoads: number[] = await page.evaluate(
    async ({ pages }) => {
      const el = document.querySelector('[data-testid="log-scroller"]') as HTMLElement;
      const out: number[] = [];
      for (let i = 0; i < pages; i++) {
        const before = el.scrollHeight;
        const t0 = performance.now();
        el.scrollTop = el.scrollHeight;
        const grew = await new Promise<boolean>((resolve) => {
          const check = () => {
            if (el.scrollHeight > before) resolve(true);
            else if (performance.now() - t0 > 10_000) resolve(false);
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        });
        if (!grew) break;
        out.push(performance.now() - t0);
      }
      return out;
    },
    { pages: deepPages },
  );
  // 4e. On to 13,000 rows (where the quick run's deep pages stop short), then the heap: as it stands, and what
  // survives a full garbage collection (what the rows and the cache really hold).
  await page.evaluate(
    async ({ rows }) => {
      const el = document.querySelector('[data-testid="log-scroller"]') as HTMLElement;
      const t0 = performance.now();
      while (el.scrollHeight / 34 < rows && performance.now() - t0 < 180_000) {
        const before = el.scrollHeight;
        el.scrollTop = el.scrollHeight;
        const grew = await new Promise<boolean>((resolve) => {
          const t1 = performance.now();
          const check = () => {
            if (el.scrollHeight > before) resolve(true);
            else if (performance.now() - t1 > 10_000) resolve(false);
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        });
        if (!grew) break;
      }
    },
    { rows: HEAP_ROWS },
  );
  const loadedRows = await page.evaluate(() => Math.round((document.querySelector('[data-testid="log-scroller"]') as HTMLElement).scrollHeight / 34));
  const getMetrics = async () =>
    Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [m.name, m.value]));
  const metrics = await getMetrics();
  await cdp.send('HeapProfiler.collectGarbage');
  const afterGc = await getMetrics();

  // 5. Figures ------------------------------------------------------------------------------------------------
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const pct = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))] ?? Number.NaN;
  const med = (xs: number[]) => pct(xs, 0.5);
  const jank = (xs: number[]) => (100 * xs.filter((d) => d > FRAME_BUDGET_MS * 1.5).length) / Math.max(1, xs.length);
  const rowsLabel = `${fmtCount(runs)}-row log`;

  const gzipOf = new Map(files.map((f) => [f.name, f.gzip]));
  const jsKb = (js: string[]) => kB([...new Set(js)].reduce((n, name) => n + (gzipOf.get(name) ?? Number.NaN), 0));
  if (screenStarts.length > 0) {
    const largest = screenStarts.reduce((a, b) => (jsKb(b.js) > jsKb(a.js) ? b : a));
    const logStart = cold[0];
    bench.figure({
      label: `Initial JavaScript, gzip -9: the most a cold start fetches before its screen shows (${largest.label}; ${new Set(largest.js).size} files)`,
      value: jsKb(largest.js),
      unit: 'kB',
      better: 'lower',
      target: { text: `≤ ${INITIAL_JS_KB} kB gzip`, of: 'value', limit: INITIAL_JS_KB },
      command: bench.command('--rows 1000'),
      note:
        `the Posture Log fetches ${logStart ? `${fmtCount(jsKb(logStart.js))} kB (${new Set(logStart.js).size} files)` : '?'} before its first rows; ` +
        `every screen: ${screenStarts.map((s) => `${s.label} ${fmtCount(jsKb(s.js))} kB`).join(', ')} (resource timing up to the screen's heading in the DOM, gzip -9 of each file)`,
    });
    bench.curve({
      title: 'JavaScript a cold start fetches before each screen shows (resource timing up to the heading, gzip -9 of each file)',
      columns: ['screen', 'files', 'gzip -9', 'heading painted after'],
      rows: screenStarts.map((s) => [s.label, new Set(s.js).size, `${fmtCount(jsKb(s.js))} kB`, fmtMs(s.shownMs)]),
      command: bench.command('--rows 1000'),
    });
  }
  if (second.length > 0) {
    const slowest = second.reduce((a, b) => (b.ms > a.ms ? b : a));
    bench.figure({
      label: `A second screen opened for the first time (after a cold load of the Posture Log, once idle; click → heading painted; the slowest of ${second.length}: ${slowest.label})`,
      value: slowest.ms,
      unit: 'ms',
      better: 'lower',
      target: { text: `≤ ${SECOND_SCREEN_MS} ms`, of: 'value', limit: SECOND_SCREEN_MS },
      command,
      note: `median ${fmtMs(med(second.map((s) => s.ms)))}; ${second.map((s) => `${s.label} ${fmtMs(s.ms)}`).join(', ')}`,
    });
  }
  bench.figure({
    label: `Time to first rows, cold load of the Posture Log (${rowsLabel}; navigation start → first rows painted, median of ${cold.length})`,
    value: med(cold.map((c) => c.painted)),
    unit: 'ms',
    better: 'lower',
    // Issue 15 sets it for a 1M-row log; a smaller quick run is checked against the same number.
    target: { text: `≤ ${COLD_ROWS_MS} ms`, of: 'value', limit: COLD_ROWS_MS },
    command,
    note: `loads: ${cold.map((c) => fmtMs(c.painted)).join(', ')}; the total (${shownTotal ? fmtCount(shownTotal) : '?'} rows) shown after ${cold[0]?.total ? fmtMs(med(cold.map((c) => c.total ?? Number.NaN))) : '?'}`,
  });
  bench.figure({
    label: `Time to first rows, in-app navigation to the Posture Log (${rowsLabel}; click → first rows painted)`,
    value: nav.paintedAt - navStart,
    unit: 'ms',
    better: 'lower',
    command,
    note: `rows in the DOM after ${fmtMs(nav.firstRowAt - navStart)}; total shown after ${nav.totalAt ? fmtMs(nav.totalAt - navStart) : '?'}`,
  });
  for (const [name, run, floor, speed] of [
    ['steady scroll', steady, steadyFloor, 30],
    ['fast scroll', fast, fastFloor, 200],
  ] as const) {
    bench.figure({
      label: `Scrolling the ${rowsLabel}, ${name} (${speed} px per frame, ${run.deltas.length} frames): p95 frame time`,
      value: pct(run.deltas, 0.95),
      unit: 'ms',
      better: 'lower',
      peer: { label: `static 3,000-row HTML table, same loop, same browser, just before`, value: pct(floor.deltas, 0.95) },
      target: {
        text: `≤ one 60 Hz frame (${FRAME_BUDGET_MS.toFixed(1)} ms + ${FRAME_JITTER_MS} ms timestamp jitter)`,
        of: 'value',
        limit: FRAME_BUDGET_MS + FRAME_JITTER_MS,
      },
      command,
      note:
        `median ${fmtMs(med(run.deltas))}, p99 ${fmtMs(pct(run.deltas, 0.99))}, max ${fmtMs(Math.max(...run.deltas))}; ` +
        `${jank(run.deltas).toFixed(1)} % of frames over 1.5 frames (floor ${jank(floor.deltas).toFixed(1)} %); long animation frames (≥ 50 ms): ${run.longFrames < 0 ? 'not observable' : run.longFrames}; ` +
        `scrolled ${fmtCount(run.scrolledPx / 34)} rows; ${run.rowsInDom} rows in the DOM`,
    });
  }
  if (pageLoads.length > 0)
    bench.figure({
      label: `Next page of rows while scrolling deep (scroll to the end of what is loaded → the next 200 rows rendered; median of ${pageLoads.length})`,
      value: med(pageLoads),
      unit: 'ms',
      better: 'lower',
      command,
      note: `p95 ${fmtMs(pct(pageLoads, 0.95))}; first ${fmtMs(pageLoads[0]!)}, last ${fmtMs(pageLoads.at(-1)!)} (flat = keyset paging holds at depth); ${fmtCount(loadedRows)} rows loaded at the end`,
    });
  else bench.skip('deep page loads: scrolling to the end loaded no further rows within 10 s');
  bench.figure({
    label: `Renderer JS heap after scrolling ${fmtCount(loadedRows)} rows of the ${rowsLabel} (used, as it stands)`,
    value: (metrics.JSHeapUsedSize ?? Number.NaN) / 2 ** 20,
    unit: 'MB',
    better: 'lower',
    target: { text: `≤ ${HEAP_MB} MB at ${fmtCount(HEAP_ROWS)} rows`, of: 'value', limit: HEAP_MB },
    command,
    note:
      `${fmtCount((afterGc.JSHeapUsedSize ?? Number.NaN) / 2 ** 20)} MB after a full garbage collection (HeapProfiler.collectGarbage); heap total ${fmtCount((metrics.JSHeapTotalSize ?? Number.NaN) / 2 ** 20)} MB; ` +
      `${fmtCount(metrics.Nodes ?? Number.NaN)} DOM nodes in the document; ${fmtCount(metrics.LayoutCount ?? 0)} layouts and ${fmtCount(metrics.RecalcStyleCount ?? 0)} style recalculations during the scrolling and deep-page phases`,
  });
  bench.curve({
    title: `Frame times while scrolling the ${rowsLabel} (requestAnimationFrame deltas, ms)`,
    columns: ['scroll', 'frames', 'median', 'p95', 'p99', 'max', '> 1.5 frames', 'long animation frames', 'page visibility'],
    rows: (
      [
        ['floor: static HTML table, 30 px/frame', steadyFloor],
        ['Posture Log, steady, 30 px/frame', steady],
        ['floor: static HTML table, 200 px/frame', fastFloor],
        ['Posture Log, fast, 200 px/frame', fast],
      ] as const
    ).map(([label, run]) => [
      label,
      run.deltas.length,
      ...[0.5, 0.95, 0.99].map((p) => pct(run.deltas, p).toFixed(1)),
      Math.max(...run.deltas).toFixed(1),
      `${jank(run.deltas).toFixed(1)} %`,
      run.longFrames < 0 ? '-' : run.longFrames,
      run.visibility,
    ]),
    command,
  });
  bench.note(
    `Chromium ${chromiumVersion} headless with --disable-gpu (software compositing), 1360×860; the store was seeded with ${fmtCount(runs)} rows in ${fmtMs(seeded)}; ` +
      'the web host serves the same renderer and contract the Electron window uses. No outside product shows this log: the peer for frame times is the browser’s own floor (a static table scrolled by the same loop just before), the target the 60 Hz frame; time to first rows and page loads have no peer.',
  );
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  bench.skip(`renderer measurements stopped: ${message.split('\n')[0]}`);
  if (!process.exitCode) process.exitCode = provisional ? 0 : 1;
} finally {
  await browser?.close().catch(() => undefined);
  await stopServer();
}
if (provisional) bench.result.provisional = provisional;
bench.done();
if (!values.keep) rmSync(work, { recursive: true, force: true });
