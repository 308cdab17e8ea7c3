import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompareOp, Expr, Literal } from './ast';
import { compileExpr } from './compile';
import { checkCondition, compileCondition } from './condition';
import { completeCondition } from './complete';
import { lineAndColumn } from './diagnostics';
import { explain } from './explain';
import type { AlertRecord } from './fields';
import { interpret } from './interpret';
import { lex } from './lexer';
import { printCondition } from './print';

/** The tree without positions, for comparing a printed-and-parsed tree with the original. */
function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'from' && key !== 'to')
      .map(([key, v]) => [key, withoutSpans(v)]),
  );
}

const hasErrorNode = (expr: Expr): boolean =>
  expr.kind === 'error' ||
  ((expr.kind === 'or' || expr.kind === 'and') && expr.operands.some(hasErrorNode)) ||
  (expr.kind === 'not' && hasErrorNode(expr.operand));

/** Whatever the text: no throw, every diagnostic inside the text with a consistent line and column. */
function checkTotal(source: string): void {
  const checked = checkCondition(source);
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  for (const d of checked.diagnostics) {
    expect(0 <= d.from && d.from <= d.to && d.to <= source.length).toBe(true);
    expect({ line: d.line, column: d.column }).toEqual(lineAndColumn(source, d.from));
    expect(d.message.length).toBeGreaterThan(0);
  }
  if (errors.length === 0) {
    expect(checked.ast).not.toBeNull();
    expect(hasErrorNode(checked.ast as Expr)).toBe(false);
    expect(compileCondition(source).ok).toBe(true);
  } else {
    expect(compileCondition(source).ok).toBe(false);
  }
}

const words = [
  'severity',
  'tactic',
  'cmdline',
  'hostname',
  'device.platform_name',
  'device.',
  'sevrity',
  'tags',
  'show_in_ui',
  'status',
  'AND',
  'or',
  'Not',
  'IN',
  'not in',
  'CONTAINS',
  'matches',
  'TRUE',
  'false',
  'null',
  '=',
  '==',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  '<>',
  '&&',
  '||',
  '!',
  '(',
  ')',
  '[',
  ']',
  ',',
  '80',
  '-3',
  '2.5',
  '1e3',
  '.5',
  '80abc',
  "'Execution'",
  '"Impact"',
  "'it\\'s'",
  "'C:\\Windows'",
  "'unterminated",
  "'/^a+$/i'",
  "'/(a+)+/'",
  "'/x/g'",
  "''",
  '$',
  '#',
  '\n',
  '\t',
  '\\',
  "'",
  '"',
  '😀',
];
const tokenSoup = fc
  .array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(' ', '', '  ', '\n')), { maxLength: 25 })
  .map((parts) => parts.map(([word, gap]) => word + gap).join(''));

// Generated trees that type-check: each comparison fits its field's type.
const at = { from: 0, to: 0 };
const texts = [
  'Execution',
  'execution',
  'Impact',
  'WS-0042',
  "it's",
  'say "hi"',
  'C:\\Windows',
  'tab\there',
  'line\nbreak',
  'bell\u0007\u007f',
  'ünïcödé',
  '😀',
  '',
  'new',
  'Closed',
  'prod',
];
const textValue = fc.oneof(fc.constantFrom(...texts), fc.string({ maxLength: 8 }));
const numberValue = fc
  .oneof({ arbitrary: fc.integer({ min: -5, max: 120 }), weight: 3 }, { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 })
  .map((n) => (Object.is(n, -0) ? 0 : n));
const stringLiteral = textValue.map((value): Literal => ({ kind: 'string', value, ...at }));
const numberLiteral = numberValue.map((value): Literal => ({ kind: 'number', value, ...at }));
const patterns = ['^power', "it's", 'say "hi"', '^C:\\\\Windows', '\\d{2,}', '[a-z]+$', 'a\\/b', '\\\\', 'exec|impact', '^$', 'x\\.y'];

const numberFields = ['severity', 'confidence', 'pattern_disposition'];
const textFields = ['tactic', 'cmdline', 'hostname', 'status', 'device.platform_name', 'tags', 'device.tags', 'filename'];
const field = (names: string[]) => fc.constantFrom(...names).map((name) => ({ name, ...at }));
const negated = fc.boolean();

const comparison: fc.Arbitrary<Expr> = fc.oneof(
  fc
    .record({ field: field(numberFields), op: fc.constantFrom<CompareOp>('=', '!=', '>', '>=', '<', '<='), value: numberLiteral })
    .map((c): Expr => ({ kind: 'compare', ...c, ...at })),
  fc.record({ field: field(textFields), op: fc.constantFrom<CompareOp>('=', '!='), value: stringLiteral }).map((c): Expr => ({ kind: 'compare', ...c, ...at })),
  fc
    .record({ field: field([...numberFields, ...textFields, 'show_in_ui']), op: fc.constantFrom<CompareOp>('=', '!=') })
    .map((c): Expr => ({ kind: 'compare', ...c, value: { kind: 'null', value: null, ...at }, ...at })),
  fc
    .record({ field: field(['show_in_ui']), op: fc.constantFrom<CompareOp>('=', '!='), value: fc.boolean() })
    .map((c): Expr => ({ kind: 'compare', field: c.field, op: c.op, value: { kind: 'boolean', value: c.value, ...at }, ...at })),
  fc
    .record({ field: field(numberFields), negated, values: fc.uniqueArray(numberValue, { minLength: 1, maxLength: 4 }) })
    .map((c): Expr => ({ kind: 'in', field: c.field, negated: c.negated, values: c.values.map((value) => ({ kind: 'number', value, ...at })), ...at })),
  fc
    .record({ field: field(textFields), negated, values: fc.uniqueArray(textValue, { minLength: 1, maxLength: 4, selector: (t) => t.toLowerCase() }) })
    .map((c): Expr => ({ kind: 'in', field: c.field, negated: c.negated, values: c.values.map((value) => ({ kind: 'string', value, ...at })), ...at })),
  fc
    .record({ field: field(textFields), negated, value: textValue.filter((t) => t !== '') })
    .map((c): Expr => ({ kind: 'contains', field: c.field, negated: c.negated, value: { kind: 'string', value: c.value, ...at }, ...at })),
  fc
    .record({ field: field(textFields), negated, pattern: fc.constantFrom(...patterns), flags: fc.constantFrom('', 'i', 'im', 'su') })
    .map((c): Expr => ({ kind: 'matches', field: c.field, negated: c.negated, regex: { pattern: c.pattern, flags: c.flags, ...at }, ...at })),
  fc.boolean().map((value): Expr => ({ kind: 'constant', value, ...at })),
);

