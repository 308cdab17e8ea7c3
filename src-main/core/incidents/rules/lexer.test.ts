import { describe, expect, it } from 'vitest';
import { lex, type Token } from './lexer';

const kinds = (source: string) => lex(source).tokens.map((t) => (t.kind === 'keyword' ? t.keyword : t.kind === 'op' ? t.op : t.kind));
const only = (source: string): Token => {
  const { tokens } = lex(source);
  expect(tokens).toHaveLength(2);
  return tokens[0] as Token;
};
const stringValue = (source: string) => {
  const token = only(source);
  if (token.kind !== 'string') throw new Error(`not a string: ${token.kind}`);
  return token;
};

describe('lexer', () => {
  it('reads every comparison operator, with == as =', () => {
    expect(kinds('a = b == c != d > e >= f < g <= h')).toEqual([
      'ident',
      '=',
      'ident',
      '=',
      'ident',
      '!=',
      'ident',
      '>',
      'ident',
      '>=',
      'ident',
      '<',
      'ident',
      '<=',
      'ident',
      'eof',
    ]);
    expect(lex('a>=80').tokens.map((t) => t.text)).toEqual(['a', '>=', '80', '']);
  });

  it('recognises keywords in any case and keeps their spelling', () => {
    const { tokens } = lex('and Or NOT in Contains matches TRUE false Null');
    expect(tokens.map((t) => (t.kind === 'keyword' ? t.keyword : t.kind))).toEqual([
      'AND',
      'OR',
      'NOT',
      'IN',
      'CONTAINS',
      'MATCHES',
      'TRUE',
      'FALSE',
      'NULL',
      'eof',
    ]);
    expect(tokens[1]?.text).toBe('Or');
  });

  it('reads dotted field names as one token', () => {
    expect(only('device.platform_name')).toMatchObject({ kind: 'ident', text: 'device.platform_name', from: 0, to: 20 });
  });

  it('reads integers, decimals, negatives and exponents', () => {
    expect(
      lex('80 2.5 -3 1e3 1.5E-2')
        .tokens.filter((t) => t.kind === 'number')
        .map((t) => (t.kind === 'number' ? t.value : 0)),
    ).toEqual([80, 2.5, -3, 1000, 0.015]);
  });

  it('reports a malformed number once, with a fix when the intent is clear', () => {
    const bad = lex('severity > 80abc');
    expect(bad.diagnostics).toHaveLength(1);
    expect(bad.diagnostics[0]).toMatchObject({ from: 11, to: 16, message: "'80abc' is not a number" });
    expect(lex('x > .5').diagnostics[0]).toMatchObject({ replacement: '0.5' });
    expect(lex('x > 1e999').diagnostics[0]?.suggestion).toMatch(/too large/);
  });

  it('reads single- and double-quoted strings with escapes', () => {
    expect(stringValue("'it\\'s'").value).toBe("it's");
    expect(stringValue('"say \\"hi\\""').value).toBe('say "hi"');
    expect(stringValue(`"it's"`).value).toBe("it's");
    expect(stringValue("'a\\\\b'").value).toBe('a\\b');
    expect(stringValue("'tab\\tnew\\nline\\r'").value).toBe('tab\tnew\nline\r');
    expect(stringValue("'\\u00e9\\u{1F600}'").value).toBe('é😀');
    expect(stringValue("''").value).toBe('');
  });

  it('keeps the raw text between the quotes for MATCHES patterns', () => {
    const token = stringValue("'/C:\\\\Win\\d/i'");
    expect(token.raw).toBe('/C:\\\\Win\\d/i');
    expect(token.escapeProblems).toHaveLength(1);
  });

  it('flags an unknown escape with the doubled backslash as the fix', () => {
    const token = stringValue("'C:\\Windows'");
    expect(token.value).toBe('C:\\Windows');
    expect(token.escapeProblems[0]).toMatchObject({ from: 3, to: 5, message: "'\\W' is not an escape", replacement: '\\\\W' });
  });

  it('ends an unterminated string at the end of its line and keeps lexing', () => {
    const result = lex("tactic = 'Execution\nAND severity > 5");
    expect(result.diagnostics).toEqual([expect.objectContaining({ message: 'unterminated string', from: 9, to: 19, line: 1, column: 10 })]);
    expect(result.tokens.map((t) => t.kind)).toEqual(['ident', 'op', 'string', 'keyword', 'ident', 'op', 'number', 'eof']);
  });

  it('turns &&, ||, !, <> and [ ] into what was meant, each with an error and a replacement', () => {
    const result = lex('a && b || !c <> d IN [1]');
    expect(kinds('a && b || !c <> d IN [1]')).toEqual(['ident', 'AND', 'ident', 'OR', 'NOT', 'ident', '!=', 'ident', 'IN', '(', 'number', ')', 'eof']);
    expect(result.diagnostics.map((d) => d.replacement)).toEqual(['AND', 'OR', 'NOT ', '!=', '(', ')']);
  });

  it('reports a run of stray characters as one error and carries on', () => {
    const result = lex('severity $$ >= 80');
    expect(result.diagnostics).toEqual([expect.objectContaining({ from: 9, to: 11, message: "unexpected characters '$$'" })]);
    expect(kinds('severity $$ >= 80')).toEqual(['ident', '>=', 'number', 'eof']);
  });

  it('gives 1-based lines and columns across line breaks', () => {
    const result = lex('severity >= 80\n  OR # x');
    expect(result.diagnostics[0]).toMatchObject({ line: 2, column: 6, from: 20 });
  });
});
