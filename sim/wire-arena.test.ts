import { describe, expect, it } from 'vitest';
import { Prerendered, serializeJson } from './http';
import { WireArena } from './wire-arena';

/** The string rendering the simulator used before records were kept as bytes (reference for byte equality). */
function previousRendering(value: Record<string, unknown>): string {
  const placeholder = '\u0000prerendered\u0000';
  const holds = (v: unknown): v is unknown[] => Array.isArray(v) && v.some((item) => item instanceof Prerendered);
  const shell: Record<string, unknown> = {};
  const lists: unknown[][] = [];
  for (const [key, v] of Object.entries(value)) {
    if (holds(v)) {
      shell[key] = placeholder;
      lists.push(v);
    } else shell[key] = v;
  }
  const render = (item: unknown) => (item instanceof Prerendered ? item.json : (JSON.stringify(item) ?? 'null'));
  const [head = '', ...tails] = JSON.stringify(shell).split(JSON.stringify(placeholder));
  return head + tails.map((tail, i) => `[${(lists[i] ?? []).map(render).join(',')}]${tail}`).join('');
}

describe('WireArena and serializeJson', () => {
  const records = [
    { aid: 'a', detail: 'Score ≥ 70 required', n: 1 },
    { aid: 'b', note: 'naïve “quotes” \u2028 and \\ "escapes"', list: [1, null, 'x'] },
    { aid: 'c', emoji: '🛡️', nested: { deep: [{ k: 'v' }] } },
    {},
  ];

  it('keeps records as UTF-8 across chunks, re-renders dropped ones, and answers byte for byte as before', () => {
    const arena = new WireArena(records.length, 48); // tiny chunks: records straddle chunk boundaries
    records.forEach((r, i) => arena.set(i, JSON.stringify(r)));
    expect(records.map((_, i) => arena.get(i)?.json)).toEqual(records.map((r) => JSON.stringify(r)));
    arena.drop(1);
    expect(arena.get(1)).toBeUndefined();
    arena.set(1, JSON.stringify({ aid: 'b', status: 'contained ≥' }));
    expect(arena.get(1)?.json).toBe('{"aid":"b","status":"contained ≥"}');
    expect(arena.get(0)?.json).toBe(JSON.stringify(records[0]));

    const items = [0, 1, 2, 3].map((i) => arena.get(i) as Prerendered);
    const bodies: Record<string, unknown>[] = [
      { meta: { query_time: 0.001, trace_id: 'ü-trace' }, resources: items, errors: [] },
      { meta: {}, resources: [items[2], { plain: 'record ≥' }, undefined, items[0]], errors: null },
      { first: items.slice(0, 1), middle: 'x', second: [items[3], items[1]] },
      { resources: [Prerendered.of('{"one":"off ≥"}')] },
      { resources: [items[0], items[0], items[1], items[2], items[1], items[2], items[3]] },
    ];
    for (const body of bodies) {
      const out = serializeJson(body);
      expect(Array.isArray(out)).toBe(true);
      const bytes = Buffer.concat(out as Buffer[]);
      expect(bytes.toString('utf8')).toBe(previousRendering(body));
      expect(bytes.length).toBe(Buffer.byteLength(previousRendering(body)));
    }
    // Bodies without prerendered records stay plain JSON text.
    expect(serializeJson({ resources: [{ a: 1 }], errors: [] })).toBe('{"resources":[{"a":1}],"errors":[]}');
    expect(serializeJson({ resources: [], errors: [] })).toBe('{"resources":[],"errors":[]}');
  });
});
