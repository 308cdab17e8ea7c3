// The built command line the CLI suites run as a process (`node bin/posture-console.js`), and the
// vitest global set-up that builds it once when out/ is missing or older than the sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../..');
export const cliLauncher = join(repoRoot, 'bin/posture-console.js');
const outputs = ['out/main/cli.js', 'out/main/index.js', 'out/renderer/index.html'].map((f) => join(repoRoot, f));
const sources = ['src-main', 'src-shared', 'src-preload', 'src-renderer', 'sim'].map((d) => join(repoRoot, d));
const configs = ['electron.vite.config.ts', 'package.json'].map((f) => join(repoRoot, f));

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(tsx?|css|html)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Why out/ cannot be used as it is, or null when it is complete and newer than every source. */
export function buildProblem(): string | null {
  const missing = outputs.find((f) => !existsSync(f));
  if (missing) return `${missing} does not exist`;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  const newest = Math.max(...sources.map(newestSource), ...configs.map((f) => statSync(f).mtimeMs));
  return newest > built ? 'out/ is older than the sources' : null;
}

/** vitest globalSetup: `npm test` on a fresh clone builds once, so no suite skips for want of a build. */
export default function ensureBuild(): void {
  const problem = buildProblem();
  if (!problem) return;
  process.stderr.write(`Building once for the suites that run the built CLI (${problem})…\n`);
  execFileSync(process.execPath, [join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const after = buildProblem();
  if (after) throw new Error(`The build finished but ${after}.`);
}
