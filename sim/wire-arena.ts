// Records' wire JSON kept as UTF-8 bytes in a few large Buffers, indexed by record number: serving a batch
// copies byte ranges into one reply Buffer, with no string joins, no encoding and no per-record heap objects.
import { Prerendered } from './http';

/** Bytes per chunk; a record longer than this gets a chunk of its own. */
const CHUNK_BYTES = 16 * 2 ** 20;

export class WireArena {
  private readonly chunks: Buffer[] = [];
  private used = 0;
  /** Per record: chunk index, start within it, and byte length (-1 when not rendered or dropped). */
  private readonly chunkOf: Int32Array;
  private readonly startOf: Int32Array;
  private readonly lengthOf: Int32Array;

  constructor(
    records: number,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {
    this.chunkOf = new Int32Array(records);
    this.startOf = new Int32Array(records);
    this.lengthOf = new Int32Array(records).fill(-1);
  }

  /** The record's bytes, or undefined when it has not been stored (or was dropped). */
  get(i: number): Prerendered | undefined {
    const length = this.lengthOf[i] ?? -1;
    if (length < 0) return undefined;
    const chunk = this.chunks[this.chunkOf[i] ?? 0];
    if (!chunk) return undefined;
    const start = this.startOf[i] ?? 0;
    return new Prerendered(chunk, start, start + length);
  }

  /** Stores the record's JSON (appended; a previous copy is left behind unused) and returns its bytes. */
  set(i: number, json: string): Prerendered {
    // Each record is followed by a comma, so a run of adjacent records is one JSON list slice.
    const length = Buffer.byteLength(json);
    if (this.used + length + 1 > (this.chunks.at(-1)?.length ?? 0)) {
      this.chunks.push(Buffer.allocUnsafeSlow(Math.max(this.chunkBytes, length + 1)));
      this.used = 0;
    }
    const chunkIndex = this.chunks.length - 1;
    const chunk = this.chunks[chunkIndex] as Buffer;
    const start = this.used;
    chunk.write(json, start, length, 'utf8');
    chunk[start + length] = 0x2c;
    this.used += length + 1;
    this.chunkOf[i] = chunkIndex;
    this.startOf[i] = start;
    this.lengthOf[i] = length;
    return new Prerendered(chunk, start, start + length);
  }

  /** Forgets the record's bytes (its record changed); the next read renders it again. */
  drop(i: number): void {
    this.lengthOf[i] = -1;
  }
}
