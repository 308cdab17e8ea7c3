import { describe, expect, it } from 'vitest';
import type { Expr, Literal } from './ast';
import { MAX_NESTING, parse } from './parser';

/** The tree as an S-expression, so tests state structure (precedence, grouping) without spans. */
function sexpr(expr: Expr | null): string {
  if (!expr) return 'null';
  const lit = (l: Literal) => (l.kind === 'string' ? `'${l.value}'` : String(l.value));
  switch (expr.kind) {
    case 'or':
    case 'and':
      return `(${expr.kind} ${expr.operands.map(sexpr).join(' ')})`;
    case 'not':
      return `(not ${sexpr(expr.operand)})`;
    case 'constant':
      return String(expr.value);
    case 'compare':
      return `(${expr.op} ${expr.field.name} ${lit(expr.value)})`;
    case 'in':
      return `(${expr.negated ? 'not-in' : 'in'} ${expr.field.name} ${expr.values.map(lit).join(' ')})`;
    case 'contains':
      return `(${expr.negated ? 'not-contains' : 'contains'} ${expr.field.name} '${expr.value.value}')`;
    case 'matches':
      return `(${expr.negated ? 'not-matches' : 'matches'} ${expr.field.name} /${expr.regex.pattern}/${expr.regex.flags})`;
    case 'error':
      return 'error';
  }
}

const tree = (source: string) => {
  const result = parse(source);
  expect(result.diagnostics).toEqual([]);
  return sexpr(result.ast);
};
const errors = (source: string) => parse(source).diagnostics.filter((d) => d.severity === 'error');

describe('parser: operators', () => {
  it('parses the seed conditions', () => {
    expect(tree("severity >= 80 OR tactic IN ('Execution', 'Exfiltration', 'Impact')")).toBe(
      "(or (>= severity 80) (in tactic 'Execution' 'Exfiltration' 'Impact'))",
    );
    expect(tree('severity >= 50')).toBe('(>= severity 50)');
    expect(tree('severity < 50')).toBe('(< severity 50)');
  });

  it.each([
    ['=', '='],
    ['==', '='],
    ['!=', '!='],
    ['>', '>'],
    ['>=', '>='],
    ['<', '<'],
    ['<=', '<='],
  ])('parses %s', (written, op) => {
    expect(tree(`severity ${written} 7`)).toBe(`(${op} severity 7)`);
  });

  it('parses IN and NOT IN lists of one or more values', () => {
    expect(tree("tactic IN ('Impact')")).toBe("(in tactic 'Impact')");
    expect(tree('severity not in (1, 2.5, -3)')).toBe('(not-in severity 1 2.5 -3)');
  });

  it('parses CONTAINS and NOT CONTAINS', () => {
    expect(tree("cmdline CONTAINS '-enc'")).toBe("(contains cmdline '-enc')");
    expect(tree('cmdline NOT CONTAINS "-enc"')).toBe("(not-contains cmdline '-enc')");
  });

  it("parses MATCHES '/re/flags' with the string taken raw", () => {
    expect(tree("filename MATCHES '/^power(shell|sh)\\.exe$/i'")).toBe('(matches filename /^power(shell|sh)\\.exe$/i)');
    expect(tree("filepath not matches '/C:\\\\Windows\\\\/'")).toBe('(not-matches filepath /C:\\\\Windows\\\\/)');
    expect(tree("cmdline MATCHES '/it\\'s/'")).toBe("(matches cmdline /it's/)");
  });

  it('parses booleans, null and constant conditions', () => {
    expect(tree('show_in_ui = true')).toBe('(= show_in_ui true)');
    expect(tree('device.hostname != NULL')).toBe('(!= device.hostname null)');
    expect(tree('TRUE')).toBe('true');
  });

  it('accepts keywords in any case', () => {
    expect(tree("severity >= 80 or tactic in ('Impact') And not status = 'closed'")).toBe(
      "(or (>= severity 80) (and (in tactic 'Impact') (not (= status 'closed'))))",
    );
  });

  it('spans each node over its source text', () => {
    const ast = parse("severity >= 80 OR tactic IN ('Impact')").ast;
    expect(ast).toMatchObject({
      kind: 'or',
      from: 0,
      to: 38,
      operands: [
        { from: 0, to: 14 },
        { from: 18, to: 38 },
      ],
    });
  });
});

describe('parser: precedence and grouping', () => {
  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    expect(tree('a = 1 OR b = 2 AND c = 3')).toBe('(or (= a 1) (and (= b 2) (= c 3)))');
    expect(tree('a = 1 AND b = 2 OR c = 3')).toBe('(or (and (= a 1) (= b 2)) (= c 3))');
    expect(tree('NOT a = 1 AND b = 2')).toBe('(and (not (= a 1)) (= b 2))');
    expect(tree('NOT NOT a = 1')).toBe('(not (not (= a 1)))');
  });

  it('lets parentheses override precedence', () => {
    expect(tree('(a = 1 OR b = 2) AND c = 3')).toBe('(and (or (= a 1) (= b 2)) (= c 3))');
    expect(tree('NOT (a = 1 OR b = 2)')).toBe('(not (or (= a 1) (= b 2)))');
  });

  it('flattens a chain of one operator but keeps written groups', () => {
    expect(tree('a = 1 OR b = 2 OR c = 3')).toBe('(or (= a 1) (= b 2) (= c 3))');
    expect(tree('a = 1 OR (b = 2 OR c = 3)')).toBe('(or (= a 1) (or (= b 2) (= c 3)))');
  });

  it('reads conditions spread over lines', () => {
    expect(tree('severity >= 80\n  AND\n  product = "epp"')).toBe("(and (>= severity 80) (= product 'epp'))");
  });
});

