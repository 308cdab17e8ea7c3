// The hand-written readers of the inventory's records against their zod schemas, which stay the rule: whatever a reader
// accepts, zod accepts with the same value, and over JSON (what an answer holds) a reader refuses nothing zod accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fastReaderOf } from '../records';
import { InventoryHost, OnlineState } from './hosts';
import { ZtaAssessment } from './zta';

/** Values a field may hold, odd ones included. */
const anyValue = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('', ' ', '\t', 'a', 'Windows', '2026-12-07T06:00:00Z'),
  fc.constant(null),
  fc.constant(undefined),
  fc.integer({ min: -5, max: 105 }),
  fc.double(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);
const stringish = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', ' ', 'x'), fc.constant(null), anyValue);
const extraKeys = fc.dictionary(fc.constantFrom('cid', 'tags', 'other', '__proto__', 'toString', 'os_version'), anyValue, { maxKeys: 2 });

const host = fc.record(
  {
    device_id: stringish,
    hostname: stringish,
    serial_number: stringish,
    mac_address: stringish,
    platform_name: stringish,
    last_seen: stringish,
    last_login_user: anyValue,
  },
  { requiredKeys: [] },
);
const score = fc.oneof(fc.integer({ min: -2, max: 102 }), fc.constant(null), fc.double(), anyValue);
const zta = fc.record(
  {
    aid: stringish,
    cid: stringish,
    system_serial_number: stringish,
    event_platform: stringish,
    product_type_desc: stringish,
    modified_time: stringish,
    sensor_file_status: stringish,
    assessment: fc.oneof(fc.record({ overall: score, os: score, sensor_config: score, version: stringish, extra: anyValue }, { requiredKeys: [] }), anyValue),
    assessment_items: anyValue,
  },
  { requiredKeys: [] },
);
const online = fc.record({ id: stringish, cid: stringish, last_seen: stringish, state: stringish }, { requiredKeys: [] });

const withExtra = (record: fc.Arbitrary<Record<string, unknown>>) =>
  fc.tuple(record, extraKeys).map(([r, extra]) => ({ ...extra, ...r }) as Record<string, unknown>);
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');

function agrees<S extends z.ZodType>(schema: S, records: fc.Arbitrary<unknown>, refusesOnlyOdd: (raw: Record<string, unknown>) => boolean) {
  const read = fastReaderOf(schema)!;
  expect(read).toBeTypeOf('function');
  fc.assert(
    fc.property(records, (raw) => {
      const fast = read(raw);
      const parsed = schema.safeParse(raw);
      if (fast !== undefined) {
        expect(parsed.success).toBe(true);
        expect(fast).toStrictEqual(parsed.data);
      }
      const json = asJson(raw);
      const jsonParsed = schema.safeParse(json);
      const jsonFast = read(json);
      if (jsonFast !== undefined) expect(jsonFast).toStrictEqual(jsonParsed.data);
      else if (jsonParsed.success) expect(refusesOnlyOdd(json as Record<string, unknown>)).toBe(true);
    }),
    { numRuns: 3000 },
  );
}

const hostKeys = new Set(Object.keys(InventoryHost.shape));

describe('fast record readers', () => {
  it('InventoryHost: the same value as zod; over JSON, refuses only records holding other fields (zod would strip them)', () => {
    agrees(InventoryHost, fc.oneof(host, withExtra(host), anyValue), (raw) => Object.keys(raw).some((key) => !hostKeys.has(key)));
  });

  it('ZtaAssessment: the same value as zod; over JSON, refuses nothing zod accepts', () => {
    agrees(ZtaAssessment, fc.oneof(zta, withExtra(zta), anyValue), () => false);
  });

  it('OnlineState: the same value as zod; over JSON, refuses only a record with an own __proto__ member', () => {
    agrees(OnlineState, fc.oneof(online, withExtra(online), anyValue), (raw) => Object.hasOwn(raw, '__proto__'));
  });

  it('reads the typical records of an answer itself, not through zod', () => {
    const h = { device_id: 'abc', hostname: 'h', serial_number: null, mac_address: 'aa-bb', platform_name: 'Windows', last_seen: '2026-12-07T00:00:00Z' };
    expect(fastReaderOf(InventoryHost)!(h)).toBe(h);
    expect(fastReaderOf(InventoryHost)!({ ...h, last_login_user: 'ann' })).toBeDefined();
    expect(fastReaderOf(ZtaAssessment)!({ aid: 'abc', assessment: { overall: 80, os: 70, sensor_config: 90, version: '3.0' } })).toEqual({
      aid: 'abc',
      serialNumber: null,
      platform: null,
      modifiedTime: null,
      sensorFileStatus: null,
      scores: { overall: 80, os: 70, sensorConfig: 90, version: '3.0' },
    });
    expect(fastReaderOf(OnlineState)!({ id: 'abc', state: 'online', last_seen: null })).toBeDefined();
    // An empty device id names no host: refused, as zod refuses it.
    expect(fastReaderOf(InventoryHost)!({ ...h, device_id: ' ' })).toBeUndefined();
  });
});
