// Structured logging with redaction: secrets and Authorization headers are censored by path and, at any
// depth, by key name, so a careless log call cannot leak them.
import { createRequire } from 'node:module';
import type pinoModule from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

/** What the app logs through: pino's level methods (pino itself loads with the first line written). */
export type Logger = Pick<PinoLogger, 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'>;

export const redactPaths = [
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'apiToken',
  '*.apiToken',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.Authorization',
  '*.headers.Authorization',
  'req.headers.cookie',
];

/** Key names that hold secrets wherever they sit; the paths above only reach two levels. */
const SECRET_KEY = /^(secret|client_?secret|api_?token|token|access_?token|refresh_?token|authorization|cookie|password|x-api-key)$/i;
const MAX_DEPTH = 8;

/** A copy with every secret-named value censored at any depth (cycles and very deep nesting cut short). */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (depth >= MAX_DEPTH || seen.has(value)) return '[truncated]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    out[key] = SECRET_KEY.test(key) && item !== undefined && item !== null ? '[redacted]' : redactDeep(item, depth + 1, seen);
  return out;
}

const LEVELS = { fatal: 60, error: 50, warn: 40, info: 30, debug: 20, trace: 10 } as const;
type Level = keyof typeof LEVELS;

/**
 * pino and its dependencies cost a start-up ~20 ms and ~5 MB, and most runs (an idle console, a CLI command that
 * succeeds) never write a line at their level: the methods below it do nothing, the first one at it loads pino.
 */
function lazyLogger(level: string, make: () => PinoLogger): Logger {
  if (level !== 'silent' && !Object.hasOwn(LEVELS, level)) throw new Error(`unknown level ${level}`);
  const threshold = level === 'silent' ? Infinity : LEVELS[level as Level];
  let real: PinoLogger | undefined;
  const method =
    (name: Level) =>
    (...args: unknown[]): void => {
      if (LEVELS[name] < threshold) return;
      real ??= make();
      (real[name] as (...a: unknown[]) => void)(...args);
    };
  return { fatal: method('fatal'), error: method('error'), warn: method('warn'), info: method('info'), debug: method('debug'), trace: method('trace') };
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const level = options.level ?? process.env.POSTURE_CONSOLE_LOG_LEVEL ?? 'info';
  return lazyLogger(level, () => {
    // Synchronous, so the first line is written in order with the ones after it (pino is CommonJS).
    const pino = createRequire(import.meta.url)('pino') as typeof pinoModule;
    return pino(
      {
        level,
        redact: { paths: redactPaths, censor: '[redacted]' },
        formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
      },
      options.destination ?? pino.destination(2),
    );
  });
}

export const silentLogger: Logger = lazyLogger('silent', () => {
  throw new Error('A silent logger writes nothing.');
});
