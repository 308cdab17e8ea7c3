// Reads a list answer (Falcon's {meta, resources: [...], errors}, SentinelOne's {data: [...], pagination}) from its bytes
// one record at a time. A full page read as one string is a single large object (a 10,000-host page is 2.5 MB, a ZTA
// answer of 100 records 250 KB, a page of 1,000 SentinelOne agents several MB)
// that lives in V8's large-object space until a full GC, together with the whole parsed tree; parsed record by
// record, each record's text and objects are small and die young. The value is exactly what JSON.parse of the whole
// text gives; anything the scanner cannot vouch for returns undefined and the caller reads the text as before.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** The index after the string whose opening quote is at `at`, or -1 when it never closes. */
function skipString(bytes: Uint8Array, at: number): number {
  for (let from = at + 1; ;) {
    const quote = bytes.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let slashes = 0;
    while (bytes[quote - 1 - slashes] === BACKSLASH) slashes++;
    // An odd run of backslashes escapes the quote.
    if (slashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/**
 * The index after the JSON value starting at `at` (not validated: JSON.parse of its text does that), or -1. Bytes of a
 * multi-byte UTF-8 character are all ≥ 0x80, so they are never taken for a quote or a bracket.
 */
function skipValue(bytes: Uint8Array, at: number): number {
  const first = bytes[at];
  if (first === QUOTE) return skipString(bytes, at);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    // A number, true, false or null: up to the next delimiter.
    let i = at;
    while (i < bytes.length && bytes[i] !== COMMA && bytes[i] !== CLOSE_ARRAY && bytes[i] !== CLOSE_OBJECT && !isSpace(bytes[i])) i++;
    return i > at ? i : -1;
  }
  let depth = 0;
  for (let i = at; i < bytes.length;) {
    const byte = bytes[i]!;
    if (byte === QUOTE) {
      i = skipString(bytes, i);
      if (i < 0) return -1;
      continue;
    }
    if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
    else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

function skipSpace(bytes: Uint8Array, at: number): number {
  // Most calls find no space at all: one comparison then.
  for (let byte = bytes[at]!; byte <= 0x20 && isSpace(byte); byte = bytes[++at]!);
  return at;
}

const text = (bytes: Buffer, start: number, end: number) => bytes.toString('utf8', start, end);

/** Thrown when the bytes are not valid JSON: the caller falls back to JSON.parse, which reports it as before. */
class NotJson extends Error {}
const notJson = (): never => {
  throw new NotJson();
};

const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39;
const isHex = (byte: number | undefined) =>
  byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));
const ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

/** The index after the valid JSON string at `at` (JSON.parse's grammar: no raw control characters, known escapes). */
function validString(bytes: Uint8Array, at: number): number {
  if (bytes[at] !== QUOTE) notJson();
  const length = bytes.length;
  for (let i = at + 1; i < length;) {
    const byte = bytes[i]!;
    // Letters, digits and most punctuation (everything above the quote but the backslash): one or two comparisons.
    if (byte > QUOTE ? byte !== BACKSLASH : byte >= 0x20 && byte !== QUOTE) {
      i++;
      continue;
    }
    if (byte === QUOTE) return i + 1;
    if (byte !== BACKSLASH) notJson();
    const escaped = bytes[i + 1];
    if (escaped === 0x75) {
      if (!isHex(bytes[i + 2]) || !isHex(bytes[i + 3]) || !isHex(bytes[i + 4]) || !isHex(bytes[i + 5])) notJson();
      i += 6;
    } else if (escaped !== undefined && ESCAPES.has(escaped)) i += 2;
    else notJson();
  }
  return notJson();
}

const LITERALS = [Buffer.from('true'), Buffer.from('false'), Buffer.from('null')];

/** Whether `word` is at `at`, compared in place (a subarray per literal was most of what reading a ZTA answer allocated). */
function hasAt(bytes: Buffer, at: number, word: Buffer): boolean {
  if (at + word.length > bytes.length) return false;
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word[i]) return false;
  return true;
}

/** The index after the valid JSON value at `at`, read without building it; throws NotJson where JSON.parse would throw. */
function validValue(bytes: Buffer, at: number): number {
  const first = bytes[at];
  if (first === QUOTE) return validString(bytes, at);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    const object = first === OPEN_OBJECT;
    let i = skipSpace(bytes, at + 1);
    if (bytes[i] === (object ? CLOSE_OBJECT : CLOSE_ARRAY)) return i + 1;
    for (;;) {
      if (object) {
        i = skipSpace(bytes, validString(bytes, i));
        if (bytes[i] !== COLON) notJson();
        i = skipSpace(bytes, i + 1);
      }
      i = skipSpace(bytes, validValue(bytes, i));
      if (bytes[i] === (object ? CLOSE_OBJECT : CLOSE_ARRAY)) return i + 1;
      if (bytes[i] !== COMMA) notJson();
      i = skipSpace(bytes, i + 1);
    }
  }
  for (const literal of LITERALS) if (first === literal[0]) return hasAt(bytes, at, literal) ? at + literal.length : notJson();
  // A number: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
  let i = at;
  if (bytes[i] === 0x2d) i++;
  if (bytes[i] === 0x30) i++;
  else if (isDigit(bytes[i])) while (isDigit(bytes[i])) i++;
  else notJson();
  if (bytes[i] === 0x2e) {
    i++;
    if (!isDigit(bytes[i])) notJson();
    while (isDigit(bytes[i])) i++;
  }
  if (bytes[i] === 0x65 || bytes[i] === 0x45) {
    i++;
    if (bytes[i] === 0x2b || bytes[i] === 0x2d) i++;
    if (!isDigit(bytes[i])) notJson();
    while (isDigit(bytes[i])) i++;
  }
  return i;
}

