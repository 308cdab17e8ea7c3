// A poll packed for ingest: its texts joined into one string, their lengths in an Int32Array. Structured clone
// copies those two flat on the way to the worker, where 20k row objects would cost it 200k small strings to
// create (about 20 ms a poll, as much as writing it); ingest compares a row with the series' previous one as
// one slice of the text.
import type { PollEvaluations, PostureEvaluation, PostureResult } from '../../../src-shared/schemas/posture-log';

export type PackedPoll = {
  pollId: string;
  providerId: string;
  evaluatedAt: number;
  /**
   * Per row, the lengths of its fields in the order `packPoll` writes them; -1 stands for null, and a match key
   * equal to the row's serial (the usual case) is not repeated: its length is SAME_AS_SERIAL.
   */
  lengths: Int32Array<ArrayBuffer>;
  text: string;
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

/** Rows packed in this many make one piece of the text; the pieces are joined once at the end. */
const PIECE_ROWS = 1024;

/**
 * Packs rows one at a time as they are evaluated, so a poll never holds a row object per evaluation: only the
 * packed text and lengths grow.
 */
export function createPollPacker(expectedRows = 1024) {
  let lengths = new Int32Array(Math.max(1, expectedRows) * FIELDS);
  let j = 0;
  // Appending to one string and letting the join flatten it beats collecting every field and joining them.
  let piece = '';
  let pieceRows = 0;
  const pieces: string[] = [];
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
        pieces.push(piece);
        piece = '';
        pieceRows = 0;
      }
    },
    get rows(): number {
      return j / FIELDS;
    },
    finish(header: { pollId: string; providerId: string; evaluatedAt: number }): PackedPoll {
      pieces.push(piece);
      const text = pieces.join('');
      return { pollId: header.pollId, providerId: header.providerId, evaluatedAt: header.evaluatedAt, lengths: lengths.slice(0, j), text };
    },
  };
}

/** Every row of a packed poll, as packPoll was given them. */
export function unpackRows(packed: PackedPoll): PostureEvaluation[] {
  const rows: PostureEvaluation[] = [];
  let offset = 0;
  for (let j = 0; j < packed.lengths.length; j += FIELDS) {
    rows.push(unpackRow(packed, j, offset));
    for (let k = j; k < j + FIELDS; k++) if (packed.lengths[k]! > 0) offset += packed.lengths[k]!;
  }
  return rows;
}

/**
 * The row whose lengths start at `j` and whose text starts at `offset`. Its strings are slices of the
 * packed text: whatever outlives the poll must be `detach`ed first, or it keeps the whole text alive.
 */
export function unpackRow({ lengths, text }: PackedPoll, j: number, offset: number): PostureEvaluation {
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
