// Reads a Falcon list answer ({meta, resources: [...], errors}) from its bytes one record at a time. A full page
// read as one string is a single large object (a 10,000-host page is 2.5 MB, a ZTA answer of 100 records 250 KB)
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
  while (isSpace(bytes[at])) at++;
  return at;
}

const text = (bytes: Buffer, start: number, end: number) => bytes.toString('utf8', start, end);

/** The elements of the array whose `[` is at `at`, each parsed on its own, and the index after its `]`; undefined if unsure. */
function readArray(bytes: Buffer, at: number): { items: unknown[]; end: number } | undefined {
  const items: unknown[] = [];
  let i = skipSpace(bytes, at + 1);
  if (bytes[i] === CLOSE_ARRAY) return { items, end: i + 1 };
  for (;;) {
    const end = skipValue(bytes, i);
    if (end < 0) return undefined;
    items.push(JSON.parse(text(bytes, i, end)));
    i = skipSpace(bytes, end);
    if (bytes[i] === CLOSE_ARRAY) return { items, end: i + 1 };
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
}

/**
 * JSON.parse(bytes.toString('utf8')) for an object with a `resources` array, that array's records parsed one by one.
 * Undefined when the body is anything else (or not valid JSON): the caller then parses the whole text, which also
 * gives the usual error for a malformed body.
 */
export function parseRecordsEnvelope(bytes: Buffer): Record<string, unknown> | undefined {
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
        // An escaped key might spell "resources" another way: leave such a body to JSON.parse.
        if (bytes.subarray(i, keyEnd).includes(BACKSLASH)) return undefined;
        const key = text(bytes, i + 1, keyEnd - 1);
        i = skipSpace(bytes, keyEnd);
        if (bytes[i] !== COLON) return undefined;
        i = skipSpace(bytes, i + 1);
        if (key === 'resources') {
          // A repeated key: JSON.parse keeps the last; not worth mirroring.
          if (records || bytes[i] !== OPEN_ARRAY) return undefined;
          const array = readArray(bytes, i);
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
    envelope.resources = records.items;
    return envelope;
  } catch {
    return undefined;
  }
}
