import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortAll, sortSteps } from './sort-steps';
import { runSliced, type TimeSlicer } from './time-slice';

type Item = { value: number; at: number };
const byValue = (a: Item, b: Item) => a.value - b.value;

describe('sortSteps', () => {
  it('orders exactly as Array.prototype.sort does, equal items kept in their order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (values) => {
        const items = values.map((value, at) => ({ value, at }));
        expect(sortAll(items, byValue)).toEqual([...items].sort(byValue));
      }),
    );
  });

  it('yields while it sorts a long list, and the sliced result is the same', async () => {
    const items = Array.from({ length: 20_000 }, (_, at) => ({ value: (at * 7919) % 1000, at }));
    let pauses = 0;
    const slicer: TimeSlicer = { due: () => true, pause: async () => void pauses++ };
    const sorted = await runSliced(sortSteps(items, byValue), slicer);
    expect(pauses).toBeGreaterThan(100);
    expect(sorted).toEqual([...items].sort(byValue));
    // The input is left as it was.
    expect(items[1]).toEqual({ value: 7919 % 1000, at: 1 });
  });
});
