// Which sources each device of the current match is present in, as bit masks computed once per match: a coverage
// query then scans small typed arrays instead of the devices' records, and the records are never copied.
import type { CoverageReason } from '../../../src-shared/schemas/coverage';
import type { PostureDevice } from '../../../src-shared/schemas/posture';
import type { Match } from '../posture/match';

/** Sources beyond this share the last bit's fate: coverage is shown for the first 31. */
export const MAX_SOURCES = 31;

export interface PresenceIndex {
  readonly match: Match;
  /** Source provider ids with a snapshot, in the match's order; bit i stands for sourceIds[i]. */
  readonly sourceIds: readonly string[];
  readonly devices: readonly PostureDevice[];
  /** Per device: the sources it has a record in. */
  readonly present: Uint32Array;
  /** Per device: the sources only a MAC address or hostname links it to. */
  readonly possible: Uint32Array;
  bitOf(providerId: string): number | undefined;
}

const cache = new WeakMap<Match, PresenceIndex>();

/** The index of a match; a match never changes, so it is built once (the inventory makes a new match per poll). */
export function presenceOf(match: Match): PresenceIndex {
  let index = cache.get(match);
  if (!index) {
    index = buildIndex(match);
    cache.set(match, index);
  }
  return index;
}

function buildIndex(match: Match): PresenceIndex {
  const sourceIds = match.snapshots.slice(0, MAX_SOURCES).map((s) => s.providerId);
  const bits = new Map(sourceIds.map((id, i) => [id, i]));
  const devices = match.devices;
  const present = new Uint32Array(devices.length);
  const possible = new Uint32Array(devices.length);
  for (let d = 0; d < devices.length; d++) {
    const device = devices[d]!;
    let mask = 0;
    for (const r of device.records) {
      const bit = bits.get(r.observation.providerId);
      if (bit !== undefined) mask |= 1 << bit;
    }
    present[d] = mask >>> 0;
    let maybe = 0;
    for (const p of device.possibleMatches) {
      const bit = bits.get(p.providerId);
      if (bit !== undefined) maybe |= 1 << bit;
    }
    possible[d] = maybe >>> 0;
  }
  return { match, sourceIds, devices, present, possible, bitOf: (id) => bits.get(id) };
}

const SERIAL_REASON = { missing: 'missing_serial', junk: 'junk_serial', duplicate: 'duplicate_serial' } as const;

/** Why device `d` of the index is not in the source at `bit`: a weaker link first, then its serial's trust. */
export function reasonAt(index: PresenceIndex, d: number, bit: number): CoverageReason {
  if ((index.possible[d]! >>> bit) & 1) return 'possible_match';
  const status = index.devices[d]!.serialStatus;
  return status === 'valid' ? 'not_found' : SERIAL_REASON[status];
}
