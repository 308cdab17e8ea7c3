// A poll packed for ingest: its texts joined into pieces of PIECE_ROWS rows, their lengths in an Int32Array. Structured
// clone copies those flat on the way to the worker, where 20k row objects would cost it 200k small strings to create
// (about 20 ms a poll, as much as writing it); ingest compares a row with the series' previous one as one slice of
// its piece's text. Each piece is encoded to UTF-8 as soon as it is full, so the main thread never joins (or copies)
// a whole poll's text at once: a 100k-device poll is ~40 MB of text, and flattening it in one go held the event loop
// for a third of a second. The pieces' buffers are transferred to the worker, which decodes one piece at a time.
import type { PollEvaluations, PostureEvaluation, PostureResult } from '../../../src-shared/schemas/posture-log';

/**
 * A piece of the text: UTF-8 bytes, or the text itself when it is not well-formed UTF-16 (a lone surrogate from a
 * provider's JSON), which bytes could not carry exactly.
 */
export type PackedPiece = Uint8Array<ArrayBuffer> | string;

export type PackedPoll = {
  pollId: string;
  providerId: string;
  evaluatedAt: number;
  /**
   * Per row, the lengths (UTF-16 code units) of its fields in the order `packPoll` writes them; -1 stands for null,
   * and a match key equal to the row's serial (the usual case) is not repeated: its length is SAME_AS_SERIAL.
   */
  lengths: Int32Array<ArrayBuffer>;
  /** The rows' texts, PIECE_ROWS rows a piece (the last may hold fewer); a row never spans two pieces. */
  pieces: PackedPiece[];
};

/** Per row: check id and name, match key, device key, then the tail ingest compares (device name … reason). */
export const FIELDS = 11;
/** The match-key length that means "the serial's text": most providers report serials already in normal form. */
export const SAME_AS_SERIAL = -2;

export function packPoll(poll: PollEvaluations): PackedPoll {
  const packer = createPollPacker(poll.rows.length);
  for (const row of poll.rows) packer.add(row);
  return packer.finish(poll);
}

/**
 * Rows a piece of the text holds: ~50 KB. A piece's flattened text is made and dropped at once; under V8's 128 KB
 * limit for ordinary objects it dies in the young generation, where a ~200 KB piece went straight to the old one
 * (~70 MB of old-generation garbage over a 178k-device fleet's two polls, on either side of the store worker).
 */
export const PIECE_ROWS = 256;

const encoder = new TextEncoder();
// ignoreBOM: a piece that starts with U+FEFF keeps it (the default decoder would drop it and shift every offset).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** A full piece's text as it travels: flattened and encoded now, while the poll still evaluates in slices. */
function seal(text: string): PackedPiece {
  return text.isWellFormed() ? encoder.encode(text) : text;
}

/** The text of piece `i`. */
export function pieceText(packed: PackedPoll, i: number): string {
  const piece = packed.pieces[i]!;
  return typeof piece === 'string' ? piece : decoder.decode(piece);
}

/** What `postMessage` may hand over instead of copying: the lengths and every encoded piece. */
export function packedTransfer(packed: PackedPoll): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [packed.lengths.buffer];
  for (const piece of packed.pieces) if (typeof piece !== 'string') buffers.push(piece.buffer);
  return buffers;
}

/**
 * Packs rows one at a time as they are evaluated, so a poll never holds a row object per evaluation: only the
 * packed text and lengths grow.
 */
export function createPollPacker(expectedRows = 1024) {
  let lengths = new Int32Array(Math.max(1, expectedRows) * FIELDS);
  let j = 0;
  // Appending to one string and letting the encoder flatten it beats collecting every field and joining them.
  let piece = '';
  let pieceRows = 0;
  const pieces: PackedPiece[] = [];
  const put = (value: string | null) => {
    if (value === null) lengths[j++] = -1;
    else {
      lengths[j++] = value.length;
      piece += value;
    }
  };
  return {
    add(row: PostureEvaluation): void {
      if (j + FIELDS > lengths.length) {
        const grown = new Int32Array(lengths.length * 2);
        grown.set(lengths);
        lengths = grown;
      }
      put(row.checkId);
      put(row.checkName);
      if (row.serialKey !== null && row.serialKey === row.serial) lengths[j++] = SAME_AS_SERIAL;
      else put(row.serialKey);
      put(row.deviceKey);
      put(row.deviceName);
      put(row.serial);
      put(row.platform);
      put(row.result);
      put(row.expected);
      put(row.received);
      put(row.reason);
      if (++pieceRows === PIECE_ROWS) {
        pieces.push(seal(piece));
        piece = '';
        pieceRows = 0;
      }
    },
    get rows(): number {
      return j / FIELDS;
    },
    finish(header: { pollId: string; providerId: string; evaluatedAt: number }): PackedPoll {
      if (pieceRows > 0) pieces.push(seal(piece));
      piece = '';
      pieceRows = 0;
      return { pollId: header.pollId, providerId: header.providerId, evaluatedAt: header.evaluatedAt, lengths: lengths.slice(0, j), pieces };
    },
  };
}

/** Every row of a packed poll, as packPoll was given them. */
export function unpackRows(packed: PackedPoll): PostureEvaluation[] {
  const rows: PostureEvaluation[] = [];
  const { lengths } = packed;
  let text = '';
  let offset = 0;
  for (let j = 0, row = 0; j < lengths.length; j += FIELDS, row++) {
    if (row % PIECE_ROWS === 0) {
      text = pieceText(packed, row / PIECE_ROWS);
      offset = 0;
    }
    rows.push(unpackRow(lengths, text, j, offset));
    for (let k = j; k < j + FIELDS; k++) if (lengths[k]! > 0) offset += lengths[k]!;
  }
  return rows;
}

/**
 * The row whose lengths start at `j` and whose text starts at `offset` of its piece's `text`. Its strings are slices
 * of that text: whatever outlives the poll must be `detach`ed first, or it keeps the whole piece alive.
 */
export function unpackRow(lengths: Int32Array, text: string, j: number, offset: number): PostureEvaluation {
  const next = (): string | null => {
    const length = lengths[j++]!;
    if (length < 0) return null;
    offset += length;
    return text.slice(offset - length, offset);
  };
  const checkId = next()!;
  const checkName = next()!;
  const sameAsSerial = lengths[j] === SAME_AS_SERIAL;
  if (sameAsSerial) j++;
  const packedKey = sameAsSerial ? null : next();
  const deviceKey = next()!;
  const deviceName = next()!;
  const serial = next();
  const platform = next();
  const result = next() as PostureResult;
  const serialKey = sameAsSerial ? serial : packedKey;
  return { checkId, checkName, serialKey, deviceKey, deviceName, serial, platform, result, expected: next(), received: next(), reason: next() };
}

/** A copy of `value` that shares no memory with the string it was sliced from. */
export function detach<T extends string | null>(value: T): T {
  // V8 copies slices shorter than 13 characters anyway; JSON.parse builds a fresh string.
  return value === null || value.length < 13 ? value : (JSON.parse(JSON.stringify(value)) as T);
}
