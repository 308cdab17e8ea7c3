// Structured logging with redaction: secrets and Authorization headers are censored by path and, at any
// depth, by key name, so a careless log call cannot leak them.
import pino, { type Logger } from 'pino';

export type { Logger };

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

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.POSTURE_CONSOLE_LOG_LEVEL ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
      formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
    },
    options.destination ?? pino.destination(2),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
