// A growable byte buffer that hands out its contents as chunks with their own ArrayBuffer, so a worker can
// transfer them to another thread instead of copying.

const INITIAL_BYTES = 1 << 20;

export type ByteChunks = {
  /** Bytes written since the last `take`. */
  readonly size: number;
  bytes(value: Uint8Array): void;
  text(value: string): void;
  /** The bytes up to `end` (default: all) as a chunk; anything after `end` starts the next chunk. */
  take(end?: number): Uint8Array;
};

export function createByteChunks(): ByteChunks {
  let buf = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  let pos = 0;
  const reserve = (more: number) => {
    if (pos + more <= buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(buf.length * 2, pos + more));
    buf.copy(bigger, 0, 0, pos);
    buf = bigger;
  };
  return {
    get size() {
      return pos;
    },
    bytes(value) {
      reserve(value.length);
      buf.set(value, pos);
      pos += value.length;
    },
    text(value) {
      // UTF-8 needs at most 3 bytes per UTF-16 code unit.
      reserve(value.length * 3);
      pos += buf.write(value, pos);
    },
    take(end = pos) {
      const chunk = buf.subarray(0, end);
      const rest = buf.subarray(end, pos);
      buf = Buffer.allocUnsafeSlow(Math.max(INITIAL_BYTES, rest.length));
      buf.set(rest, 0);
      pos = rest.length;
      return chunk;
    },
  };
}
