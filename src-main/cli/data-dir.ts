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
