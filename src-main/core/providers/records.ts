// Reading a provider's list answer one record at a time: a record that cannot be read is set aside with the reason
// instead of failing the call, and an answer that is not the API's at all (HTML, empty, foreign JSON) is refused.
import { z } from 'zod';
import { ProviderError } from './diagnosis';
import type { HttpResponse } from './http';
import { runSliced } from '../time-slice';

/** A record the provider sent that did not match its schema. */
export interface UnreadableRecord {
  /** The record's own id when it could be read; null when no device can be tied to it. */
  id: string | null;
  /** In the admin's words, e.g. "Falcon sent an unreadable host record: field serial_number: expected string, received number". */
  reason: string;
}

export interface RecordsRead<T> {
  records: T[];
  unreadable: UnreadableRecord[];
}

/** Where records came from, for the reasons of those that could not be read. */
export interface RecordKind<T = unknown> {
  /** "Falcon sent an unreadable host record" */
  label: string;
  /** The record's id, if it has a usable one (a non-empty string; numbers are ids too where the API uses them). */
  idOf: (raw: unknown) => string | null;
  /**
   * Builds what can still be used of an unreadable record that has an id (e.g. a host's serial, to place it as a
   * device whose checks are unknown); absent: unreadable records are only reported.
   */
  salvage?: (raw: unknown, id: string) => T;
}

/** The first problem of a failed parse as "field a.b: expected string, received number". */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'not in the documented shape';
  const message = issue.message.replace(/^Invalid input: /, '');
  return issue.path.length === 0 ? message : `field ${issue.path.join('.')}: ${message}`;
}

/** An id field read as the API sends it: a non-empty string, or (`numbers`, as S1 sometimes sends) a number. */
export function idField(field: string, options: { numbers?: boolean } = {}): (raw: unknown) => string | null {
  return (raw) => {
    if (typeof raw !== 'object' || raw === null) return null;
    const value = (raw as Record<string, unknown>)[field];
    if (typeof value === 'string') return value.trim() === '' ? null : value;
    if (options.numbers && typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    return null;
  };
}

/** One list schema per record schema: zod compiles a schema on its first parse, so build each once. */
const lists = new WeakMap<z.ZodType, z.ZodArray<z.ZodType>>();

/**
 * A hand-written reader of one schema's records: the value `schema.safeParse(raw).data` would be, or undefined when it
 * cannot vouch for the record (zod then reads it, with its reason and salvage). Its test checks it against the schema.
 */
export type FastReader<T> = (raw: unknown) => T | undefined;
const fastReaders = new WeakMap<z.ZodType, FastReader<unknown>>();

/**
 * Registers `read` for `schema`'s records: on a fleet pull zod's copy of every record (and the list around them) was a
 * third of what the client allocated. The schema stays the rule; `read` must accept exactly what it accepts.
 */
export function readFast<S extends z.ZodType>(schema: S, read: FastReader<z.output<S>>): void {
  fastReaders.set(schema, read);
}

/** The reader registered for `schema` (for its test). */
export function fastReaderOf<S extends z.ZodType>(schema: S): FastReader<z.output<S>> | undefined {
  return fastReaders.get(schema) as FastReader<z.output<S>> | undefined;
}

/**
 * Parses `items` with `schema`. The whole list is tried first (the common case costs one parse, as before);
 * only when that fails is each record parsed on its own, so one odd record never costs the others.
 */
export function readRecords<S extends z.ZodType>(items: readonly unknown[], schema: S, kind: RecordKind<z.output<S>>): RecordsRead<z.output<S>> {
  const fast = fastReaderOf(schema);
  if (fast) {
    const read: RecordsRead<z.output<S>> = { records: [], unreadable: [] };
    for (const raw of items) {
      const record = fast(raw);
      if (record !== undefined) read.records.push(record);
      else readOne(raw, schema, kind, read);
    }
    return read;
  }
  let list = lists.get(schema) as z.ZodArray<S> | undefined;
  if (!list) lists.set(schema, (list = z.array(schema)));
  const whole = list.safeParse(items);
  if (whole.success) return { records: whole.data, unreadable: [] };
  const read: RecordsRead<z.output<S>> = { records: [], unreadable: [] };
  for (const raw of items) readOne(raw, schema, kind, read);
  return read;
}

/**
 * readRecords one record a step (the same records and reasons, in the same order), for pages large enough to hold
 * the event loop: a page of 1,000 SentinelOne agents is tens of milliseconds of validation.
 */
export function readRecordsSliced<S extends z.ZodType>(items: readonly unknown[], schema: S, kind: RecordKind<z.output<S>>): Promise<RecordsRead<z.output<S>>> {
  return runSliced(readRecordsSteps(items, schema, kind));
}

function* readRecordsSteps<S extends z.ZodType>(
  items: readonly unknown[],
  schema: S,
  kind: RecordKind<z.output<S>>,
): Generator<void, RecordsRead<z.output<S>>> {
  const read: RecordsRead<z.output<S>> = { records: [], unreadable: [] };
  for (const raw of items) {
    readOne(raw, schema, kind, read);
    yield;
  }
  return read;
}

function readOne<S extends z.ZodType>(raw: unknown, schema: S, kind: RecordKind<z.output<S>>, read: RecordsRead<z.output<S>>): void {
  const parsed = schema.safeParse(raw);
  if (parsed.success) {
    read.records.push(parsed.data);
    return;
  }
  const id = kind.idOf(raw);
  read.unreadable.push({ id, reason: `${kind.label}: ${describeIssue(parsed.error)}` });
  if (id !== null && kind.salvage) read.records.push(kind.salvage(raw, id));
}

/** The ids among unreadable records that could not be tied to any record (set aside). */
export function countSetAside(unreadable: readonly UnreadableRecord[]): number {
  let n = 0;
  for (const u of unreadable) if (u.id === null) n++;
  return n;
}

/** No fleet is this large; a count beyond it is a provider's nonsense, not a fleet. */
export const MAX_PLAUSIBLE_COUNT = 50_000_000;

/**
 * A count a provider reported (a page total), judged rather than trusted: a whole number from 0 to
 * MAX_PLAUSIBLE_COUNT, else undefined, which callers treat as "not reported".
 */
export function plausibleCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_PLAUSIBLE_COUNT ? value : undefined;
}

