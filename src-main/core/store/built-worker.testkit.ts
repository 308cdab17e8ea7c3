// The app's store worker as the build ships it (out/main, which the vitest set-up brings up to date), for the suites
// that start whole apps again and again. From source, every such worker strips its TypeScript with Node's WebAssembly
// build of swc, a path the shipped app never runs: a vitest fork running those suites died with SIGSEGV once, and V8
// aborted a soak once in its WebAssembly wrapper cache (SECURITY.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildProblem, repoRoot } from '../../reliability/cli-build';
import type { CreateWorker } from './store';

/** The built worker; throws when out/ holds no complete build. */
export function builtStoreWorker(): CreateWorker {
  const dir = join(repoRoot, 'out/main');
  // The file the built app starts (its name carries a hash; an older build's may still lie beside it).
  const file = /store-worker-[\w-]+\.js/.exec(readFileSync(join(dir, 'index.js'), 'utf8'))?.[0];
  if (!file) throw new Error(`The build in ${dir} starts no store worker: it is incomplete.`);
  return (options) => new Worker(join(dir, file), options);
}

let current: CreateWorker | null | undefined;

/**
 * The built worker when out/ is newer than every source, else undefined (the app then runs its worker from source):
 * a suite re-run in watch mode after an edit must test the edited worker, not the build from before it.
 */
export function currentBuiltStoreWorker(): CreateWorker | undefined {
  current ??= buildProblem() === null ? builtStoreWorker() : null;
  return current ?? undefined;
}
