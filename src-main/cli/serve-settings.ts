// Process settings for a long-running `serve` that glibc reads only at start: `serve` re-executes itself once with
// them (same pid, same stdio). V8's settings are applied at run time instead (core/heap-settings.ts), the same in the
// desktop app's main process, which does not go through here.
/** Set in the re-executed process, so it does not re-execute again. */
export const SERVE_SETTINGS_ENV = 'POSTURE_CONSOLE_SERVE_SETTINGS';

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

/** What `serve` re-executes with, or null: another command, already applied, or a threshold the user chose. */
export function serveExec(argv: readonly string[], execArgv: readonly string[], env: NodeJS.ProcessEnv): ServeExec | null {
  if (argv[2] !== 'serve' || env[SERVE_SETTINGS_ENV] === '1' || env[MMAP_THRESHOLD_ENV] !== undefined) return null;
  return {
    args: [argv[0]!, ...execArgv, ...argv.slice(1)],
    env: { ...env, [MMAP_THRESHOLD_ENV]: MMAP_THRESHOLD, [SERVE_SETTINGS_ENV]: '1' },
  };
}

/** Replaces this process with `serve` under its settings; returns only when there is nothing to do (or no execve). */
export function applyServeSettings(): void {
  const exec = serveExec(process.argv, process.execArgv, process.env);
  // process.execve: POSIX only, Node ≥ 23.11.
  if (!exec || typeof process.execve !== 'function' || process.platform === 'win32') return;
  process.execve(process.execPath, exec.args, exec.env);
}
