// Where the built command line is, and whether it can be used: the CLI suites run `node bin/posture-console.js`
// only against an existing build (`npx electron-vite build`; the E2E job builds first) and say so otherwise.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../..');
export const cliLauncher = join(repoRoot, 'bin/posture-console.js');
const bundle = join(repoRoot, 'out/main/cli.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export interface CliBuild {
  available: boolean;
  /** Why the CLI part is skipped, or a note that the build predates the sources. */
  note: string | null;
}

export function cliBuild(): CliBuild {
  if (!existsSync(bundle))
    return { available: false, note: `CLI checks skipped: ${bundle} does not exist. Run \`npx electron-vite build\` first (the E2E job does).` };
  const stale = statSync(bundle).mtimeMs < Math.max(newestSource(join(repoRoot, 'src-main')), newestSource(join(repoRoot, 'src-shared')));
  return { available: true, note: stale ? `Note: ${bundle} is older than the sources; the CLI checks ran against that build.` : null };
}
