// One inventory across providers, matched by normalized serial. Only a serial that names one machine joins records
// into a device; MAC and hostname links are kept as "possible match" for the Devices view and never trusted by checks.
import type {
  DeviceExplanation,
  DeviceObservation,
  DeviceRecord,
  PossibleMatch,
  PostureDevice,
  PostureProviderKind,
} from '../../../src-shared/schemas/posture';
import type { EvalSubject } from './evaluate';
import { postureSources } from '../../../src-shared/schemas/sources';
import { runSliced, runToEnd, type TimeSlicer } from '../time-slice';
import { normalizeHostname, normalizeMac, normalizeSerial, type SerialVerdict } from './match-keys';

/** One provider's records from its latest successful poll. */
export interface ProviderSnapshot {
  providerId: string;
  kind: PostureProviderKind;
  /** Epoch ms when the records were fetched. */
  fetchedAt: number;
  /** Epoch ms the poll evaluated these records at: what-if reads the same data as of the same time. */
  evaluatedAt: number;
  pollIntervalMs: number;
  observations: readonly DeviceObservation[];
}

export interface Match {
  readonly snapshots: readonly ProviderSnapshot[];
  readonly devices: readonly PostureDevice[];
  readonly byKey: ReadonlyMap<string, PostureDevice>;
  /** The device a record belongs to (superseded records belong to the device of the record kept). */
  deviceOf(providerId: string, recordId: string): PostureDevice | undefined;
  /** deviceOf the `index`-th observation of that provider's snapshot, without a look-up by record id. */
  deviceAt(providerId: string, index: number): PostureDevice | undefined;
}

/**
 * A record while the match is made. Its normalized hostname and MACs are worked out when asked (hostOf, macsOf), not
 * kept: a fleet's worth of them would outlive the young generation and leave the old one tens of MB of garbage a poll.
 * Every field is there from the start, so no entry grows a second store for the ones set later.
 */
type Entry = {
  obs: DeviceObservation;
  /** The normalized serial when it is valid (most records); else null, and `verdict` says why. */
  key: string | null;
  /** Kept only for a serial that is not valid (missing or junk), not a verdict object (40 bytes) for every record. */
  verdict: Exclude<SerialVerdict, { status: 'valid' }> | null;
  /** Set once the entry is placed; superseded entries belong to the device of the record kept. */
  device: PostureDevice | undefined;
  superseded: boolean;
};

/**
 * Most devices have no possible match: they share this one empty list (frozen, so nothing fills it by mistake) instead
 * of an empty array each, which a 100k-device inventory holds for as long as it is current. `link` replaces it.
 */
const NO_POSSIBLE_MATCHES: PossibleMatch[] = Object.freeze([]) as unknown as PossibleMatch[];

/** "CrowdStrike host", "SentinelOne agent": each source names its records (src-shared/schemas/sources). */
const NOUN = Object.fromEntries(Object.values(postureSources).map((s) => [s.kind, s.recordNoun])) as Record<PostureProviderKind, string>;

export const recordNoun = (obs: DeviceObservation) => NOUN[obs.posture.kind];

const nameOf = (obs: DeviceObservation) => obs.hostname ?? obs.recordId;
const hostOf = (e: Entry) => normalizeHostname(e.obs.hostname);
const macsOf = (e: Entry) => e.obs.macs.flatMap((m) => normalizeMac(m) ?? []);
const day = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toISOString().slice(0, 10));

