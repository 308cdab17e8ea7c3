// Coverage gaps over the current match: per ordered pair of sources the count of devices present in one and
// missing from the other (by reason), and the filtered list of those devices with the match explanation for each.
import { ContractError } from '../../../src-shared/errors';
import type {
  CoverageFilter,
  CoverageItem,
  CoveragePage,
  CoveragePair,
  CoverageQuery,
  CoverageReason,
  CoverageSource,
  CoverageSummary,
} from '../../../src-shared/schemas/coverage';
import type { ProviderKind } from '../../../src-shared/schemas/providers';
import type { Inventory } from '../posture/current-inventory';
import { explainDevice } from '../posture/match';
import { presenceOf, reasonAt, type PresenceIndex } from './presence';

/** A posture source by its connection: id, display name, kind. */
export type SourceInfo = { providerId: string; name: string; kind: ProviderKind };

export interface CoverageDeps {
  inventory: Inventory;
  /** Every posture provider, in the order screens list them. */
  sources: () => readonly SourceInfo[];
}

/** A chosen set of devices: positions in the index, and for each the source its reason is about. */
export interface CoverageSelection {
  index: PresenceIndex;
  rows: Int32Array;
  reasonBits: Uint8Array;
  platforms: string[];
}

const REASONS: readonly CoverageReason[] = ['not_found', 'possible_match', 'missing_serial', 'junk_serial', 'duplicate_serial'];

const lowestBit = (n: number) => 31 - Math.clz32(n & -n);

const pairCountsCache = new WeakMap<PresenceIndex, Uint32Array>();

/** counts[((a * k) + b) * R + reason]: devices in source a, missing from b, for that reason. One pass per match. */
function pairCounts(index: PresenceIndex): Uint32Array {
  const cached = pairCountsCache.get(index);
  if (cached) return cached;
  const k = index.sourceIds.length;
  const R = REASONS.length;
  const reasonIndex = new Map(REASONS.map((r, i) => [r, i]));
  const counts = new Uint32Array(k * k * R);
  const all = k === 0 ? 0 : (2 ** k - 1) >>> 0;
  for (let d = 0; d < index.devices.length; d++) {
    const present = index.present[d]!;
    let missing = (~present & all) >>> 0;
    if (present === 0 || missing === 0) continue;
    while (missing !== 0) {
      const b = lowestBit(missing);
      missing = (missing & (missing - 1)) >>> 0;
      const r = reasonIndex.get(reasonAt(index, d, b))!;
      for (let a = 0; a < k; a++) if ((present >>> a) & 1) counts[(a * k + b) * R + r]!++;
    }
  }
  pairCountsCache.set(index, counts);
  return counts;
}

