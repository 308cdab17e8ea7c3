import { describe, expect, it } from 'vitest';
import { neutralizeFormula, restoreFormula } from './formula';

describe('neutralizeFormula', () => {
  it.each(['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '\0=1+2', '=HYPERLINK("http://x","y")'])('prefixes a quote to %j', (value) => {
    expect(neutralizeFormula(value)).toBe(`'${value}`);
  });

  it.each(['host-01', 'Laptop, "Finance"', ' =not first', '', '5', 'Ünïcødé 💻'])('leaves %j alone', (value) => {
    expect(neutralizeFormula(value)).toBe(value);
  });

  it('quotes a value that starts with a quote too, so restoring is exact for every value', () => {
    expect(neutralizeFormula("'already")).toBe("''already");
    for (const value of ['=1+2', "'=1+2", "'already", "''", "'", 'host-01', '', '-5', '\0x', 'SN-0001'])
      expect(restoreFormula(neutralizeFormula(value))).toBe(value);
  });
});
