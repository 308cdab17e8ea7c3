import { describe, expect, it } from 'vitest';
import { backtrackingHazard, MAX_PATTERN_LENGTH, rawStringValue, readRegex } from './regex';

describe('MATCHES patterns', () => {
  it("reads '/pattern/flags'", () => {
    expect(readRegex('/^powershell/i', "'")).toEqual({ ok: true, pattern: '^powershell', flags: 'i' });
    expect(readRegex('/a\\/b/', "'")).toEqual({ ok: true, pattern: 'a\\/b', flags: '' });
  });

  it('offers the slashed form for a bare pattern', () => {
    expect(readRegex('enc', '"')).toMatchObject({ ok: false, replacement: '"/enc/"' });
  });

  it('rejects stateful, unknown and repeated flags', () => {
    expect(readRegex('/a/g', "'")).toMatchObject({ ok: false });
    expect(readRegex('/a/y', "'")).toMatchObject({ ok: false });
    expect(readRegex('/a/x', "'")).toMatchObject({ ok: false, message: "'x' is not a pattern flag" });
    expect(readRegex('/a/ii', "'")).toMatchObject({ ok: false, message: "the 'i' flag is given twice" });
    expect(readRegex('/a/imsu', "'").ok).toBe(true);
  });

  it('rejects empty, over-long and invalid patterns', () => {
    expect(readRegex('//', "'")).toMatchObject({ ok: false, message: 'the pattern is empty' });
    expect(readRegex(`/${'a'.repeat(MAX_PATTERN_LENGTH + 1)}/`, "'").ok).toBe(false);
    expect(readRegex(`/${'a'.repeat(MAX_PATTERN_LENGTH)}/`, "'").ok).toBe(true);
    expect(readRegex('/(unclosed/', "'")).toMatchObject({ ok: false, message: 'invalid pattern: Unterminated group' });
  });

  it.each(['(a+)+', '(a*)*b', '(\\w+\\s?)*$', '((ab)+)+', '(.*x){5}', '(?:a+)+', '(a|b+)*', '(\\d+)\\1', '(?<x>a)\\k<x>'])('refuses %s', (pattern) => {
    expect(backtrackingHazard(pattern)).not.toBeNull();
  });

  it.each(['(ab)+', 'a+b+c*', '[(a+)+]', '\\(a+\\)+', '^power(shell|sh)\\.exe$', '(?:-enc|-e )[A-Za-z0-9+/=]{20,}', 'a{2,3}(b)?'])('accepts %s', (pattern) => {
    expect(backtrackingHazard(pattern)).toBeNull();
  });

  it('reads the pattern string raw: only the quote can be escaped', () => {
    expect(rawStringValue('C:\\\\Windows\\d', "'")).toBe('C:\\\\Windows\\d');
    expect(rawStringValue("it\\'s", "'")).toBe("it's");
    expect(rawStringValue('say \\"x\\"', '"')).toBe('say "x"');
  });
});