/** The fields a record keeps, as a set (for a key spelled with escapes) and as UTF-8 bytes (compared in place). */
interface Fields {
  names: ReadonlySet<string>;
  bytes: readonly Buffer[];
}
const fieldsOf = new WeakMap<readonly string[], Fields>();
function keptFields(fields: readonly string[]): Fields {
  let kept = fieldsOf.get(fields);
  if (!kept) fieldsOf.set(fields, (kept = { names: new Set(fields), bytes: fields.map((name) => Buffer.from(name, 'utf8')) }));
  return kept;
}

/** Whether the key whose quotes are at `start` and `end - 1` is one of `fields`, read without making a string of it. */
function isKept(bytes: Buffer, start: number, end: number, fields: Fields): boolean {
  for (let i = start + 1; i < end - 1; i++) if (bytes[i] === BACKSLASH) return fields.names.has(JSON.parse(text(bytes, start, end)) as string);
  const length = end - start - 2;
  for (const name of fields.bytes) if (name.length === length && hasAt(bytes, start + 1, name)) return true;
  return false;
}

/** Where readFields gathers a record's kept members (reused: reading is synchronous); starts with the `{`. */
let cut = Buffer.from('{'.padEnd(1024));

/**
 * The object at `at` with only `fields`, and the index after it: the other members are checked (so a malformed record
 * still fails as JSON.parse would fail) but never built, nor their keys. Same value as JSON.parse of the object cut down
 * to `fields`.
 */
/**
 * Appends bytes[start, end) to `cut` at `length` (after a comma unless first), leaving room for the closing brace; the
 * new length. Short runs are copied by hand: Buffer#copy is a native call, and most members are a few dozen bytes.
 */
function append(bytes: Buffer, start: number, end: number, length: number): number {
  const room = length + (end - start) + 2;
  if (cut.length < room) cut = Buffer.concat([cut.subarray(0, length)], Math.max(room, 2 * cut.length));
  if (length > 1) cut[length++] = COMMA;
  if (end - start > 64) return length + bytes.copy(cut, length, start, end);
  for (let i = start; i < end; i++) cut[length++] = bytes[i]!;
  return length;
}

function readFields(bytes: Buffer, at: number, fields: Fields): { value: unknown; end: number } {
  // Kept members are gathered into `cut` ({"k":v,"k":v}) only once one is dropped: until then the record's own bytes are
  // the kept ones (a combined page asked for these fields alone drops nothing and is never copied), and at the first
  // dropped member they are copied in one run. One string and one JSON.parse per record, nothing per member.
  let length = 1;
  let dropped = false;
  /** Where the members read so far end, while none was dropped. */
  let keptEnd = -1;
  let i = skipSpace(bytes, at + 1);
  if (bytes[i] !== CLOSE_OBJECT)
    for (;;) {
      const keyStart = i;
      const keyEnd = validString(bytes, i);
      i = skipSpace(bytes, keyEnd);
      if (bytes[i] !== COLON) notJson();
      const valueStart = skipSpace(bytes, i + 1);
      const valueEnd = validValue(bytes, valueStart);
      if (isKept(bytes, keyStart, keyEnd, fields)) {
        if (!dropped) keptEnd = valueEnd;
        // The key, the colon and the value as sent (spaces between them are still JSON).
        else length = append(bytes, keyStart, valueEnd, length);
      } else if (!dropped) {
        dropped = true;
        if (keptEnd >= 0) length = append(bytes, skipSpace(bytes, at + 1), keptEnd, length);
      }
      i = skipSpace(bytes, valueEnd);
      if (bytes[i] === CLOSE_OBJECT) break;
      if (bytes[i] !== COMMA) notJson();
      i = skipSpace(bytes, i + 1);
    }
  // A record with nothing to drop (a combined page asked for these fields alone) is parsed as it stands.
  if (!dropped) return { value: JSON.parse(text(bytes, at, i + 1)), end: i + 1 };
  cut[length++] = CLOSE_OBJECT;
  return { value: JSON.parse(cut.toString('utf8', 0, length)), end: i + 1 };
}
/** Whether every member of the parsed record is one of `fields`. */
function keepsAll(record: Record<string, unknown>, fields: Fields): boolean {
  for (const key in record) if (!fields.names.has(key)) return false;
  return true;
}

