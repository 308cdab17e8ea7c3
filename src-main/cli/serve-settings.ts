// Process settings for a long-running `serve`, which Node and glibc read only at start: `serve` re-executes itself once
// with them (same pid, same stdio). The desktop app's main process is Electron's and does not go through here.
/** Set in the re-executed process, so it does not re-execute again. */
export const SERVE_SETTINGS_ENV = 'POSTURE_CONSOLE_SERVE_SETTINGS';

/**
 * V8 lets a busy main thread's young generation grow to ~128 MB and keeps it; 16 MB semi-spaces (48 MB young
 * generation) hold a poll's short-lived objects as well.
 */
const SEMI_SPACE_FLAG = '--max-semi-space-size=16';
/**
 * After each full collection V8 lets the old generation grow to up to 4× what survived before it collects again, so
 * a fleet-sized inventory (~200 MB live at 178k devices) sits on several hundred MB of a poll's garbage until the next
 * one. Doubling at most collects that garbage sooner (about twice as many full collections in a poll, each still
 * incremental); 30 % was tried before and held the event loop for up to 224 ms.
 */
const HEAP_GROWING_FLAG = '--heap-growing-percent=100';

/** The V8 flags `serve` adds, each unless the user set that flag in the arguments or in NODE_OPTIONS. */
const V8_FLAGS = [SEMI_SPACE_FLAG, HEAP_GROWING_FLAG];
/**
 * glibc raises its mmap threshold after the first large buffer is freed, so later poll bodies and packed pieces come
 * from its arenas and stay there once freed; a fixed threshold maps them and gives them back.
 */
const MMAP_THRESHOLD_ENV = 'MALLOC_MMAP_THRESHOLD_';
const MMAP_THRESHOLD = String(128 * 1024);

export interface ServeExec {
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** What `serve` re-executes with, or null: another command, already applied, or settings the user chose. */
export function serveExec(argv: readonly string[], execArgv: readonly string[], env: NodeJS.ProcessEnv): ServeExec | null {
  if (argv[2] !== 'serve' || env[SERVE_SETTINGS_ENV] === '1') return null;
  const flags = V8_FLAGS.filter((flag) => {
    const name = flag.slice(0, flag.indexOf('='));
    return !execArgv.some((a) => a.startsWith(name)) && !(env.NODE_OPTIONS ?? '').includes(name);
  });
  const thresholdSet = env[MMAP_THRESHOLD_ENV] !== undefined;
  if (flags.length === 0 && thresholdSet) return null;
  return {
    args: [argv[0]!, ...flags, ...execArgv, ...argv.slice(1)],
    env: { ...env, ...(thresholdSet ? {} : { [MMAP_THRESHOLD_ENV]: MMAP_THRESHOLD }), [SERVE_SETTINGS_ENV]: '1' },
  };
}

/** Replaces this process with `serve` under its settings; returns only when there is nothing to do (or no execve). */
export function applyServeSettings(): void {
  const exec = serveExec(process.argv, process.execArgv, process.env);
  // process.execve: POSIX only, Node ≥ 23.11.
  if (!exec || typeof process.execve !== 'function' || process.platform === 'win32') return;
  process.execve(process.execPath, exec.args, exec.env);
}