export function createCoverage(deps: CoverageDeps) {
  const index = () => presenceOf(deps.inventory.match());

  function summary(): CoverageSummary {
    const idx = index();
    const k = idx.sourceIds.length;
    const R = REASONS.length;
    const counts = pairCounts(idx);
    const perSource = new Uint32Array(k);
    for (const mask of idx.present) for (let v = mask; v !== 0; v &= v - 1) perSource[lowestBit(v)]!++;
    const sources: CoverageSource[] = deps.sources().map((s) => {
      const bit = idx.bitOf(s.providerId);
      return {
        providerId: s.providerId,
        name: s.name,
        kind: s.kind,
        fetchedAt: deps.inventory.snapshot(s.providerId)?.fetchedAt ?? null,
        devices: bit === undefined ? 0 : perSource[bit]!,
      };
    });
    const pairs: CoveragePair[] = [];
    const listed = sources.filter((s) => idx.bitOf(s.providerId) !== undefined);
    for (const a of listed)
      for (const b of listed) {
        if (a === b) continue;
        const base = (idx.bitOf(a.providerId)! * k + idx.bitOf(b.providerId)!) * R;
        const byReason: CoveragePair['byReason'] = {};
        let count = 0;
        REASONS.forEach((reason, r) => {
          const n = counts[base + r]!;
          if (n > 0) byReason[reason] = n;
          count += n;
        });
        pairs.push({ presentIn: a.providerId, missingFrom: b.providerId, count, byReason });
      }
    return { sources, pairs, devices: idx.devices.length };
  }

  /** The bit of a source the filter names; an unknown source, or one without data, is an admin error. */
  function bitOf(idx: PresenceIndex, providerId: string | undefined, field: 'presentIn' | 'missingFrom'): number | undefined {
    if (providerId === undefined) return undefined;
    const bit = idx.bitOf(providerId);
    if (bit !== undefined) return bit;
    const source = deps.sources().find((s) => s.providerId === providerId);
    if (!source)
      throw new ContractError({
        code: 'coverage.unknown_source',
        message: 'That source is not a posture provider of this console.',
        fix: 'Choose a source from the coverage matrix, or reload the page.',
        issues: [{ path: field, message: 'Unknown posture source.' }],
      });
    throw new ContractError({
      code: 'coverage.no_data',
      message: `${source.name} has no successful poll yet, so which devices it reports is not known.`,
      fix: `Poll ${source.name} now from the Dashboard, or run its Test on Providers to see why polls fail.`,
      issues: [{ path: field, message: `${source.name} has no data yet.` }],
    });
  }

  /** The devices a filter names, in the match's order (the snapshot a page or an export reads). */
  function select(filter: CoverageFilter): CoverageSelection {
    const idx = index();
    const k = idx.sourceIds.length;
    const all = k === 0 ? 0 : (2 ** k - 1) >>> 0;
    const a = bitOf(idx, filter.presentIn, 'presentIn');
    const b = bitOf(idx, filter.missingFrom, 'missingFrom');
    const reasons = filter.reasons && filter.reasons.length > 0 ? new Set(filter.reasons) : null;
    const platform = filter.platform?.toLowerCase() || null;
    const text = filter.text?.toLowerCase() || null;
    const rows: number[] = [];
    const reasonBits: number[] = [];
    const platforms = new Set<string>();
    for (let d = 0; d < idx.devices.length; d++) {
      const present = idx.present[d]!;
      if (present === 0) continue;
      if (a !== undefined && !((present >>> a) & 1)) continue;
      const missing = (~present & all) >>> 0;
      if (b !== undefined ? (present >>> b) & 1 : missing === 0) continue;
      const bit = b ?? lowestBit(missing);
      if (reasons && !reasons.has(reasonAt(idx, d, bit))) continue;
      const device = idx.devices[d]!;
      if (text && !(device.hostname?.toLowerCase().includes(text) || device.serial?.toLowerCase().includes(text) || device.key.toLowerCase().includes(text)))
        continue;
      if (device.platform) platforms.add(device.platform);
      if (platform && device.platform?.toLowerCase() !== platform) continue;
      rows.push(d);
      reasonBits.push(bit);
    }
    return { index: idx, rows: Int32Array.from(rows), reasonBits: Uint8Array.from(reasonBits), platforms: [...platforms].sort() };
  }

  /** One selected device as a list item, with the match explanation for the source it is missing from. */
  function itemAt(selection: CoverageSelection, i: number): CoverageItem {
    const { index: idx } = selection;
    const d = selection.rows[i]!;
    const bit = selection.reasonBits[i]!;
    const device = idx.devices[d]!;
    const present = idx.present[d]!;
    const missingFromId = idx.sourceIds[bit]!;
    const explanation = explainDevice(device, idx.match);
    return {
      key: device.key,
      hostname: device.hostname,
      serial: device.serial,
      serialStatus: device.serialStatus,
      platform: device.platform,
      presentIn: idx.sourceIds.filter((_, s) => (present >>> s) & 1),
      missingFrom: idx.sourceIds.filter((_, s) => !((present >>> s) & 1)),
      reason: reasonAt(idx, d, bit),
      why: explanation.providers.find((p) => p.providerId === missingFromId)?.detail ?? '',
    };
  }

  // Scrolling asks for page after page of one filter: its selection is kept until the filter or the match changes.
  let last: { index: PresenceIndex; key: string; selection: CoverageSelection } | null = null;
  function selectCached(filter: CoverageFilter): CoverageSelection {
    const idx = index();
    const key = JSON.stringify(filter);
    if (last?.index !== idx || last.key !== key) last = { index: idx, key, selection: select(filter) };
    return last.selection;
  }

  function query(q: CoverageQuery): CoveragePage {
    const selection = selectCached(q.filter);
    const end = Math.min(selection.rows.length, q.offset + q.limit);
    const items: CoverageItem[] = [];
    for (let i = q.offset; i < end; i++) items.push(itemAt(selection, i));
    return { items, total: selection.rows.length, platforms: selection.platforms };
  }

  return { summary, select, itemAt, query };
}

export type Coverage = ReturnType<typeof createCoverage>;
