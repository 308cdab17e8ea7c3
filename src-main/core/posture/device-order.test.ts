import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PostureDevice } from '../../../src-shared/schemas/posture';
import { createDeviceOrder, createDeviceSearch, sortDevices } from './device-order';

const device = (key: string, hostname: string | null, serialStatus: PostureDevice['serialStatus'] = 'valid'): PostureDevice => ({
  key,
  serial: null,
  serialStatus,
  serialProblem: null,
  hostname,
  platform: null,
  records: [],
  possibleMatches: [],
});

describe('device order', () => {
  const devices = [device('d', 'host-10'), device('a', null, 'missing'), device('c', 'host-9', 'junk'), device('b', 'Host-9', 'duplicate')];

  it('sorts names the way people read them (host-9 before host-10), ties by key, missing last in both directions', () => {
    expect(sortDevices(devices, { by: 'hostname', dir: 'asc' }).map((d) => d.key)).toEqual(['b', 'c', 'd', 'a']);
    expect(sortDevices(devices, { by: 'hostname', dir: 'desc' }).map((d) => d.key)).toEqual(['d', 'b', 'c', 'a']);
  });

  it('sorts serial status by trust, not by the alphabet', () => {
    expect(sortDevices(devices, { by: 'serialStatus', dir: 'asc' }).map((d) => d.serialStatus)).toEqual(['valid', 'missing', 'junk', 'duplicate']);
  });

  it('sorts an inventory once per order and starts again when the inventory changes', async () => {
    const order = createDeviceOrder();
    const sort = { by: 'hostname', dir: 'asc' } as const;
    const first = await order(devices, sort);
    expect(first.map((d) => d.key)).toEqual(['b', 'c', 'd', 'a']);
    expect(await order(devices, sort)).toBe(first);
    expect(await order([...devices], sort)).not.toBe(first);
    expect(await order(devices, undefined)).toBe(devices);
  });

  it('sorts a large inventory in slices to the order a one-piece sort gives', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => device(`k${(i * 7919) % 3000}`, i % 11 === 0 ? null : `host-${(i * 31) % 997}`));
    const oneGo = (by: 'hostname' | 'serialStatus', dir: 'asc' | 'desc') => {
      const get = (d: PostureDevice) => (by === 'hostname' ? d.hostname : d.serialStatus);
      const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
      return [...many]
        .sort((a, b) => {
          const x = get(a);
          const y = get(b);
          if (x === null || y === null) {
            if (x !== y) return x === null ? 1 : -1;
          } else {
            const c = by === 'hostname' ? collator.compare(x, y) : 0;
            if (c !== 0) return dir === 'asc' ? c : -c;
          }
          return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
        })
        .map((d) => d.key);
    };
    const order = createDeviceOrder();
    for (const dir of ['asc', 'desc'] as const) expect((await order(many, { by: 'hostname', dir })).map((d) => d.key)).toEqual(oneGo('hostname', dir));
  });
});

describe('createDeviceSearch', () => {
  it('finds by hostname, serial or key ignoring case, as a filter over each field would', async () => {
    const device = (key: string, hostname: string | null, serial: string | null) =>
      ({ key, hostname, serial, serialStatus: 'valid', serialProblem: null, platform: null, records: [], possibleMatches: [] }) as PostureDevice;
    const devices = [device('sn:ABC1', 'Laptop-7', 'abc1'), device('rec:cs:9', null, null), device('sn:XYZ2', 'ws-ÄÖ', 'XYZ2')];
    const search = createDeviceSearch();
    const keys = async (text: string) => [...(await search(devices, text.toLowerCase()))].map((d) => d.key);
    const naive = (text: string) =>
      devices.filter((d) => [d.hostname, d.serial, d.key].some((v) => v?.toLowerCase().includes(text.toLowerCase()))).map((d) => d.key);
    for (const text of ['LAPTOP', 'abc', 'rec:cs', 'äö', 'sn:', '7\nabc', 'nothing']) expect(await keys(text)).toEqual(naive(text));
    // Remembered per inventory: a new device list is searched afresh.
    expect([...(await search([device('sn:NEW', 'laptop-new', null)], 'laptop'))].map((d) => d.key)).toEqual(['sn:NEW']);
  });

  it("answers every search as a filter over each device's fields would, in inventory order (the flat index)", async () => {
    // Device fields never hold a line feed (it separates them); a search text may, and the device break too.
    const units = ['a', 'B', 'c', '-', '1', 'Ä', 'ß', 'İ', '\u0001', ':'];
    const field = fc.string({ unit: fc.constantFrom(...units), maxLength: 6 });
    const query = fc.string({ unit: fc.constantFrom(...units, '\n'), maxLength: 6 });
    const inventory = fc.array(fc.record({ key: field, hostname: fc.option(field), serial: fc.option(field) }), { maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(inventory, fc.array(query, { minLength: 1, maxLength: 5 }), async (specs, texts) => {
        const devices = specs.map(
          (s) => ({ ...s, serialStatus: 'valid', serialProblem: null, platform: null, records: [], possibleMatches: [] }) as PostureDevice,
        );
        const search = createDeviceSearch();
        for (const text of texts) {
          const lowered = text.toLowerCase();
          const naive = devices.filter((d) => [d.hostname, d.serial, d.key].some((v) => v !== null && v.toLowerCase().includes(lowered)));
          expect([...(await search(devices, lowered))]).toEqual(naive);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds devices on either side of the blocks its text is joined in, and none across two devices', async () => {
    // Three blocks and a part (1,024 devices a block): the devices next to each seam, and a text spanning a seam.
    const devices = Array.from({ length: 3 * 1024 + 5 }, (_, i) => device(`rec:cs:${i}`, `host-${String(i).padStart(5, '0')}`));
    const search = createDeviceSearch();
    const keys = async (text: string) => [...(await search(devices, text))].map((d) => d.key);
    for (const i of [0, 1023, 1024, 2047, 2048, 3076]) expect(await keys(`host-${String(i).padStart(5, '0')}`)).toEqual([`rec:cs:${i}`]);
    expect(await keys('rec:cs:1023\nhost-01024')).toEqual([]);
    // rec:cs:3, :30–:39, :300–:399 and :3000–:3076, whichever block they are in.
    expect(await keys('rec:cs:3')).toHaveLength(1 + 10 + 100 + 77);
  });
});