/** Lists at most three names so a reason stays a sentence. */
function names(entries: readonly Entry[]): string {
  const shown = entries.slice(0, 3).map((e) => nameOf(e.obs));
  return entries.length > 3 ? `${shown.join(', ')} and ${entries.length - 3} more` : shown.join(', ');
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Kept first: not decommissioned/uninstalled, then most recently active, then the lowest id (for stable output). */
function preferred(a: Entry, b: Entry): number {
  if (a.obs.retired !== b.obs.retired) return a.obs.retired ? 1 : -1;
  const at = a.obs.lastActivityAt ?? -Infinity;
  const bt = b.obs.lastActivityAt ?? -Infinity;
  if (at !== bt) return bt - at;
  return a.obs.recordId < b.obs.recordId ? -1 : a.obs.recordId > b.obs.recordId ? 1 : 0;
}

type Resolved = { used: Entry; usedNote: string | null; superseded: { entry: Entry; note: string }[] };

/**
 * Several records of one provider with one serial are a reinstall (S1 reference §10) when they share a hostname
 * or at most one of them is still live; the preferred record is kept. Otherwise they are different machines.
 */
function resolveWithinProvider(group: Entry[]): Resolved | null {
  if (group.length === 1) return { used: group[0] as Entry, usedNote: null, superseded: [] };
  const live = group.filter((e) => !e.obs.retired).length;
  const hosts = new Set(group.map(hostOf));
  const sameHost = hosts.size === 1 && !hosts.has(null);
  if (live > 1 && !sameHost) return null;
  const [used, ...rest] = [...group].sort(preferred) as [Entry, ...Entry[]];
  const why = (e: Entry) => `${e.obs.retired ? 'decommissioned or uninstalled, ' : ''}last active ${day(e.obs.lastActivityAt)}`;
  const superseded = rest.map((entry) => ({
    entry,
    note: `Reinstall leftover set aside (${why(entry)}); ${recordNoun(used.obs)} ${used.obs.recordId} is kept.`,
  }));
  const usedNote =
    `Kept ${recordNoun(used.obs)} ${used.obs.recordId} (${why(used)}) over ${rest.length} older record(s) with the same serial: ` +
    'the non-decommissioned, most recently active record wins.';
  return { used, usedNote, superseded };
}

/** Records of different providers with one serial but different hostnames and no MAC in common are different machines. */
function crossProviderConflict(used: readonly Entry[]): [Entry, Entry] | null {
  for (let i = 0; i < used.length; i++)
    for (let j = i + 1; j < used.length; j++) {
      const a = used[i] as Entry;
      const b = used[j] as Entry;
      const aHost = hostOf(a);
      const bHost = hostOf(b);
      if (aHost === null || bHost === null || aHost === bHost) continue;
      const bMacs = macsOf(b);
      if (!macsOf(a).some((m) => bMacs.includes(m))) return [a, b];
    }
  return null;
}

function serialProblemOf(verdict: SerialVerdict): string | null {
  if (verdict.status === 'missing') return 'The device reports no serial number, so it cannot be matched to a user device.';
  if (verdict.status === 'junk')
    return verdict.why === 'repeated'
      ? `Serial "${verdict.raw}" is one character repeated, not a real serial number.`
      : `Serial "${verdict.raw}" is a firmware placeholder, not a real serial number.`;
  return null;
}

/**
 * One string for each value the records of one device share (serial, hostname, user): JSON.parse gave every
 * provider's record its own copy, and the inventory keeps them all. An equal string for an equal one changes nothing
 * a reader can see. Returns the normalized serial, as the first record's own string when that is equal too.
 */
function shareStrings(serial: string, members: readonly Entry[]): string {
  const first = (members[0] as Entry).obs;
  const shared = serial === first.serial ? first.serial : serial;
  for (const { obs } of members) {
    if (obs.serial === shared) obs.serial = shared;
    if (obs === first) continue;
    if (obs.hostname !== null && obs.hostname === first.hostname) obs.hostname = first.hostname;
    if (obs.user && obs.user === first.user) obs.user = first.user;
  }
  return shared;
}

/**
 * A device key as one flat string. `a + b` makes a joined (cons) string that the poll's use of the key flattens in
 * place later (every key of a fleet-scale inventory was found so), leaving the 32-byte join beside its flat copy for
 * as long as the inventory; Array.join writes the flat string at once.
 */
const flatKey = (prefix: string, id: string) => [prefix, id].join('');

export function matchDevices(snapshots: readonly ProviderSnapshot[]): Match {
  return runToEnd(matchSteps(snapshots));
}

/** The same match, computed in slices that leave the event loop free between them (a poll of a large fleet). */
export function matchDevicesSliced(snapshots: readonly ProviderSnapshot[], slicer?: TimeSlicer): Promise<Match> {
  return runSliced(matchSteps(snapshots), slicer);
}

/** The match as steps: it yields after each record or serial group, where a slice of the work may end. */
function* matchSteps(snapshots: readonly ProviderSnapshot[]): Generator<void, Match> {
  const devices: PostureDevice[] = [];
  const byKey = new Map<string, PostureDevice>();
  // A serial's one entry as itself (most serials), a list only for a serial several records share.
  const bySerial = new Map<string, Entry | Entry[]>();
  const unkeyed: Entry[] = [];
  const entries: Entry[] = [];

  const add = (device: PostureDevice, members: readonly Entry[]) => {
    devices.push(device);
    byKey.set(device.key, device);
    for (const e of members) e.device = device;
  };
  // "rec:<providerId>:" made once a provider, not once a record.
  const prefixes = new Map<string, string>();
  const recordKeyPrefix = (providerId: string) => {
    let prefix = prefixes.get(providerId);
    if (prefix === undefined) prefixes.set(providerId, (prefix = `rec:${providerId}:`));
    return prefix;
  };
  const setAside = (list: readonly { entry: Entry }[]) => {
    for (const s of list) s.entry.superseded = true;
  };
  const record = (entry: Entry, role: DeviceRecord['role'], note: string | null): DeviceRecord => ({ observation: entry.obs, role, note });
  /** A device of one record: no trustworthy serial, so no cross-provider join. */
  const single = (
    entry: Entry,
    status: PostureDevice['serialStatus'],
    problem: string | null,
    extra: { entry: Entry; note: string }[] = [],
    role: DeviceRecord['role'] = 'used',
    note: string | null = null,
  ) => {
    const { obs, verdict } = entry;
    const serial = entry.key ?? (verdict?.status === 'junk' ? verdict.raw : null);
    const device: PostureDevice = {
      key: flatKey(recordKeyPrefix(obs.providerId), obs.recordId),
      // The record's own string when equal (see shareStrings).
      serial: serial !== null && serial === obs.serial ? obs.serial : serial,
      serialStatus: status,
      serialProblem: problem,
      hostname: obs.hostname,
      platform: obs.platform,
      records:
        extra.length === 0 ? [record(entry, role, note)] : [record(entry, role, note), ...extra.map((s) => record(s.entry, 'superseded', s.note))].slice(),
      possibleMatches: NO_POSSIBLE_MATCHES,
    };
    setAside(extra);
    add(device, [entry, ...extra.map((s) => s.entry)]);
  };

  for (const snapshot of snapshots)
    for (const obs of snapshot.observations) {
      const verdict = normalizeSerial(obs.serial);
      const key = verdict.status === 'valid' ? verdict.key : null;
      const entry: Entry = { obs, key, verdict: verdict.status === 'valid' ? null : verdict, device: undefined, superseded: false };
      entries.push(entry);
      if (key !== null) {
        const group = bySerial.get(key);
        if (group === undefined) bySerial.set(key, entry);
        else if (Array.isArray(group)) group.push(entry);
        else bySerial.set(key, [group, entry]);
      } else unkeyed.push(entry);
      yield;
    }

  for (const [serial, grouped] of bySerial) {
    yield;
    const group = Array.isArray(grouped) ? grouped : [grouped];
    // Most serials name one record, or one record per provider: no grouping needed.
    const distinctProviders = group.length === 1 || (group.length === 2 && group[0]?.obs.providerId !== group[1]?.obs.providerId);
    const perProvider = distinctProviders ? group.map((e) => [e]) : [...groupBy(group, (e) => e.obs.providerId).values()];
    const resolved = perProvider.map(resolveWithinProvider);
    const ambiguous = perProvider.filter((_, i) => resolved[i] === null);
    const kept = resolved.filter((r): r is Resolved => r !== null);
    const conflict = ambiguous.length === 0 ? crossProviderConflict(kept.map((r) => r.used)) : null;

    if (ambiguous.length === 0 && !conflict) {
      const first = (kept[0] as Resolved).used.obs;
      const members = kept.flatMap((r) => [r.used, ...r.superseded.map((s) => s.entry)]);
      const shared = shareStrings(serial, members);
      const device: PostureDevice = {
        key: flatKey('sn:', shared),
        serial: shared,
        serialStatus: 'valid',
        serialProblem: null,
        hostname: first.hostname,
        platform: first.platform,
        // Exact size (flatMap's result keeps room to grow), as the device keeps it for as long as the inventory.
        records: kept.flatMap((r) => [record(r.used, 'used', r.usedNote), ...r.superseded.map((s) => record(s.entry, 'superseded', s.note))]).slice(),
        possibleMatches: NO_POSSIBLE_MATCHES,
      };
      for (const r of kept) setAside(r.superseded);
      add(device, members);
      continue;
    }

    const problem = conflict
      ? `Serial ${serial} is reported by ${recordNoun(conflict[0].obs)} ${nameOf(conflict[0].obs)} and ${recordNoun(conflict[1].obs)} ${nameOf(conflict[1].obs)}, which have different hostnames and no MAC address in common.`
      : `Serial ${serial} is shared by ${ambiguous.map((g) => `${g.length} ${recordNoun((g[0] as Entry).obs)}s (${names(g)})`).join(' and ')}.`;
    for (const group of ambiguous) for (const entry of group) single(entry, 'duplicate', problem, [], 'duplicate', problem);
    for (const r of kept) single(r.used, 'duplicate', problem, r.superseded, 'duplicate', r.usedNote ? `${problem} ${r.usedNote}` : problem);
  }

  for (const entry of unkeyed) {
    const verdict = entry.verdict ?? { status: 'missing' };
    single(entry, verdict.status === 'missing' ? 'missing' : 'junk', serialProblemOf(verdict));
    yield;
  }

  const standing: Entry[] = [];
  for (const e of entries) {
    if (!e.superseded) standing.push(e);
    yield;
  }
  yield* linkPossibleMatches(standing);

  // Each snapshot's devices in the order of its observations: a pointer a record, where a map by record id cost ~35
  // bytes a record for as long as the inventory (the entries are in snapshot order, one per observation).
  const deviceLists = new Map<string, readonly (PostureDevice | undefined)[]>();
  let at = 0;
  for (const snapshot of snapshots) {
    const list = new Array<PostureDevice | undefined>(snapshot.observations.length);
    for (let i = 0; i < list.length; i++) {
      list[i] = (entries[at++] as Entry).device;
      if (i % 1024 === 1023) yield;
    }
    deviceLists.set(snapshot.providerId, list);
    yield;
  }
  // Look-ups by record id (an alert's host) are rare: each provider's index is made when first asked for.
  const byRecord = new Map<string, Map<string, PostureDevice>>();
  const deviceOf = (providerId: string, recordId: string) => {
    let records = byRecord.get(providerId);
    if (!records) {
      records = new Map();
      const snapshot = snapshots.find((s) => s.providerId === providerId);
      const list = deviceLists.get(providerId);
      if (snapshot && list)
        for (const [i, obs] of snapshot.observations.entries()) {
          const device = list[i];
          if (device) records.set(obs.recordId, device);
        }
      byRecord.set(providerId, records);
    }
    return records.get(recordId);
  };

  return {
    snapshots,
    devices,
    byKey,
    deviceOf,
    deviceAt: (providerId, index) => deviceLists.get(providerId)?.[index],
  };
}

/**
 * For every device without a trustworthy serial: records of other providers with the same MAC, else the same
 * hostname. A key counts only when it is unique within that provider (cloned VMs share MACs, "ubuntu" is no name).
 */
function* linkPossibleMatches(standing: readonly Entry[]): Generator<void, void> {
  const unmatched: Entry[] = [];
  for (const e of standing) {
    if (e.device?.serialStatus !== 'valid') unmatched.push(e);
    yield;
  }
  // Index only the keys someone looks up: a few percent of a large fleet.
  function* index(keysOf: (e: Entry) => readonly (string | null)[]): Generator<void, Map<string, Entry[]>> {
    const map = new Map<string, Entry[]>();
    // A step each, as below: at 100k devices the unmatched alone are thousands of MACs to normalize.
    for (const e of unmatched) {
      for (const key of keysOf(e)) if (key !== null) map.set(key, []);
      yield;
    }
    for (const e of standing) {
      for (const key of keysOf(e)) {
        const list = key === null ? undefined : map.get(key);
        if (list && !list.includes(e)) list.push(e);
      }
      yield;
    }
    return map;
  }
  const byMac = yield* index(macsOf);
  const byHost = yield* index((e) => [hostOf(e)]);
  const linked = new Set<string>();

  const candidates = (map: Map<string, Entry[]>, key: string, self: Entry) => {
    const others = groupBy(
      (map.get(key) ?? []).filter((o) => o.obs.providerId !== self.obs.providerId),
      (o) => o.obs.providerId,
    );
    return [...others.values()].flatMap((list) => (list.length === 1 ? list : []));
  };
  const link = (from: Entry, to: Entry, via: PossibleMatch['via'], value: string) => {
    const a = from.device;
    const b = to.device;
    if (!a || !b || a === b) return;
    const pair = a.key < b.key ? `${a.key}\u0000${b.key}` : `${b.key}\u0000${a.key}`;
    if (linked.has(pair)) return;
    linked.add(pair);
    const add = (device: PostureDevice, possible: PossibleMatch) => {
      if (device.possibleMatches === NO_POSSIBLE_MATCHES) device.possibleMatches = [possible];
      else device.possibleMatches.push(possible);
    };
    add(a, { deviceKey: b.key, providerId: to.obs.providerId, recordId: to.obs.recordId, via, value });
    add(b, { deviceKey: a.key, providerId: from.obs.providerId, recordId: from.obs.recordId, via, value });
  };

  for (const entry of unmatched) {
    yield;
    const viaMac = macsOf(entry).flatMap((mac) => candidates(byMac, mac, entry).map((to) => ({ to, mac })));
    if (viaMac.length > 0) {
      for (const { to, mac } of viaMac) link(entry, to, 'mac', mac);
      continue;
    }
    const host = hostOf(entry);
    if (host !== null) for (const to of candidates(byHost, host, entry)) link(entry, to, 'hostname', host);
  }
}

/** Evaluation subjects of one provider: each record that stands for a device (superseded reinstalls do not). */
export function subjectsOf(match: Match, providerId: string): EvalSubject[] {
  return [...eachSubject(match, providerId)];
}

/** subjectsOf one at a time, so a poll never holds a subject per device at once. */
export function* eachSubject(match: Match, providerId: string): Generator<EvalSubject, void> {
  const snapshot = match.snapshots.find((s) => s.providerId === providerId);
  if (!snapshot) return;
  for (const [i, obs] of snapshot.observations.entries()) {
    const device = match.deviceAt(providerId, i);
    if (!device) continue;
    const own = device.records.find((r) => r.observation === obs);
    if (!own || own.role === 'superseded') continue;
    yield {
      deviceKey: device.key,
      deviceName: nameOf(obs),
      serial: obs.serial,
      // A junk serial is shown as reported but is no key: only a valid (or duplicated) one is.
      serialKey: device.serialStatus === 'valid' || device.serialStatus === 'duplicate' ? device.serial : null,
      platform: obs.platform,
      serialStatus: device.serialStatus,
      serialProblem: device.serialProblem,
      posture: obs.posture,
      fetchedAt: snapshot.fetchedAt,
      pollIntervalMs: snapshot.pollIntervalMs,
      device,
    };
  }
}

/** The Devices detail panel: which key matched, each provider's part, and why the others did not match. */
export function explainDevice(device: PostureDevice, match: Match): DeviceExplanation {
  const trusted = device.serialStatus === 'valid';
  const providers = match.snapshots.map((snapshot): DeviceExplanation['providers'][number] => {
    const noun = NOUN[snapshot.kind];
    const own = device.records.filter((r) => r.observation.providerId === snapshot.providerId);
    const recordIds = own.map((r) => r.observation.recordId);
    const main = own.find((r) => r.role !== 'superseded');
    if (main) {
      const setAside = own.length - 1;
      const tail = setAside > 0 ? `; ${setAside} reinstall leftover(s) set aside` : '';
      if (device.serialStatus === 'duplicate')
        return {
          providerId: snapshot.providerId,
          outcome: 'ambiguous',
          recordIds,
          detail: `${noun} ${nameOf(main.observation)}: ${device.serialProblem ?? ''}`,
        };
      const by = trusted ? `matched on serial ${device.serial}` : 'not matched to other providers (no trustworthy serial)';
      return { providerId: snapshot.providerId, outcome: 'matched', recordIds, detail: `${noun} ${nameOf(main.observation)} ${by}${tail}.` };
    }
    const possible = device.possibleMatches.filter((p) => p.providerId === snapshot.providerId);
    if (possible.length > 0) {
      const details = possible.map((p) => {
        const other = match.byKey.get(p.deviceKey);
        const theirs = other?.serialStatus === 'valid' ? `serial ${other.serial}` : (other?.serialProblem?.replace(/\.$/, '') ?? 'no trustworthy serial');
        const name = other?.records.find((r) => r.observation.recordId === p.recordId)?.observation.hostname;
        return `${noun} ${name ? `${name} (${p.recordId})` : p.recordId} has the same ${p.via === 'mac' ? 'MAC address' : 'hostname'} (${p.value}) but ${theirs}`;
      });
      return {
        providerId: snapshot.providerId,
        outcome: 'possible_match',
        recordIds: possible.map((p) => p.recordId),
        detail: `Possible match only: ${details.join('; ')}. Posture checks do not trust a ${possible[0]?.via === 'mac' ? 'MAC' : 'hostname'} match.`,
      };
    }
    const detail = trusted
      ? `No ${noun} reports serial ${device.serial}.`
      : `No ${noun} has this device's MAC address or hostname, and without a trustworthy serial nothing else can match.`;
    return { providerId: snapshot.providerId, outcome: 'not_found', recordIds: [], detail };
  });
  const present = providers.filter((p) => p.outcome === 'matched' || p.outcome === 'ambiguous').length;
  const summary = trusted
    ? `Matched on serial ${device.serial} in ${present} of ${match.snapshots.length} provider(s).`
    : `${device.serialProblem ?? 'No trustworthy serial.'} Checks on this device report unknown.`;
  const choices = device.records.flatMap((r) => (r.role === 'used' && r.note ? [r.note] : []));
  return { deviceKey: device.key, matchedBy: trusted ? 'serial' : 'none', summary, providers, choices };
}
