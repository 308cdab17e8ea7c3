// The Devices table's sort over the matched inventory: one collator, missing values last in either direction,
// ties by device key so pages never overlap, and each order computed once per match (paging is then a slice).
// Sorting and indexing a 100k-device inventory take a second and a tenth of one: both run in slices, so a screen
// asking for them never holds the event loop (the first request waits; others meanwhile keep answering).
import type { DeviceSort, DeviceSortKey } from '../../../src-shared/schemas/inventory';
import { SerialStatus, type PostureDevice } from '../../../src-shared/schemas/posture';
import { sortSteps } from '../sort-steps';
import { runSlicedFirst, runToEnd } from '../time-slice';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

const valueOf: Record<DeviceSortKey, (d: PostureDevice) => string | number | null> = {
  serial: (d) => d.serial,
  hostname: (d) => d.hostname,
  platform: (d) => d.platform,
  // Trust order (valid, missing, junk, duplicate), not the alphabet.
  serialStatus: (d) => SerialStatus.options.indexOf(d.serialStatus),
};

function compareValues(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a), String(b));
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

/**
 * The Devices search (hostname, serial or key containing the text, ignoring case) over one inventory. Each device's
 * lower-cased texts are worked out once per match, not once per device per keystroke, so a search of a 100k-device
 * inventory is a scan of short strings; the last few searches are remembered (paging re-asks the same one).
 */
export function createDeviceSearch() {
  // Weakly held, like the sorted views: a replaced inventory takes its search texts with it.
  const indexes = new WeakMap<readonly PostureDevice[], Promise<{ texts: string[]; recent: Map<string, Promise<Set<PostureDevice>>> }>>();
  return async (devices: readonly PostureDevice[], lowered: string): Promise<ReadonlySet<PostureDevice>> => {
    let index = indexes.get(devices);
    if (!index) indexes.set(devices, (index = runSlicedFirst(searchTexts(devices)).then((texts) => ({ texts, recent: new Map() }))));
    const { texts, recent } = await index;
    let found = recent.get(lowered);
    if (!found) {
      // Remembered at once, so a repeat asked while this one scans waits for it instead of scanning too.
      found = runSlicedFirst(scan(devices, texts, lowered));
      if (recent.size >= 8) recent.delete(recent.keys().next().value!);
      recent.set(lowered, found);
    }
    return found;
  };
}

function* scan(devices: readonly PostureDevice[], texts: readonly string[], lowered: string): Generator<void, Set<PostureDevice>> {
  const found = new Set<PostureDevice>();
  // A search with a line feed in it could span two fields of the joined text: those compare field by field.
  const spans = lowered.includes('\n');
  for (let i = 0; i < devices.length; i++) {
    if (spans ? texts[i]!.split('\n').some((field) => field.includes(lowered)) : texts[i]!.includes(lowered)) found.add(devices[i]!);
    yield;
  }
  return found;
}

/** Each device's lower-cased hostname, serial and key, joined by a line feed (which none of the three contains). */
function* searchTexts(devices: readonly PostureDevice[]): Generator<void, string[]> {
  const texts = new Array<string>(devices.length);
  for (let i = 0; i < devices.length; i++) {
    const d = devices[i]!;
    texts[i] = `${d.hostname?.toLowerCase() ?? ''}\n${d.serial?.toLowerCase() ?? ''}\n${d.key.toLowerCase()}`;
    yield;
  }
  return texts;
}
