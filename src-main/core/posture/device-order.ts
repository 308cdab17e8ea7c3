// The Devices table's sort over the matched inventory: one collator, missing values last in either direction,
// ties by device key so pages never overlap, and each order computed once per match (paging is then a slice).
// Sorting and indexing a 100k-device inventory take a second and a tenth of one: both run in slices, so a screen
// asking for them never holds the event loop (the first request waits; others meanwhile keep answering).
import type { DeviceSort, DeviceSortKey } from '../../../src-shared/schemas/inventory';
import { SerialStatus, type PostureDevice } from '../../../src-shared/schemas/posture';
import { sortSteps } from '../sort-steps';
import { runSlicedFirst, runToEnd } from '../time-slice';

// Made with the first sort: ICU's collation data costs a console that never sorts devices ~6 MB at start.
let collator: Intl.Collator | undefined;

const valueOf: Record<DeviceSortKey, (d: PostureDevice) => string | number | null> = {
  serial: (d) => d.serial,
  hostname: (d) => d.hostname,
  platform: (d) => d.platform,
  // Trust order (valid, missing, junk, duplicate), not the alphabet.
  serialStatus: (d) => SerialStatus.options.indexOf(d.serialStatus),
};

function compareValues(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number'
    ? a - b
    : (collator ??= new Intl.Collator('en', { numeric: true, sensitivity: 'base' })).compare(String(a), String(b));
}

export function sortDevices(devices: readonly PostureDevice[], sort: DeviceSort): PostureDevice[] {
  return runToEnd(sortDevicesSteps(devices, sort));
}

function* sortDevicesSteps(devices: readonly PostureDevice[], sort: DeviceSort): Generator<void, PostureDevice[]> {
  const get = valueOf[sort.by];
  const sign = sort.dir === 'asc' ? 1 : -1;
  const keyed = devices.map((device) => ({ device, value: get(device) }));
  yield;
  const sorted = yield* sortSteps(keyed, (a, b) => {
    if (a.value === null || b.value === null) {
      if (a.value !== b.value) return a.value === null ? 1 : -1;
    } else {
      const order = compareValues(a.value, b.value);
      if (order !== 0) return sign * order;
    }
    return a.device.key < b.device.key ? -1 : a.device.key > b.device.key ? 1 : 0;
  });
  return sorted.map((k) => k.device);
}

/** Sorted views of one inventory, remembered until the inventory changes (a new match is a new array). */
export function createDeviceOrder() {
  // Weakly held: an inventory replaced by a poll is not kept alive by its sorted views.
  const orders = new WeakMap<readonly PostureDevice[], Map<string, Promise<PostureDevice[]>>>();
  return async (devices: readonly PostureDevice[], sort: DeviceSort | undefined): Promise<readonly PostureDevice[]> => {
    if (!sort) return devices;
    let cache = orders.get(devices);
    if (!cache) orders.set(devices, (cache = new Map()));
    const id = `${sort.by}:${sort.dir}`;
    let sorted = cache.get(id);
    // Requests for an order being sorted wait for that one sort.
    if (!sorted) cache.set(id, (sorted = runSlicedFirst(sortDevicesSteps(devices, sort))));
    return sorted;
  };
}

/** Between devices in the search text; a search containing it (or a field's line feed) is compared field by field. */
const DEVICE_BREAK = '\u0001';

/** One inventory's search text: every device's lower-cased fields in one flat string, and where each device starts. */
interface SearchIndex {
  text: string;
  /** starts[i] is where device i's fields begin in `text`; starts[devices.length] is past the end. */
  starts: Int32Array;
  /** Searches asked for lately (paging re-asks the same one), remembered from their start so a repeat waits for it. */
  recent: Map<string, Promise<Set<PostureDevice>>>;
}

/** Devices whose search texts are joined in one step. */
const SEARCH_BLOCK = 1024;

/** The index as steps, one a device: a 100k-device inventory's is too long for one turn of the event loop. */
function* searchIndexSteps(devices: readonly PostureDevice[]): Generator<void, SearchIndex> {
  const starts = new Int32Array(devices.length + 1);
  // Joined a block at a time: one join of 100k parts is ~20 ms in a single step.
  const blocks: string[] = [];
  let parts: string[] = [];
  let at = 0;
  for (let i = 0; i < devices.length; i++) {
    const d = devices[i]!;
    // Joined by a line feed, which none of the three contains, so a match never spans two of them. A serial the key
    // already holds (`sn:<serial>`, most devices) is left out: whatever is found in it is found in the key.
    const key = d.key.toLowerCase();
    const serial = d.serial?.toLowerCase() ?? '';
    const part = `${d.hostname?.toLowerCase() ?? ''}\n${key.includes(serial) ? '' : serial}\n${key}`;
    starts[i] = at;
    at += part.length + DEVICE_BREAK.length;
    parts.push(part);
    if (parts.length === SEARCH_BLOCK) {
      blocks.push(parts.join(DEVICE_BREAK) + DEVICE_BREAK);
      parts = [];
    }
    yield;
  }
  if (parts.length > 0) blocks.push(parts.join(DEVICE_BREAK) + DEVICE_BREAK);
  starts[devices.length] = at;
  return { text: blocks.join(''), starts, recent: new Map() };
}

/** The device whose fields hold position `at` of the search text (binary search over the starts). */
function deviceAt(starts: Int32Array, at: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The Devices search (hostname, serial or key containing the text, ignoring case) over one inventory. The devices'
 * lower-cased texts are worked out once per match into one flat string (a few bytes a device, not a string object
 * each), so a search of a 100k-device inventory is an `indexOf` scan; the last few searches are remembered (paging
 * re-asks the same one). Building the index and scanning it run in slices ahead of background work.
 */
export function createDeviceSearch() {
  // Weakly held, like the sorted views: a replaced inventory takes its search text with it.
  const indexes = new WeakMap<readonly PostureDevice[], Promise<SearchIndex>>();
  return async (devices: readonly PostureDevice[], lowered: string): Promise<ReadonlySet<PostureDevice>> => {
    let index = indexes.get(devices);
    if (!index) indexes.set(devices, (index = runSlicedFirst(searchIndexSteps(devices))));
    const built = await index;
    let found = built.recent.get(lowered);
    if (!found) {
      found = runSlicedFirst(scan(devices, built, lowered));
      if (built.recent.size >= 8) built.recent.delete(built.recent.keys().next().value!);
      built.recent.set(lowered, found);
    }
    return found;
  };
}

/** The devices whose fields hold `lowered`, in inventory order, one found device (or one device compared) a step. */
function* scan(devices: readonly PostureDevice[], { text, starts }: SearchIndex, lowered: string): Generator<void, Set<PostureDevice>> {
  const found = new Set<PostureDevice>();
  if (lowered.includes('\n') || lowered.includes(DEVICE_BREAK)) {
    // Could span two fields or two devices of the flat text: compare each field on its own.
    for (let i = 0; i < devices.length; i++) {
      if (
        text
          .slice(starts[i]!, starts[i + 1]! - DEVICE_BREAK.length)
          .split('\n')
          .some((field) => field.includes(lowered))
      )
        found.add(devices[i]!);
      yield;
    }
  } else
    for (let at = text.indexOf(lowered); at !== -1 && at < text.length;) {
      const i = deviceAt(starts, at);
      found.add(devices[i]!);
      // The next match that can add a device starts in the next device's fields.
      at = text.indexOf(lowered, starts[i + 1]!);
      yield;
    }
  return found;
}
