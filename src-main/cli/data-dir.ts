// Where the CLI and web host keep their data when no --data-dir is given.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.POSTURE_CONSOLE_DATA_DIR) return env.POSTURE_CONSOLE_DATA_DIR;
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Posture Console');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Posture Console');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'posture-console');
}
