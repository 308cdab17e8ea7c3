// The CLI's log: a file in the data directory (mode 0600), created only when something is logged, so
// "details are in the log" points at a file that exists and the message can say where it is.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type Logger } from '../core/log';

export interface CliLog {
  path: string;
  logger: Logger;
}

let active: CliLog | undefined;

export function openCliLog(dataDir: string): CliLog {
  const path = join(dataDir, 'cli.log');
  const logger = createLogger({
    level: process.env.POSTURE_CONSOLE_LOG_LEVEL ?? 'warn',
    destination: { write: (line: string) => appendFileSync(path, line, { mode: 0o600 }) },
  });
  active = { path, logger };
  return active;
}

/** Logs an unexpected error with its stack; returns the log file, or undefined when none is open. */
export function logUnexpected(error: unknown): string | undefined {
  if (!active) return undefined;
  try {
    active.logger.error({ err: error }, 'command failed unexpectedly');
    return active.path;
  } catch {
    return undefined;
  }
}