/** The elements of the array whose `[` is at `at`, each parsed on its own, and the index after its `]`; undefined if unsure. */
function readArray(bytes: Buffer, at: number, fields: Fields | undefined): { items: unknown[]; end: number } | undefined {
  const items: unknown[] = [];
  /**
   * Whether records of this answer hold members to drop. Until one does (a combined page asked for the kept fields
   * alone), each record is parsed whole, JSON.parse checking it, and only its keys are looked at; from the first that
   * does (a ZTA answer's signal detail), the rest are cut member by member.
   */
  let cutting = false;
  let i = skipSpace(bytes, at + 1);
  if (bytes[i] === CLOSE_ARRAY) return { items, end: i + 1 };
  for (;;) {
    let end: number;
    if (fields && cutting && bytes[i] === OPEN_OBJECT) {
      const record = readFields(bytes, i, fields);
      items.push(record.value);
      end = record.end;
    } else {
      end = skipValue(bytes, i);
      if (end < 0) return undefined;
      const value: unknown = JSON.parse(text(bytes, i, end));
      if (fields && bytes[i] === OPEN_OBJECT && !keepsAll(value as Record<string, unknown>, fields)) {
        cutting = true;
        items.push(readFields(bytes, i, fields).value);
      } else items.push(value);
    }
    i = skipSpace(bytes, end);
    if (bytes[i] === CLOSE_ARRAY) return { items, end: i + 1 };
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
}

/**
 * JSON.parse(bytes.toString('utf8')) for an object with a `key` array (Falcon's `resources`, SentinelOne's `data`), that
 * array's records parsed one by one.
 * With `fields`, each record that is an object keeps those members alone: for a schema that strips unknown keys
 * (z.object) that reads the same, and the rest of the record (a ZTA record's signal detail, four fifths of its bytes;
 * a details answer's ~50 host fields) is checked but never built. Undefined when the body is anything else (or not
 * valid JSON): the caller then parses the whole text, which also gives the usual error for a malformed body.
 */
export function parseRecordsEnvelope(bytes: Buffer, fields?: readonly string[], key = 'resources'): Record<string, unknown> | undefined {
  const kept = fields && keptFields(fields);
  try {
    let i = skipSpace(bytes, 0);
    if (bytes[i] !== OPEN_OBJECT) return undefined;
    i = skipSpace(bytes, i + 1);
    let records: { start: number; end: number; items: unknown[] } | undefined;
    if (bytes[i] !== CLOSE_OBJECT)
      for (;;) {
        if (bytes[i] !== QUOTE) return undefined;
        const keyEnd = skipString(bytes, i);
        if (keyEnd < 0) return undefined;
        // An escaped key might spell the records' key another way: leave such a body to JSON.parse.
        if (bytes.subarray(i, keyEnd).includes(BACKSLASH)) return undefined;
        const member = text(bytes, i + 1, keyEnd - 1);
        i = skipSpace(bytes, keyEnd);
        if (bytes[i] !== COLON) return undefined;
        i = skipSpace(bytes, i + 1);
        if (member === key) {
          // A repeated key: JSON.parse keeps the last; not worth mirroring.
          if (records || bytes[i] !== OPEN_ARRAY) return undefined;
          const array = readArray(bytes, i, kept);
          if (!array) return undefined;
          records = { start: i, end: array.end, items: array.items };
          i = array.end;
        } else {
          const end = skipValue(bytes, i);
          if (end < 0) return undefined;
          i = end;
        }
        i = skipSpace(bytes, i);
        if (bytes[i] === CLOSE_OBJECT) break;
        if (bytes[i] !== COMMA) return undefined;
        i = skipSpace(bytes, i + 1);
      }
    if (!records) return undefined;
    // The rest of the body (meta, errors) as it stands, with an empty array in the records' place: JSON.parse checks
    // all of it, trailing bytes included.
    const envelope = JSON.parse(text(bytes, 0, records.start) + '[]' + text(bytes, records.end, bytes.length)) as Record<string, unknown>;
    envelope[key] = records.items;
    return envelope;
  } catch {
    return undefined;
  }
}

/**
 * The value of the top-level member `key` of the JSON object these bytes begin, read without reading the members
 * after it (a list answer's `meta` ahead of its records); undefined when it is not there, when a member before it
 * runs past the bytes given (the first chunk of a longer answer), or when its value is not valid JSON.
 */
export function leadingMember(bytes: Uint8Array, key: string): unknown {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    let i = skipSpace(buffer, 0);
    if (buffer[i] !== OPEN_OBJECT) return undefined;
    i = skipSpace(buffer, i + 1);
    for (;;) {
      if (buffer[i] !== QUOTE) return undefined;
      const keyEnd = skipString(buffer, i);
      if (keyEnd < 0) return undefined;
      const member = JSON.parse(text(buffer, i, keyEnd)) as string;
      i = skipSpace(buffer, keyEnd);
      if (buffer[i] !== COLON) return undefined;
      const start = skipSpace(buffer, i + 1);
      const end = skipValue(buffer, start);
      if (end < 0) return undefined;
      if (member === key) return JSON.parse(text(buffer, start, end));
      i = skipSpace(buffer, end);
      if (buffer[i] !== COMMA) return undefined;
      i = skipSpace(buffer, i + 1);
    }
  } catch {
    return undefined;
  }
}
