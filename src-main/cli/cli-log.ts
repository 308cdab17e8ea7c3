// The CLI's log: a file in the data directory (mode 0600), created only when something is logged, so
// "details are in the log" points at a file that exists and the message can say where it is. The logger
// (pino) is loaded when a command asks for it or something goes wrong, never just because a command ran.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/log';

let activePath: string | undefined;
let activeLogger: Logger | undefined;

/** Names the data directory whose cli.log takes unexpected failures; loads nothing. */
export function useCliLog(dataDir: string): string {
  activePath = join(dataDir, 'cli.log');
  activeLogger = undefined;
  return activePath;
}

/** The logger writing to the data directory's cli.log (what the app is given). */
export async function openCliLog(dataDir: string): Promise<Logger> {
  const path = useCliLog(dataDir);
  return (activeLogger = await loggerFor(path));
}

async function loggerFor(path: string): Promise<Logger> {
  const { createLogger } = await import('../core/log');
  return createLogger({
    level: process.env.POSTURE_CONSOLE_LOG_LEVEL ?? 'warn',
    destination: { write: (line: string) => appendFileSync(path, line, { mode: 0o600 }) },
  });
}

/** Logs an unexpected error with its stack; returns the log file, or undefined when none is in use. */
export async function logUnexpected(error: unknown): Promise<string | undefined> {
  const path = activePath;
  if (!path) return undefined;
  try {
    const logger = (activeLogger ??= await loggerFor(path));
    logger.error({ err: error }, 'command failed unexpectedly');
    return path;
  } catch {
    return undefined;
  }
}
