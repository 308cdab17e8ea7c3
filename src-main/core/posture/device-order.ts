// The Devices table's sort over the matched inventory: one collator, missing values last in either direction,
// ties by device key so pages never overlap, and each order computed once per match (paging is then a slice).
import type { DeviceSort, DeviceSortKey } from '../../../src-shared/schemas/inventory';
import { SerialStatus, type PostureDevice } from '../../../src-shared/schemas/posture';

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
  const get = valueOf[sort.by];
  const sign = sort.dir === 'asc' ? 1 : -1;
  const keyed = devices.map((device) => ({ device, value: get(device) }));
  keyed.sort((a, b) => {
    if (a.value === null || b.value === null) {
      if (a.value !== b.value) return a.value === null ? 1 : -1;
    } else {
      const order = compareValues(a.value, b.value);
      if (order !== 0) return sign * order;
    }
    return a.device.key < b.device.key ? -1 : a.device.key > b.device.key ? 1 : 0;
  });
  return keyed.map((k) => k.device);
}

/** Sorted views of one inventory, remembered until the inventory changes (a new match is a new array). */
export function createDeviceOrder() {
  // Weakly held: an inventory replaced by a poll is not kept alive by its sorted views.
  const orders = new WeakMap<readonly PostureDevice[], Map<string, PostureDevice[]>>();
  return (devices: readonly PostureDevice[], sort: DeviceSort | undefined): readonly PostureDevice[] => {
    if (!sort) return devices;
    let cache = orders.get(devices);
    if (!cache) orders.set(devices, (cache = new Map()));
    const id = `${sort.by}:${sort.dir}`;
    let sorted = cache.get(id);
    if (!sorted) cache.set(id, (sorted = sortDevices(devices, sort)));
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
  const indexes = new WeakMap<readonly PostureDevice[], { texts: string[]; recent: Map<string, Set<PostureDevice>> }>();
  return (devices: readonly PostureDevice[], lowered: string): ReadonlySet<PostureDevice> => {
    let index = indexes.get(devices);
    if (!index) {
      // Joined by a line feed, which none of the three contains, so a match never spans two of them.
      const texts = devices.map((d) => `${d.hostname?.toLowerCase() ?? ''}\n${d.serial?.toLowerCase() ?? ''}\n${d.key.toLowerCase()}`);
      indexes.set(devices, (index = { texts, recent: new Map() }));
    }
    const { texts, recent } = index;
    let found = recent.get(lowered);
    if (!found) {
      found = new Set();
      // A search with a line feed in it could span two fields of the joined text: those compare field by field.
      const spans = lowered.includes('\n');
      for (let i = 0; i < devices.length; i++)
        if (spans ? texts[i]!.split('\n').some((field) => field.includes(lowered)) : texts[i]!.includes(lowered)) found.add(devices[i]!);
      if (recent.size >= 8) recent.delete(recent.keys().next().value!);
      recent.set(lowered, found);
    }
    return found;
  };
}
