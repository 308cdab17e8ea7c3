import { describe, expect, it } from 'vitest';
import { word } from './sources';

describe('word', () => {
  it('gives back the value it was given, past its vocabulary limit too, and passes null and long texts through', () => {
    const values = Array.from({ length: 5000 }, (_, i) => `v${i % 4500}`);
    // Fresh copies, as JSON.parse makes them.
    for (const v of values) expect(word(JSON.parse(JSON.stringify(v)) as string)).toBe(v);
    expect(word(null)).toBeNull();
    expect(word(undefined)).toBeUndefined();
    const long = 'x'.repeat(40);
    expect(word(long)).toBe(long);
  });
});