const { expr: validExpr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.array(tie('expr'), { minLength: 2, maxLength: 4 }).map((operands): Expr => ({ kind: 'or', operands, ...at })),
    fc.array(tie('expr'), { minLength: 2, maxLength: 4 }).map((operands): Expr => ({ kind: 'and', operands, ...at })),
    tie('expr').map((operand): Expr => ({ kind: 'not', operand, ...at })),
  ),
}));

// Alerts with right, wrong-typed, numeric-text, list and missing values drawn from the literals' vocabulary.
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const textish = fc.oneof(
  textValue,
  textValue.map((t) => t.toUpperCase()),
  fc.constantFrom('powershell -enc', 'C:\\Windows\\x', '42', 'x.y'),
);
const alert: fc.Arbitrary<AlertRecord> = fc.record(
  {
    severity: maybe(fc.oneof(numberValue, numberValue.map(String), textish)),
    confidence: maybe(numberValue),
    pattern_disposition: maybe(fc.oneof(numberValue, fc.constant(null))),
    tactic: maybe(textish),
    cmdline: maybe(textish),
    status: maybe(fc.oneof(textish, fc.integer())),
    filename: maybe(fc.oneof(textish, fc.constant(null))),
    tags: maybe(fc.oneof(fc.array(textish, { maxLength: 3 }), textish)),
    show_in_ui: maybe(fc.oneof(fc.boolean(), fc.constant('true'))),
    device: maybe(
      fc.oneof(
        fc.constant(null),
        fc.record({ hostname: maybe(textish), platform_name: maybe(textish), tags: maybe(fc.array(textish, { maxLength: 3 })) }, { requiredKeys: [] }),
      ),
    ),
  },
  { requiredKeys: [] },
);

describe('properties: printer and parser round trip', () => {
  it('generated trees type-check, print, and parse back to the same tree', () => {
    fc.assert(
      fc.property(validExpr, (expr) => {
        const text = printCondition(expr);
        const checked = checkCondition(text);
        expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(withoutSpans(checked.ast)).toEqual(withoutSpans(expr));
        expect(printCondition(checked.ast as Expr)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('the printed-and-parsed condition evaluates like the original on random alerts', () => {
    fc.assert(
      fc.property(validExpr, fc.array(alert, { minLength: 1, maxLength: 8 }), (expr, alerts) => {
        const compiled = compileCondition(printCondition(expr));
        if (!compiled.ok) throw new Error('printed condition does not compile');
        const original = compileExpr(expr).test;
        for (const a of alerts) {
          const expected = interpret(expr, a);
          expect(original(a)).toBe(expected);
          expect(compiled.condition.test(a)).toBe(expected);
          expect(explain(compiled.condition, a).matched).toBe(expected);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('properties: any input', () => {
  it('random text gives a positioned diagnostic list or a valid tree, never an exception', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), checkTotal), { numRuns: 600 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'severity >=80()\'",ANDORNOTIN\\\n.-!&|[]'.split('')), maxLength: 60 }), checkTotal), {
      numRuns: 600,
    });
  });

  it('random token soups give a positioned diagnostic list or a valid tree, never an exception', () => {
    fc.assert(fc.property(tokenSoup, checkTotal), { numRuns: 1500 });
  });

  it('valid conditions with tokens dropped, repeated or inserted give diagnostics or a valid tree', () => {
    const mutation = fc.record({ at: fc.nat(), kind: fc.constantFrom('drop', 'repeat', 'insert'), word: fc.constantFrom(...words) });
    fc.assert(
      fc.property(validExpr, fc.array(mutation, { minLength: 1, maxLength: 3 }), (expr, mutations) => {
        const tokens = lex(printCondition(expr)).tokens.map((t) => t.text);
        for (const { at, kind, word } of mutations) {
          const i = at % tokens.length;
          if (kind === 'drop') tokens.splice(i, 1);
          else tokens.splice(i, 0, kind === 'repeat' ? (tokens[i] ?? '') : word);
        }
        checkTotal(tokens.join(' '));
      }),
      { numRuns: 1000 },
    );
  });

  it('completion answers at every offset of any input', () => {
    fc.assert(
      fc.property(tokenSoup, fc.nat(), (source, at) => {
        const result = completeCondition(source, at % (source.length + 1));
        expect(result.from).toBeLessThanOrEqual(result.to);
      }),
      { numRuns: 500 },
    );
  });
});
