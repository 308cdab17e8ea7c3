// Where the CLI and web host keep their data when no --data-dir is given.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './failure';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.POSTURE_CONSOLE_DATA_DIR) return env.POSTURE_CONSOLE_DATA_DIR;
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Posture Console');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Posture Console');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'posture-console');
}

/** Refuses a data directory that cannot be one (a file, or a path through a file), naming the option. */
export function checkDataDir(dir: string): void {
  const fix = 'Point --data-dir (or POSTURE_CONSOLE_DATA_DIR) at a folder; a missing one is created.';
  for (let path = resolve(dir); ; path = dirname(path)) {
    if (existsSync(path)) {
      if (!statSync(path).isDirectory())
        throw new CliError({
          code: 'cli.data_dir_not_folder',
          message: path === resolve(dir) ? `--data-dir ${dir} is a file, not a folder.` : `--data-dir ${dir} is inside ${path}, which is a file, not a folder.`,
          fix,
        });
      return;
    }
    if (dirname(path) === path) return;
  }
}

/**
 * Refuses a data directory that holds no store, for commands that only read what is there: verifying the audit
 * trail of a mistyped folder would otherwise create a fresh one (and a fresh chain key) and call it intact.
 */
export function checkExistingStore(dir: string): void {
  if (existsSync(join(dir, 'posture-log.sqlite'))) return;
  throw new CliError({
    code: 'cli.data_dir_empty',
    message: `--data-dir ${dir} holds no Posture Console data (no posture-log.sqlite), so there is nothing to read.`,
    fix: 'Point --data-dir (or POSTURE_CONSOLE_DATA_DIR) at the folder the desktop app, the web host or earlier commands used.',
  });
}
