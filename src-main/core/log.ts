// Structured logging with redaction: secrets and Authorization headers are censored by path,
// so a careless log call cannot leak them.
import pino, { type Logger } from 'pino';

export type { Logger };

export const redactPaths = [
  'secret', '*.secret', 'clientSecret', '*.clientSecret', 'client_secret', '*.client_secret',
  'apiToken', '*.apiToken', 'token', '*.token', 'access_token', '*.access_token',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'headers.Authorization', '*.headers.Authorization', 'req.headers.cookie',
];

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    { level: options.level ?? process.env.POSTURE_CONSOLE_LOG_LEVEL ?? 'info', redact: { paths: redactPaths, censor: '[redacted]' } },
    options.destination ?? pino.destination(2),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
