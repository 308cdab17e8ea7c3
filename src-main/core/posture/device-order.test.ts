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

  it('sorts an inventory once per order and starts again when the inventory changes', () => {
    const order = createDeviceOrder();
    const sort = { by: 'hostname', dir: 'asc' } as const;
    const first = order(devices, sort);
    expect(order(devices, sort)).toBe(first);
    expect(order([...devices], sort)).not.toBe(first);
    expect(order(devices, undefined)).toBe(devices);
  });
});

describe('createDeviceSearch', () => {
  it('finds by hostname, serial or key ignoring case, as a filter over each field would', () => {
    const device = (key: string, hostname: string | null, serial: string | null) =>
      ({ key, hostname, serial, serialStatus: 'valid', serialProblem: null, platform: null, records: [], possibleMatches: [] }) as PostureDevice;
    const devices = [device('sn:ABC1', 'Laptop-7', 'abc1'), device('rec:cs:9', null, null), device('sn:XYZ2', 'ws-ÄÖ', 'XYZ2')];
    const search = createDeviceSearch();
    const keys = (text: string) => [...search(devices, text.toLowerCase())].map((d) => d.key);
    const naive = (text: string) =>
      devices.filter((d) => [d.hostname, d.serial, d.key].some((v) => v?.toLowerCase().includes(text.toLowerCase()))).map((d) => d.key);
    for (const text of ['LAPTOP', 'abc', 'rec:cs', 'äö', 'sn:', '7\nabc', 'nothing']) expect(keys(text)).toEqual(naive(text));
    // Remembered per inventory: a new device list is searched afresh.
    expect([...search([device('sn:NEW', 'laptop-new', null)], 'laptop')].map((d) => d.key)).toEqual(['sn:NEW']);
  });

  it("answers every search as a filter over each device's fields would, in inventory order (the flat index)", () => {
    // Device fields never hold a line feed (it separates them); a search text may, and the device break too.
    const units = ['a', 'B', 'c', '-', '1', 'Ä', 'ß', 'İ', '\u0001', ':'];
    const field = fc.string({ unit: fc.constantFrom(...units), maxLength: 6 });
    const query = fc.string({ unit: fc.constantFrom(...units, '\n'), maxLength: 6 });
    const inventory = fc.array(fc.record({ key: field, hostname: fc.option(field), serial: fc.option(field) }), { maxLength: 12 });
    fc.assert(
      fc.property(inventory, fc.array(query, { minLength: 1, maxLength: 5 }), (specs, texts) => {
        const devices = specs.map(
          (s) => ({ ...s, serialStatus: 'valid', serialProblem: null, platform: null, records: [], possibleMatches: [] }) as PostureDevice,
        );
        const search = createDeviceSearch();
        for (const text of texts) {
          const lowered = text.toLowerCase();
          const naive = devices.filter((d) => [d.hostname, d.serial, d.key].some((v) => v !== null && v.toLowerCase().includes(lowered)));
          expect([...search(devices, lowered)]).toEqual(naive);
        }
      }),
      { numRuns: 300 },
    );
  });
});
