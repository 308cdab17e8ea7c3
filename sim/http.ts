// The simulator's HTTP vocabulary: a parsed request, a reply to serialize, and an exact-path router.
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';

export interface SimRequest {
  method: string;
  /** Path as requested, without the query. */
  rawPath: string;
  /** Path inside the API surface: `/region/<name>` and `/web/api/v2.1` removed. */
  apiPath: string;
  query: URLSearchParams;
  /** Query string as sent (with the leading `?`, or empty), for redirects. */
  search: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  ip: string;
  /** Per-request id, echoed as X-Cs-Traceid and meta.trace_id. */
  traceId: string;
  startedAt: number;
  /** Region named in the path (`/region/<name>/…`), if any. */
  region?: string;
}

export interface SimReply {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON by the server (see serializeJson for prerendered list items). */
  json?: unknown;
  /** Sent as-is (e.g. the empty body of a 308). */
  text?: string;
}

/**
 * A record whose JSON was rendered once and is sent as-is: a live service serves its records from rest, so the
 * simulator should not spend its CPU rebuilding and re-serialising a host on every call. The JSON is the UTF-8
 * byte range [start, end) of `bytes` (usually a slice of a WireArena chunk).
 */
export class Prerendered {
  constructor(
    readonly bytes: Buffer,
    readonly start: number,
    readonly end: number,
  ) {}

  /** A one-off record (not kept in an arena). */
  static of(json: string): Prerendered {
    const bytes = Buffer.from(json, 'utf8');
    return new Prerendered(bytes, 0, bytes.length);
  }

  get json(): string {
    return this.bytes.toString('utf8', this.start, this.end);
  }
}

const PLACEHOLDER = '\u0000prerendered\u0000';
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/**
 * The body of a reply: JSON.stringify of it as a string, except that when arrays at its top level hold
 * Prerendered items the same text comes back as UTF-8 chunks to write in order: the envelope's text, and
 * views of the records' bytes (adjacent records in an arena make one view), so nothing is joined or copied.
 */
export function serializeJson(value: unknown): string | Buffer[] {
  const holdsPrerendered = (v: unknown): v is unknown[] => Array.isArray(v) && v.some((item) => item instanceof Prerendered);
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.values(value).some(holdsPrerendered)) return JSON.stringify(value);
  // Stringify the rest with a placeholder per list, then put each list's items in where it stood.
  const shell: Record<string, unknown> = {};
  const lists: unknown[][] = [];
  for (const [key, v] of Object.entries(value)) {
    if (holdsPrerendered(v)) {
      shell[key] = PLACEHOLDER;
      lists.push(v);
    } else shell[key] = v;
  }
  const texts = JSON.stringify(shell).split(JSON.stringify(PLACEHOLDER));
  const chunks: Buffer[] = [];
  texts.forEach((text, t) => {
    const list = lists[t];
    if (!list) {
      chunks.push(Buffer.from(text, 'utf8'));
      return;
    }
    chunks.push(Buffer.from(`${text}[`, 'utf8'));
    let run: Prerendered | undefined;
    let runEnd = 0;
    for (const entry of list) {
      // Items that are not prerendered (none today) are rendered here, as JSON.stringify would inside an array.
      const item = entry instanceof Prerendered ? entry : Prerendered.of(JSON.stringify(entry) ?? 'null');
      if (run && item.bytes === run.bytes && item.start === runEnd + 1 && run.bytes[runEnd] === 0x2c) {
        runEnd = item.end;
        continue;
      }
      if (run) chunks.push(run.bytes.subarray(run.start, runEnd), COMMA);
      run = item;
      runEnd = item.end;
    }
    if (run) chunks.push(run.bytes.subarray(run.start, runEnd));
    chunks.push(CLOSE);
  });
  return chunks;
}

export type Handler<C> = (req: SimRequest, ctx: C) => SimReply | Promise<SimReply>;

export interface Route<C, M = undefined> {
  method: string;
  path: string;
  handler: Handler<C>;
  /** Surface-specific data, e.g. the scope a Falcon route requires. */
  meta: M;
}

export type RouteMatch<C, M> = { kind: 'found'; route: Route<C, M> } | { kind: 'method_not_allowed' } | { kind: 'not_found' };

/** Exact-path routing: every provider endpoint here is a fixed path, so a map lookup suffices. */
export class Router<C, M = undefined> {
  private readonly routes = new Map<string, Map<string, Route<C, M>>>();

  add(route: Route<C, M>): this {
    let byMethod = this.routes.get(route.path);
    if (!byMethod) this.routes.set(route.path, (byMethod = new Map()));
    byMethod.set(route.method, route);
    return this;
  }

  /** Every route as `METHOD /path`, for coverage checks. */
  list(): string[] {
    return [...this.routes.values()].flatMap((byMethod) => [...byMethod.values()].map((r) => `${r.method} ${r.path}`));
  }

  match(method: string, path: string): RouteMatch<C, M> {
    const byMethod = this.routes.get(path);
    if (!byMethod) return { kind: 'not_found' };
    const route = byMethod.get(method);
    return route ? { kind: 'found', route } : { kind: 'method_not_allowed' };
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Parses a JSON body against a schema; the message names the first bad field. */
export function parseJsonBody<T>(body: Buffer, schema: z.ZodType<T>): Parsed<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8') || 'null');
  } catch {
    return { ok: false, message: 'request body is not valid JSON' };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, message: `${where}${issue?.message ?? 'invalid body'}` };
}

/** `ids=a&ids=b` and `ids=a,b` both work, as clients send either. */
export function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** An integer query parameter within bounds, or the default when absent. */
export function boundedInt(query: URLSearchParams, name: string, bounds: { min: number; max: number; fallback: number }): Parsed<number> {
  const raw = query.get(name);
  if (raw === null || raw.trim() === '') return { ok: true, value: bounds.fallback };
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || value < bounds.min || value > bounds.max)
    return { ok: false, message: `${name} must be an integer between ${bounds.min} and ${bounds.max}` };
  return { ok: true, value };
}
