import { describe, expect, it } from 'vitest';
import type { PostureEvaluation } from '../../../src-shared/schemas/posture-log';
import { packedTransfer, packPoll, PIECE_ROWS, unpackRows } from './packed-poll';

function row(i: number, extra: Partial<PostureEvaluation> = {}): PostureEvaluation {
  return {
    checkId: i % 2 === 0 ? 'zta' : 'seen',
    checkName: i % 2 === 0 ? 'ZTA overall ≥ 60' : 'Seen within 24 h',
    deviceKey: `sn:SN${i}`,
    deviceName: `host-${i}`,
    serial: `SN${i}`,
    serialKey: i % 7 === 0 ? null : i % 5 === 0 ? `other-${i}` : `SN${i}`,
    platform: i % 3 === 0 ? null : 'windows',
    result: i % 4 === 0 ? 'fail' : 'pass',
    expected: '>= 60',
    received: i % 11 === 0 ? null : String(i % 100),
    reason: i % 13 === 0 ? '' : `Reason for ${i} — fine.`,
    ...extra,
  };
}

describe('packed polls', () => {
  const header = { pollId: 'p1', providerId: 'falcon', evaluatedAt: 1 };

  it('carries rows across several pieces exactly, a lone surrogate and a leading byte-order mark included', () => {
    const rows = Array.from({ length: 2 * PIECE_ROWS + 17 }, (_, i) => row(i));
    // A piece that starts with U+FEFF (a decoder's default would drop it), and one whose text is not well-formed UTF-16.
    rows[PIECE_ROWS] = row(PIECE_ROWS, { checkId: '\uFEFFzta' });
    rows[PIECE_ROWS + 5] = row(PIECE_ROWS + 5, { deviceName: 'bad \uD800 name', reason: 'emoji 🙂 kept' });
    const packed = packPoll({ ...header, rows });

    expect(packed.pieces).toHaveLength(3);
    expect(packed.pieces.map((p) => typeof p)).toEqual(['object', 'string', 'object']);
    expect(unpackRows(packed)).toEqual(rows);
  });

  it('hands its buffers to another thread instead of copying them, and the rows arrive whole', () => {
    const rows = Array.from({ length: PIECE_ROWS + 3 }, (_, i) => row(i));
    const packed = packPoll({ ...header, rows });
    const transfer = packedTransfer(packed);
    expect(transfer).toHaveLength(3);
    const arrived = structuredClone(packed, { transfer });
    // The sender's copies are gone (moved, not copied).
    expect(packed.lengths.length).toBe(0);
    expect(unpackRows(arrived)).toEqual(rows);
  });

  it('packs an empty poll as no pieces', () => {
    const packed = packPoll({ ...header, rows: [] });
    expect(packed.pieces).toEqual([]);
    expect(unpackRows(packed)).toEqual([]);
  });
});
