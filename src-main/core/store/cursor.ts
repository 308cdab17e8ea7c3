// Opaque page cursors: base64url JSON of the last row's sort key, bound to the view, sort and filter.
import type { SQLInputValue } from 'node:sqlite';
import { ContractError } from '../../../src-shared/errors';
import type { LogFilter, LogQuery } from '../../../src-shared/schemas/posture-log';

type Key = (string | number)[];
type Payload = { q: string; k: Key };

/** What a cursor is only valid for: the same view, sort and filter. */
function scopeOf(q: LogQuery): string {
  const filter: Omit<LogFilter, 'view'> = {
    from: q.from,
    to: q.to,
    providerIds: q.providerIds,
    checkIds: q.checkIds,
    results: q.results,
    text: q.text,
  };
  return fnv1a(JSON.stringify([q.view, q.sort.by, q.sort.dir, filter]));
}

export function encodeCursor(q: LogQuery, key: readonly SQLInputValue[]): string {
  const payload: Payload = { q: scopeOf(q), k: key as Key };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** The sort key a cursor resumes after, or null for the first page. */
export function decodeCursor(q: LogQuery, length: number): Key | null {
  if (q.cursor === undefined) return null;
  let payload: Payload | undefined;
  try {
    payload = JSON.parse(Buffer.from(q.cursor, 'base64url').toString('utf8')) as Payload;
  } catch {
    payload = undefined;
  }
  const valid =
    typeof payload?.q === 'string' &&
    Array.isArray(payload.k) &&
    payload.k.length === length &&
    payload.k.every((v) => typeof v === 'string' || typeof v === 'number');
  if (!payload || !valid) throw cursorError('This cursor is not one the log handed out.');
  if (payload.q !== scopeOf(q)) throw cursorError('This cursor belongs to a different view, sort or filter.');
  return payload.k;
}

function cursorError(message: string): ContractError {
  return new ContractError({
    code: 'invalid_input',
    message: `Invalid request: cursor: ${message}`,
    fix: 'Start again from the first page.',
    issues: [{ path: 'cursor', message }],
  });
}

/** 32-bit FNV-1a: a short fingerprint, not a security boundary. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}
