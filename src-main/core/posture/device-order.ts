// The Devices table's sort over the matched inventory: one collator, missing values last in either direction,
// ties by device key so pages never overlap, and each order computed once per match (paging is then a slice).
import type { DeviceSort, DeviceSortKey } from '../../../src-shared/schemas/inventory';
import { SerialStatus, type PostureDevice } from '../../../src-shared/schemas/posture';

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
  let of: readonly PostureDevice[] | null = null;
  const cache = new Map<string, PostureDevice[]>();
  return (devices: readonly PostureDevice[], sort: DeviceSort | undefined): readonly PostureDevice[] => {
    if (!sort) return devices;
    if (of !== devices) {
      of = devices;
      cache.clear();
    }
    const id = `${sort.by}:${sort.dir}`;
    let sorted = cache.get(id);
    if (!sorted) cache.set(id, (sorted = sortDevices(devices, sort)));
    return sorted;
  };
}
