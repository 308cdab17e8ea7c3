import { describe, expect, it } from 'vitest';
import { neutralizeFormula } from './formula';

describe('neutralizeFormula', () => {
  it.each(['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '\0=1+2', '=HYPERLINK("http://x","y")'])('prefixes a quote to %j', (value) => {
    expect(neutralizeFormula(value)).toBe(`'${value}`);
  });

  it.each(['host-01', 'Laptop, "Finance"', ' =not first', "'already", '', '5', 'Ünïcødé 💻'])('leaves %j alone', (value) => {
    expect(neutralizeFormula(value)).toBe(value);
  });
});