describe('parser: positioned errors', () => {
  it('expects a value after an operator', () => {
    expect(errors('severity >=')).toEqual([expect.objectContaining({ message: "expected a value after '>='", from: 11, to: 11, line: 1, column: 12 })]);
    expect(errors('severity >= AND x = 1')[0]).toMatchObject({ message: "expected a value after '>=', found 'AND'", from: 12, to: 15 });
  });

  it('expects an operator after a field, and suggests a misspelt one', () => {
    expect(errors('severity')[0]?.message).toBe("expected an operator after 'severity'");
    expect(errors("cmdline contain 'x'")[0]).toMatchObject({
      message: "unknown operator 'contain' — did you mean CONTAINS?",
      replacement: 'CONTAINS',
      from: 8,
      to: 15,
    });
  });

  it('expects a condition after AND / OR and at the start', () => {
    expect(errors('severity >= 80 AND')[0]).toMatchObject({ message: "expected a condition after 'AND'", from: 18 });
    expect(errors('OR severity > 1')[0]?.message).toBe("expected a condition, found 'OR'");
    expect(errors('80 <= severity')[0]?.message).toBe("a condition starts with a field name, not '80'");
  });

  it('reports an empty condition', () => {
    expect(errors('   ')).toEqual([expect.objectContaining({ message: 'the condition is empty', from: 0, to: 3 })]);
  });

  it('points a missing parenthesis back at its opener', () => {
    expect(errors('(severity >= 80')[0]).toMatchObject({ message: "missing ')' to close the '(' at column 1", from: 15 });
    expect(errors('severity >= 80)')[0]).toMatchObject({ message: "unmatched ')'", from: 14, to: 15 });
    expect(errors('()')[0]?.message).toBe('empty parentheses');
  });

  it('asks for quotes around a bare word and for a list after IN', () => {
    expect(errors('tactic = Execution')[0]).toMatchObject({ message: "text values go in quotes: 'Execution'", replacement: "'Execution'" });
    expect(errors("tactic IN 'Impact'")[0]).toMatchObject({ replacement: "('Impact')" });
    expect(errors('tactic IN ()')[0]?.message).toBe('the list is empty');
    expect(errors("tactic IN ('a' 'b')")[0]).toMatchObject({ message: "expected ',' between values", replacement: ', ' });
    expect(errors("tactic IN ('a', 'b'")[0]?.message).toBe("missing ')' to close the list opened at column 11");
    expect(errors("tactic IN ('a',)")[0]?.message).toBe("expected a value after ',', found ')'");
  });

  it('asks for AND or OR between two conditions, at the gap', () => {
    expect(errors('severity > 5 tactic = "Impact"')[0]).toMatchObject({
      message: "expected AND or OR before 'tactic'",
      from: 12,
      to: 13,
      replacement: ' AND ',
    });
  });

  it('rejects NOT between a field and anything but IN, CONTAINS, MATCHES', () => {
    expect(errors('severity NOT = 5')[0]?.message).toBe("expected IN, CONTAINS or MATCHES after 'severity NOT'");
  });

  it('rejects malformed or unsafe patterns at the pattern', () => {
    expect(errors("cmdline MATCHES 'enc'")[0]).toMatchObject({ code: 'regex', from: 16, to: 21, replacement: "'/enc/'" });
    expect(errors("cmdline MATCHES '/(a+)+$/'")[0]?.message).toMatch(/exponential/);
    expect(errors("cmdline MATCHES '/[/'")[0]?.message).toMatch(/^invalid pattern/);
    expect(errors("cmdline MATCHES '/x/g'")[0]?.message).toMatch(/previous alert/);
    expect(errors('cmdline MATCHES 5')[0]?.message).toMatch(/expected a pattern/);
  });

  it('reports every independent error in one pass', () => {
    const found = errors("severity >= AND tactic IN ('a' 'b') AND status = OR cmdline MATCHES 'x'");
    expect(found.map((d) => d.message)).toEqual([
      "expected a value after '>=', found 'AND'",
      "expected ',' between values",
      "expected a value after '=', found 'OR'",
      "a MATCHES pattern is written '/pattern/flags'",
    ]);
  });

  it('keeps the field of a broken comparison so it can still be checked', () => {
    expect(parse('sevrity >=').ast).toMatchObject({ kind: 'error', field: { name: 'sevrity' } });
  });

  it('stops at a nesting limit instead of overflowing the stack', () => {
    const deep = '('.repeat(MAX_NESTING + 5) + 'a = 1' + ')'.repeat(MAX_NESTING + 5);
    expect(errors(deep).map((d) => d.message)).toContain(`the condition is nested more than ${MAX_NESTING} levels deep`);
    expect(errors('NOT '.repeat(10_000) + 'a = 1')).toHaveLength(1);
    expect(tree('('.repeat(MAX_NESTING) + 'a = 1' + ')'.repeat(MAX_NESTING))).toBe('(= a 1)');
  });
});
