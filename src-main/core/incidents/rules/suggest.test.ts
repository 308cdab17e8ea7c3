import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './suggest';

describe('suggestions', () => {
  it('counts edits, a transposition as one, ignoring case', () => {
    expect(editDistance('sevrity', 'severity')).toBe(1);
    expect(editDistance('tacitc', 'tactic')).toBe(1);
    expect(editDistance('Impact', 'impact')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests only plausibly meant words', () => {
    expect(closestMatch('sevrity', ['severity', 'status'])).toBe('severity');
    expect(closestMatch('zzz', ['severity', 'status'])).toBeUndefined();
    expect(closestMatch('exfil', ['Execution', 'Exfiltration'])).toBe('Exfiltration');
    expect(closestMatch('dev', ['device.hostname', 'device.os_version'])).toBeUndefined();
  });
});