export interface ApiAnswer {
  /** "Falcon" */
  provider: string;
  /** The envelope as the admin may know it, e.g. "{meta, resources, errors}". */
  envelope: string;
  /** The keys of which at least one makes a JSON object this API's envelope. */
  keys: readonly string[];
  fix: string;
}

/**
 * The body of an answer when it is this API's envelope (a JSON object with one of its keys), or undefined for an
 * empty body on a status that may have none (201, 202, 204, 404). Anything else is not the API answering: an
 * HTML page (a proxy, a sign-on portal, the console instead of the API), an empty 200, or foreign JSON.
 */
export function envelopeBody(res: HttpResponse, api: ApiAnswer): Record<string, unknown> | undefined {
  const body = res.body;
  if (typeof body === 'object' && body !== null && !Array.isArray(body) && api.keys.some((key) => Object.hasOwn(body, key)))
    return body as Record<string, unknown>;
  // Only a refusal names the path: no URL is parsed per answer read.
  const path = new URL(res.url).pathname;
  if (body === undefined) {
    if (res.text.trim() === '') {
      if (res.status !== 200) return undefined;
      throw notTheApi(res, `${api.provider} answered ${path} with an empty body (HTTP 200) instead of its ${api.envelope} JSON.`, api.fix);
    }
    const type = res.headers['content-type'];
    const page = /^\s*</.test(res.text) ? 'an HTML page' : 'text that is not JSON';
    throw notTheApi(
      res,
      `${api.provider} did not answer ${path}: ${page} came back (HTTP ${res.status}${type ? `, ${type.split(';')[0]}` : ''}) instead of its ${api.envelope} JSON.`,
      api.fix,
    );
  }
  const shape = Array.isArray(body)
    ? 'a JSON array'
    : typeof body === 'object' && body !== null
      ? `a JSON object without ${api.keys.join(', ')}`
      : `a bare JSON ${body === null ? 'null' : typeof body}`;
  throw notTheApi(res, `${api.provider} answered ${path} with ${shape}, not its ${api.envelope} envelope.`, api.fix);
}

function notTheApi(res: HttpResponse, message: string, fix: string): ProviderError {
  const text = res.redact(res.text.replace(/\s+/g, ' ').trim()).slice(0, 120);
  return new ProviderError({ code: 'http.not_api', status: res.status, message, fix, ...(text ? { observed: text } : {}) });
}
